using System.Net;
using System.Net.Http.Json;
using FlashSale.Api.Apis;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Orders;

namespace FlashSale.Api.Tests.Payments;

/// <summary>The payment and agent routes answer bad input with a 4xx problem, never a 5xx, and change nothing.</summary>
[Collection(PaymentsApiCollection.Name)]
public sealed class PaymentRoutesBadInputTests(PaymentsApiFactory api)
{
    private static readonly string[] Bodies =
    [
        "", "not json", "[]", "null", "{", """{"name":42}""", """{"quantity":"two"}""", """{"quantity":1e40}""",
        """{"outcome":7}""", """{"outcome":"succeeded","copies":"x"}""", """{"paymentMethod":["wallet"]}""", """{"name":"\u0000"}""",
    ];

    public static TheoryData<string, string> Routes()
    {
        var data = new TheoryData<string, string>();
        foreach (var route in new[]
        {
            "POST /api/agent/villagers", "PUT /api/agent/villagers/{villager}/cart/items/{lot}", "POST /api/agent/villagers/{villager}/checkout",
            "POST /api/sandbox/payments/{payment}/complete", "POST /api/payments/webhooks/wallet",
        })
        {
            foreach (var body in Bodies)
            {
                data.Add(route, body);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Bad_input_is_a_4xx_problem_that_changes_nothing(string route, string body)
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 10, perShopperLimit: 5);
        var shopper = await api.SignUpShopper();
        await shopper.Hold(lot.LotId, 1);
        var order = await shopper.PlaceOrder("wallet");
        var agent = await api.SignUpAgent();
        using var registered = await agent.Http.PostAsJsonAsync("/api/agent/villagers", new { name = "Ma Li" }, ApiJson.Options);
        var villager = await registered.ReadAs<VillagerView>(HttpStatusCode.Created);
        var (method, template) = (route.Split(' ')[0], route.Split(' ')[1]);
        var path = template.Replace("{villager}", villager.ShopperId, StringComparison.Ordinal)
            .Replace("{lot}", lot.LotId, StringComparison.Ordinal).Replace("{payment}", order.Payment.PaymentId, StringComparison.Ordinal);
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)) { Content = ApiJson.Raw(body) };
        request.Headers.Add(CheckoutApi.IdempotencyKeyHeader, SaleApi.NewIdempotencyKey());
        var lotBefore = await seller.GetLot(lot.LotId);

        using var response = await agent.Http.SendAsync(request);

        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{route} with {body} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal(ApiJson.ProblemMediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(lotBefore, await seller.GetLot(lot.LotId));
        Assert.Equal(OrderStatus.AwaitingPayment, (await shopper.GetOrder(order.OrderId)).Status);
        Assert.Empty((await api.SandboxPayment(order.Payment.PaymentId)).Events);
    }
}
