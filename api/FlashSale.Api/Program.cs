using FlashSale.Api.Accounts;
using FlashSale.Api.Apis;
using FlashSale.Api.Extensions;
using FlashSale.Api.Fulfilment;
using FlashSale.Api.Hubs;
using FlashSale.Api.Identity;
using FlashSale.Api.Payments;
using FlashSale.Api.Phone;
using FlashSale.Api.WarmUp;
using FlashSale.Cluster;
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
builder.AddFlashSaleAccounts();
builder.AddFlashSaleApi();
builder.AddFlashSaleLiveStock();
builder.AddFlashSalePaymentsApi();
builder.Services.AddSingleton<FlashSale.Api.Phone.PhoneGateway>();
builder.AddSurgePathWarmUp();

var app = builder.Build();

try
{
    // Options read while the pipeline is built (proxies, the management port) are validated here.
    app.UseFlashSaleApi();
}
catch (Microsoft.Extensions.Options.OptionsValidationException invalid)
{
    Console.Error.WriteLine($"FlashSale cannot start: {invalid.Message}");
    return 1;
}

app.UseWebClient();

app.MapIdentityApi();
app.MapFlashSaleAccounts();
app.MapLotsApi();
app.MapWaitingRoomApi();
app.MapCartApi();
app.MapCheckoutApi();
app.MapOrdersApi();
app.MapSubstitutesApi();
app.MapPaymentMethodsApi();
app.MapLiveStock();
app.MapFlashSalePaymentsApi();
app.MapOperationsApi();
app.MapSurgePathWarmUp();
app.MapFulfilmentApi();
app.MapLedgerApi();
app.MapPhoneApi();
app.MapSandboxPhoneApi();

try
{
    app.Run();
}
catch (Exception refused) when (StartupRefusal.SettingsAtFault(refused) is { } invalid)
{
    // A missing or wrong setting (a signing key, a webhook secret...): one line each that names it, no stack.
    foreach (var failure in invalid)
    {
        Console.Error.WriteLine($"FlashSale cannot start: {failure.Message}");
    }

    return 1;
}

return 0;

/// <summary>The entry point, visible to the API tests' <c>WebApplicationFactory</c>.</summary>
public partial class Program;
