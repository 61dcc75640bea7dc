using System.Net;
using System.Net.Http.Json;
using FlashSale.Api.Tests.Infrastructure;

namespace FlashSale.Api.Tests.Apis;

[CollectionDefinition(Name)]
public sealed class AuthorizationMatrixCollection : ICollectionFixture<FlashSaleApiFactory>
{
    public const string Name = "authorization matrix";
}

/// <summary>
/// Every route against every kind of caller (OWASP API1, API3, API5): anonymous, the shopper who
/// owns the cart and order, another shopper, the seller who owns the lot, another seller, and the
/// village agent who registered the villager. Each row runs on a fresh scene and asserts the exact
/// status: who may, who is turned away (401, 403), and whose resources are simply not found (404).
/// </summary>
[Collection(AuthorizationMatrixCollection.Name)]
public sealed class AuthorizationMatrixTests(FlashSaleApiFactory api)
{
    private const string Anonymous = "anonymous";
    private const string Shopper = "shopper";
    private const string OtherShopper = "another shopper";
    private const string Seller = "seller";
    private const string OtherSeller = "another seller";
    private const string Agent = "agent";

    private static readonly string[] Callers = [Anonymous, Shopper, OtherShopper, Seller, OtherSeller, Agent];

    /// <summary>Route, body, then the expected status for each caller in <see cref="Callers"/> order.</summary>
    private static readonly (string Route, string? Body, int[] Expected)[] Matrix =
    [
        ("POST /api/sellers", """{"name":"Farm"}""", [201, 201, 201, 201, 201, 201]),
        ("POST /api/shoppers", """{"name":"Li"}""", [201, 201, 201, 201, 201, 201]),
        ("POST /api/agents", """{"name":"Liu","village":"Zhouzhi"}""", [201, 201, 201, 201, 201, 201]),
        ("GET /api/lots", null, [200, 200, 200, 200, 200, 200]),
        ("GET /api/lots/{lot}", null, [200, 200, 200, 200, 200, 200]),
        ("POST /api/lots", """{"name":"Pears","unit":"box","priceMinor":100,"currency":"CNY","quantity":10,"perShopperLimit":2}""", [401, 403, 403, 201, 201, 403]),
        ("POST /api/lots/{lot}/pause", null, [401, 403, 403, 200, 403, 403]),
        ("POST /api/lots/{lot}/resume", null, [401, 403, 403, 200, 403, 403]),
        ("POST /api/lots/{lot}/restock", """{"quantity":1}""", [401, 403, 403, 200, 403, 403]),
        ("GET /api/lots/{lot}/stats", null, [401, 403, 403, 200, 403, 403]),
        ("POST /api/lots/{lot}/queue", null, [401, 409, 409, 403, 403, 403]),
        ("GET /api/lots/{lot}/queue", null, [401, 404, 404, 403, 403, 403]),
        ("GET /api/cart", null, [401, 200, 200, 403, 403, 403]),
        ("PUT /api/cart/items/{lot}", """{"quantity":1}""", [401, 200, 200, 403, 403, 403]),
        ("DELETE /api/cart/items/{lot}", null, [401, 200, 200, 403, 403, 403]),
        ("POST /api/checkout", """{"paymentMethod":"wallet"}""", [401, 201, 409, 403, 403, 403]),
        ("GET /api/orders", null, [401, 200, 200, 403, 403, 403]),
        ("GET /api/orders/{order}", null, [401, 200, 404, 403, 403, 403]),
        ("POST /api/orders/{order}/cancel", null, [401, 200, 404, 403, 403, 403]),
        ("GET /api/orders/{order}/payment", null, [401, 200, 404, 403, 403, 403]),
        ("GET /api/payment-methods?currency=CNY", null, [200, 200, 200, 200, 200, 200]),
        ("POST /api/payments/webhooks/wallet", """{"eventId":"evt_x","paymentId":"{payment}","type":"payment.succeeded","amountMinor":6800,"currency":"CNY"}""", [401, 401, 401, 401, 401, 401]),
        ("GET /api/sandbox/payments/{payment}", null, [401, 200, 404, 403, 403, 404]),
        ("POST /api/sandbox/payments/{payment}/complete", """{"outcome":"succeeded"}""", [401, 202, 404, 403, 403, 404]),
        ("POST /api/agent/villagers", """{"name":"Grandma Wu"}""", [401, 403, 403, 403, 403, 201]),
        ("GET /api/agent/villagers", null, [401, 403, 403, 403, 403, 200]),
        ("GET /api/agent/villagers/{villager}/cart", null, [401, 403, 403, 403, 403, 200]),
        ("PUT /api/agent/villagers/{villager}/cart/items/{lot}", """{"quantity":1}""", [401, 403, 403, 403, 403, 200]),
        ("DELETE /api/agent/villagers/{villager}/cart/items/{lot}", null, [401, 403, 403, 403, 403, 200]),
        ("POST /api/agent/villagers/{villager}/lots/{lot}/queue", null, [401, 403, 403, 403, 403, 409]),
        ("GET /api/agent/villagers/{villager}/lots/{lot}/queue", null, [401, 403, 403, 403, 403, 404]),
        ("POST /api/agent/villagers/{villager}/checkout", """{"paymentMethod":"village-agent"}""", [401, 403, 403, 403, 403, 201]),
        ("GET /api/agent/villagers/{villager}/orders", null, [401, 403, 403, 403, 403, 200]),
        ("GET /api/agent/orders/{villagerOrder}", null, [401, 403, 403, 403, 403, 200]),
        ("GET /api/agent/orders/{villagerOrder}/payment", null, [401, 403, 403, 403, 403, 200]),
        ("POST /api/agent/orders/{villagerOrder}/cancel", null, [401, 403, 403, 403, 403, 200]),
        ("POST /api/agent/orders/{villagerOrder}/collected", null, [401, 403, 403, 403, 403, 200]),
    ];

    public static TheoryData<string, string> Rows() => RouteMatrix.Rows(Matrix.Select(r => r.Route), Callers);

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Every_route_answers_every_caller_exactly_as_it_should(string route, string caller)
    {
        var row = Matrix.Single(r => r.Route == route);
        var scene = await MatrixScene.Create(api);
        using var client = scene.ClientOf(caller);
        await RouteMatrix.AssertAnswers(client, route, row.Body, scene.Fill, caller, row.Expected[Array.IndexOf(Callers, caller)]);
    }

    /// <summary>A seller's live lot; a shopper with an order awaiting payment and a fresh hold; an agent with a villager who has an order too.</summary>
    private sealed record MatrixScene(FlashSaleApiFactory Api, Dictionary<string, Caller?> Callers, Dictionary<string, string> Ids)
    {
        public static async Task<MatrixScene> Create(FlashSaleApiFactory api)
        {
            var seller = await api.SignUpSeller();
            var shopper = await api.SignUpShopper();
            var agent = await api.SignUpAgent();
            var lot = await seller.CreateLot(quantity: 100, perShopperLimit: 5);
            await shopper.Hold(lot.LotId, 1);
            var order = await shopper.PlaceOrder("wallet");
            await shopper.Hold(lot.LotId, 1);

            using var registered = await agent.Http.PostAsJsonAsync("/api/agent/villagers", new { name = "Grandpa Zhao" }, ApiJson.Options);
            var villager = (await registered.ReadAs<System.Text.Json.JsonElement>(HttpStatusCode.Created)).GetProperty("shopperId").GetString()!;
            using var held = await agent.Http.PutAsJsonAsync($"/api/agent/villagers/{villager}/cart/items/{lot.LotId}", new { quantity = 1 }, ApiJson.Options);
            Assert.Equal(HttpStatusCode.OK, held.StatusCode);
            using var checkout = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/agent/villagers/{villager}/checkout", UriKind.Relative))
            {
                Content = JsonContent.Create(new { paymentMethod = "village-agent" }, options: ApiJson.Options),
            };
            checkout.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
            using var placed = await agent.Http.SendAsync(checkout);
            var villagerOrder = (await placed.ReadAs<System.Text.Json.JsonElement>(HttpStatusCode.Created)).GetProperty("orderId").GetString()!;
            await agent.Http.PutAsJsonAsync($"/api/agent/villagers/{villager}/cart/items/{lot.LotId}", new { quantity = 1 }, ApiJson.Options);

            return new MatrixScene(api, new Dictionary<string, Caller?>
            {
                [Anonymous] = null,
                [Shopper] = shopper,
                [OtherShopper] = await api.SignUpShopper("Another shopper"),
                [Seller] = seller,
                [OtherSeller] = await api.SignUpSeller("Another farm"),
                [Agent] = agent,
            }, new Dictionary<string, string>
            {
                ["{lot}"] = lot.LotId,
                ["{order}"] = order.OrderId,
                ["{payment}"] = order.Payment.PaymentId,
                ["{villager}"] = villager,
                ["{villagerOrder}"] = villagerOrder,
            });
        }

        public string Fill(string template) => Ids.Aggregate(template, (text, id) => text.Replace(id.Key, id.Value, StringComparison.Ordinal));

        public HttpClient ClientOf(string caller) =>
            Callers[caller] is { } who ? Api.CreateClientWithToken(who.Token) : Api.CreateAnonymousClient();
    }
}
