using FlashSale.Api.Apis;
using FlashSale.Api.Extensions;
using FlashSale.Api.Hubs;
using FlashSale.Api.Identity;
using FlashSale.Api.Payments;
using FlashSale.Cluster.Embedded;

var builder = WebApplication.CreateBuilder(CommandLineSwitches.Expand(args));

try
{
    builder.AddFlashSaleEngine();
}
catch (StartupRefusedException refused)
{
    // A data folder or port in use: one line for the operator, not a stack trace.
    Console.Error.WriteLine(refused.Message);
    return 1;
}
builder.AddFlashSaleIdentity();
builder.AddFlashSaleApi();
builder.AddFlashSaleLiveStock();
builder.AddFlashSalePaymentsApi();

var app = builder.Build();

app.UseFlashSaleApi();
app.UseWebClient();

app.MapIdentityApi();
app.MapLotsApi();
app.MapWaitingRoomApi();
app.MapCartApi();
app.MapCheckoutApi();
app.MapOrdersApi();
app.MapPaymentMethodsApi();
app.MapLiveStock();
app.MapFlashSalePaymentsApi();
app.MapOperationsApi();

app.Run();
return 0;

/// <summary>The entry point, visible to the API tests' <c>WebApplicationFactory</c>.</summary>
public partial class Program;
