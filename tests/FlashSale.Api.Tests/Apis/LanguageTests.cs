using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FlashSale.Api.Apis;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Common;
using FlashSale.Orders;

namespace FlashSale.Api.Tests.Apis;

[CollectionDefinition(Name)]
public sealed class LanguageCollection : ICollectionFixture<FlashSaleApiFactory>
{
    public const string Name = "language";
}

/// <summary>
/// The server's texts in the request's language (Accept-Language: en or zh-CN): problem titles
/// and details, field messages and payment instructions. Codes, field names and statuses never change.
/// </summary>
[Collection(LanguageCollection.Name)]
public sealed class LanguageTests(FlashSaleApiFactory api)
{
    private const string LotWithoutName = """{"unit":"box","priceMinor":100,"currency":"cny","quantity":10,"perShopperLimit":2}""";

    [Fact]
    public async Task A_chinese_reader_gets_chinese_field_errors_with_the_same_codes_and_fields()
    {
        var seller = await api.SignUpSeller();
        using var client = ClientIn(seller, "zh-CN");

        using var response = await client.PostAsync(new Uri("/api/lots", UriKind.Relative), ApiJson.Raw(LotWithoutName));

        var problem = await response.ReadProblem(HttpStatusCode.BadRequest, "invalid-request");
        Assert.Equal("zh-CN", response.Content.Headers.ContentLanguage.Single());
        Assert.Equal(("请求无效。", "一个或多个字段无效。"), (problem.GetProperty("title").GetString(), problem.GetProperty("detail").GetString()));
        var errors = problem.GetProperty("errors");
        Assert.Equal(["name 为必填项。"], Messages(errors, "name"));
        Assert.Equal(["currency 必须是 ISO 4217 货币代码，例如 CNY。"], Messages(errors, "currency"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("en")]
    [InlineData("en-GB,en;q=0.9")]
    [InlineData("fr")]
    [InlineData("fr-FR,fr;q=0.9,de;q=0.8")]
    [InlineData("zh-TW")]
    public async Task Anyone_else_gets_todays_english(string? acceptLanguage)
    {
        var seller = await api.SignUpSeller();
        using var client = ClientIn(seller, acceptLanguage);

        using var response = await client.PostAsync(new Uri("/api/lots", UriKind.Relative), ApiJson.Raw(LotWithoutName));

        var problem = await response.ReadProblem(HttpStatusCode.BadRequest, "invalid-request");
        Assert.Equal("en", response.Content.Headers.ContentLanguage.Single());
        Assert.Equal(("The request is not valid.", "One or more fields are not valid."), (problem.GetProperty("title").GetString(), problem.GetProperty("detail").GetString()));
        Assert.Equal(["name is required."], Messages(problem.GetProperty("errors"), "name"));
        Assert.Equal(["currency must be an ISO 4217 code such as CNY."], Messages(problem.GetProperty("errors"), "currency"));
    }

    [Theory]
    [InlineData("zh")]
    [InlineData("zh-Hans")]
    [InlineData("zh-Hans-CN")]
    [InlineData("fr, zh-CN;q=0.8, en;q=0.5")]
    [InlineData("en;q=0.4, zh;q=0.9")]
    public async Task Simplified_chinese_tags_are_answered_in_chinese(string acceptLanguage)
    {
        using var client = ClientIn(null, acceptLanguage);

        using var response = await client.GetAsync(new Uri($"/api/lots/{Ids.New(Ids.LotPrefix)}", UriKind.Relative));

        var problem = await response.ReadProblem(HttpStatusCode.NotFound, "not-found");
        Assert.Equal(("未找到。", "未找到该批次。"), (problem.GetProperty("title").GetString(), problem.GetProperty("detail").GetString()));
        Assert.Equal("zh-CN", response.Content.Headers.ContentLanguage.Single());
    }

    [Fact]
    public async Task Refusals_from_the_engine_are_in_the_readers_language()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 2, perShopperLimit: 2);
        await (await api.SignUpShopper()).Hold(lot.LotId, 2);
        var late = await api.SignUpShopper("Late shopper");
        using var chinese = ClientIn(late, "zh-CN");
        using var english = ClientIn(late, "en");

        using var inChinese = await chinese.PutAsJsonAsync($"/api/cart/items/{lot.LotId}", new { quantity = 1 }, ApiJson.Options);
        using var inEnglish = await english.PutAsJsonAsync($"/api/cart/items/{lot.LotId}", new { quantity = 1 }, ApiJson.Options);

        var zh = await inChinese.ReadProblem(HttpStatusCode.Conflict, "sold-out");
        var en = await inEnglish.ReadProblem(HttpStatusCode.Conflict, "sold-out");
        Assert.Equal(("已售罄。", "该批次已售罄。"), (zh.GetProperty("title").GetString(), zh.GetProperty("detail").GetString()));
        Assert.Equal(("Sold out.", "The lot is sold out."), (en.GetProperty("title").GetString(), en.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Wallet_instructions_are_written_in_the_language_of_whoever_reads_the_order()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 20, perShopperLimit: 5, priceMinor: 6800);
        var shopper = await api.SignUpShopper();
        await shopper.Hold(lot.LotId, 2);
        using var chinese = ClientIn(shopper, "zh-CN");
        using var checkout = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/checkout", UriKind.Relative))
        {
            Content = JsonContent.Create(new { paymentMethod = "wallet" }, options: ApiJson.Options),
        };
        checkout.Headers.Add(CheckoutApi.IdempotencyKeyHeader, SaleApi.NewIdempotencyKey());

        using var placed = await chinese.SendAsync(checkout);

        var order = await placed.ReadAs<Order>(HttpStatusCode.Created);
        var deadline = order.Payment.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
        var gateway = $"/api/sandbox/payments/{order.Payment.PaymentId}";
        Assert.StartsWith("请在钱包应用中确认付款。请在 " + deadline + " 前于 ", order.Payment.Instructions, StringComparison.Ordinal);
        Assert.Contains(gateway, order.Payment.Instructions, StringComparison.Ordinal);
        Assert.EndsWith(" 确认支付 136.00 CNY。", order.Payment.Instructions, StringComparison.Ordinal);

        // The same order read without a language: today's English, word for word.
        var inEnglish = await shopper.GetOrder(order.OrderId);
        Assert.StartsWith("Confirm the payment in your wallet app. Approve 136.00 CNY at ", inEnglish.Payment.Instructions, StringComparison.Ordinal);
        Assert.EndsWith($"{gateway} before {deadline}.", inEnglish.Payment.Instructions, StringComparison.Ordinal);
        var record = await chinese.GetFromJsonAsync<JsonElement>($"/api/orders/{order.OrderId}/payment", ApiJson.Options);
        Assert.Equal(order.Payment.Instructions, record.GetProperty("payment").GetProperty("instructions").GetString());
        Assert.False(record.GetProperty("payment").TryGetProperty("instructionsZhCn", out _));
    }

    [Fact]
    public async Task A_village_agent_reads_cash_instructions_in_chinese()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 40, perShopperLimit: 5, priceMinor: 4500);
        var agent = await api.SignUpAgent();
        using var chinese = ClientIn(agent, "zh-CN");
        using var registered = await chinese.PostAsJsonAsync("/api/agent/villagers", new { name = "马丽" }, ApiJson.Options);
        var villager = await registered.ReadAs<VillagerView>(HttpStatusCode.Created);
        (await chinese.PutAsJsonAsync($"/api/agent/villagers/{villager.ShopperId}/cart/items/{lot.LotId}", new { quantity = 3 }, ApiJson.Options)).Dispose();

        var placed = await AgentCheckout(chinese, villager.ShopperId, "village-agent");
        (await chinese.PutAsJsonAsync($"/api/agent/villagers/{villager.ShopperId}/cart/items/{lot.LotId}", new { quantity = 1 }, ApiJson.Options)).Dispose();
        var cod = await AgentCheckout(chinese, villager.ShopperId, "cash-on-delivery");

        var deadline = placed.Payment.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"请以现金付给您的村代理，由代理确认收款。金额 135.00 CNY，请于 {deadline} 前付清。", placed.Payment.Instructions);
        Assert.Equal("农产品送达时，请以现金付给快递员。请备好 45.00 CNY。", cod.Payment.Instructions);
        var inEnglish = await agent.Http.GetFromJsonAsync<Order>($"/api/agent/orders/{placed.OrderId}", ApiJson.Options);
        Assert.Equal($"Pay your village agent in cash; the agent confirms it. Amount 135.00 CNY, by {deadline}.", inEnglish!.Payment.Instructions);
        var codInEnglish = await agent.Http.GetFromJsonAsync<Order>($"/api/agent/orders/{cod.OrderId}", ApiJson.Options);
        Assert.Equal("Pay the courier in cash when the produce arrives. Have 45.00 CNY ready.", codInEnglish!.Payment.Instructions);
    }

    private static async Task<Order> AgentCheckout(HttpClient agent, string villager, string paymentMethod)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/agent/villagers/{villager}/checkout", UriKind.Relative))
        {
            Content = JsonContent.Create(new { paymentMethod }, options: ApiJson.Options),
        };
        request.Headers.Add(CheckoutApi.IdempotencyKeyHeader, SaleApi.NewIdempotencyKey());
        using var response = await agent.SendAsync(request);
        return await response.ReadAs<Order>(HttpStatusCode.Created);
    }

    private HttpClient ClientIn(Caller? caller, string? acceptLanguage)
    {
        var client = caller is null ? api.CreateAnonymousClient() : api.CreateClientWithToken(caller.Token);
        if (acceptLanguage is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }

        return client;
    }

    private static string[] Messages(JsonElement errors, string field) =>
        errors.GetProperty(field).EnumerateArray().Select(m => m.GetString()!).ToArray();
}
