using FlashSale.Api.Accounts;
using FlashSale.Api.Apis;
using FlashSale.Api.Extensions;
using FlashSale.Api.Hubs;
using FlashSale.Api.Identity;
using FlashSale.Api.Payments;

var builder = WebApplication.CreateBuilder(CommandLineSwitches.Expand(args));

builder.AddFlashSaleEngine();
builder.AddFlashSaleIdentity();
builder.AddFlashSaleAccounts();
builder.AddFlashSaleApi();
builder.AddFlashSaleLiveStock();
builder.AddFlashSalePaymentsApi();

var app = builder.Build();

app.UseFlashSaleApi();
app.UseWebClient();

app.MapIdentityApi();
app.MapFlashSaleAccounts();
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

/// <summary>The entry point, visible to the API tests' <c>WebApplicationFactory</c>.</summary>
public partial class Program;
