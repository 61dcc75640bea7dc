using System.Net.Http.Json;
using System.Text.Json;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Payments;

namespace FlashSale.Api.Tests.Apis;

/// <summary>The local payment methods of each market, open to anyone.</summary>
[Collection(PaymentMethodsApiCollection.Name)]
public sealed class PaymentMethodsApiTests(FlashSaleApiFactory api)
{
    [Fact]
    public async Task Yuan_buyers_can_pay_by_wallet_bank_transfer_cash_on_delivery_or_village_agent()
    {
        using var anonymous = api.CreateAnonymousClient();

        var methods = await anonymous.GetFromJsonAsync<PaymentMethodInfo[]>("/api/payment-methods?currency=CNY", ApiJson.Options);

        Assert.NotNull(methods);
        Assert.Equal(
            [("wallet", PaymentFlow.Redirect), ("bank-transfer", PaymentFlow.Offline), ("cash-on-delivery", PaymentFlow.OnDelivery), ("village-agent", PaymentFlow.Agent)],
            methods.Select(m => (m.Method, m.Flow)));
        Assert.All(methods, m => Assert.False(string.IsNullOrWhiteSpace(m.DisplayName)));
    }

    [Fact]
    public async Task Each_market_offers_its_own_methods()
    {
        using var anonymous = api.CreateAnonymousClient();

        var methods = await anonymous.GetFromJsonAsync<PaymentMethodInfo[]>("/api/payment-methods?currency=KES", ApiJson.Options);

        Assert.Equal(["mobile-money", "cash-on-delivery"], methods!.Select(m => m.Method));
    }

    [Fact]
    public async Task A_currency_without_a_market_has_no_methods()
    {
        using var anonymous = api.CreateAnonymousClient();

        var methods = await anonymous.GetFromJsonAsync<PaymentMethodInfo[]>("/api/payment-methods?currency=USD", ApiJson.Options);

        Assert.Empty(methods!);
    }

    [Fact]
    public async Task A_method_has_the_contract_fields_with_its_flow_in_kebab_case()
    {
        using var anonymous = api.CreateAnonymousClient();

        var methods = await anonymous.GetFromJsonAsync<JsonElement>("/api/payment-methods?currency=CNY", ApiJson.Options);

        var cod = methods.EnumerateArray().Single(m => m.GetProperty("method").GetString() == "cash-on-delivery");
        Assert.Equal(new HashSet<string> { "method", "displayName", "flow" }, ApiJson.PropertyNames(cod));
        Assert.Equal("on-delivery", cod.GetProperty("flow").GetString());
    }
}
