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
/// village agent who registered the villager; and accounts signed in by phone: an operator, an
/// applicant whose seller application is pending, and a suspended account. Each row that may
/// change state runs on a fresh scene (a read shares one per route) and asserts the exact
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
    private const string Operator = "operator";
    private const string Applicant = "pending applicant";
    private const string Suspended = "suspended account";

    private static readonly string[] Callers = [Anonymous, Shopper, OtherShopper, Seller, OtherSeller, Agent, Operator, Applicant, Suspended];

    /// <summary>
    /// On the routes that were there before accounts, an operator and a pending applicant are
    /// shoppers with nothing of the scene's (so they answer as another shopper does), and a
    /// suspended account's token is no token at all (as anonymous).
    /// </summary>
    private static int[] WithAccounts(int[] sixCallers) => [.. sixCallers, sixCallers[2], sixCallers[2], sixCallers[0]];

    /// <summary>Route, body, then the expected status for each caller in <see cref="Callers"/> order.</summary>
    private static readonly (string Route, string? Body, int[] Expected)[] Matrix =
    [
        ("POST /api/sellers", """{"name":"Farm"}""", WithAccounts([201, 201, 201, 201, 201, 201])),
        ("POST /api/shoppers", """{"name":"Li"}""", WithAccounts([201, 201, 201, 201, 201, 201])),
        ("POST /api/agents", """{"name":"Liu","village":"Zhouzhi"}""", WithAccounts([201, 201, 201, 201, 201, 201])),
        ("GET /api/lots", null, WithAccounts([200, 200, 200, 200, 200, 200])),
        ("GET /api/lots/{lot}", null, WithAccounts([200, 200, 200, 200, 200, 200])),
        ("POST /api/lots", """{"name":"Pears","unit":"box","priceMinor":100,"currency":"CNY","quantity":10,"perShopperLimit":2}""", WithAccounts([401, 403, 403, 201, 201, 403])),
        ("POST /api/lots/{lot}/pause", null, WithAccounts([401, 403, 403, 200, 403, 403])),
        ("POST /api/lots/{lot}/resume", null, WithAccounts([401, 403, 403, 200, 403, 403])),
        ("POST /api/lots/{lot}/restock", """{"quantity":1}""", WithAccounts([401, 403, 403, 200, 403, 403])),
        ("GET /api/lots/{lot}/stats", null, WithAccounts([401, 403, 403, 200, 403, 403])),
        ("PATCH /api/lots/{scheduledLot}", """{"priceMinor":7200}""", WithAccounts([401, 403, 403, 200, 403, 403])),
        ("POST /api/lots/{lot}/end", null, WithAccounts([401, 403, 403, 200, 403, 403])),
        ("POST /api/lots/{lot}/harvest", """{"quantity":1}""", WithAccounts([401, 403, 403, 409, 403, 403])), // the owner passes, and {lot} is no presale
        ("POST /api/lots/{lot}/surplus", "{}", WithAccounts([401, 403, 403, 409, 403, 403])), // likewise: no harvest to sell on
        ("GET /api/lots/{lot}/harvest/preview?quantity=1", null, WithAccounts([401, 403, 403, 409, 403, 403])),
        ("GET /api/lots/{lot}/harvest", null, WithAccounts([401, 403, 403, 404, 403, 403])), // nothing declared: not found, for its owner only
        ("POST /api/lots/{lot}/queue", null, WithAccounts([401, 409, 409, 403, 403, 403])),
        ("GET /api/lots/{lot}/queue", null, WithAccounts([401, 404, 404, 403, 403, 403])),
        ("GET /api/cart", null, WithAccounts([401, 200, 200, 403, 403, 403])),
        ("PUT /api/cart/items/{lot}", """{"quantity":1}""", WithAccounts([401, 200, 200, 403, 403, 403])),
        ("DELETE /api/cart/items/{lot}", null, WithAccounts([401, 200, 200, 403, 403, 403])),
        ("POST /api/checkout", """{"paymentMethod":"wallet"}""", WithAccounts([401, 201, 409, 403, 403, 403])),
        ("GET /api/orders", null, WithAccounts([401, 200, 200, 403, 403, 403])),
        ("GET /api/orders/{order}", null, WithAccounts([401, 200, 404, 403, 403, 403])),
        ("POST /api/orders/{order}/cancel", null, WithAccounts([401, 200, 404, 403, 403, 403])),
        ("POST /api/orders/{order}/substitute/accept", """{"paymentMethod":"wallet"}""", WithAccounts([401, 409, 404, 403, 403, 403])), // nothing on offer
        ("POST /api/orders/{order}/substitute/decline", null, WithAccounts([401, 409, 404, 403, 403, 403])),
        ("GET /api/orders/{order}/payment", null, WithAccounts([401, 200, 404, 403, 403, 403])),
        ("GET /api/payment-methods?currency=CNY", null, WithAccounts([200, 200, 200, 200, 200, 200])),
        ("POST /api/payments/webhooks/wallet", """{"eventId":"evt_x","paymentId":"{payment}","type":"payment.succeeded","amountMinor":6800,"currency":"CNY"}""", WithAccounts([401, 401, 401, 401, 401, 401])),
        ("GET /api/sandbox/payments/{payment}", null, WithAccounts([401, 200, 404, 403, 403, 404])),
        ("POST /api/sandbox/payments/{payment}/complete", """{"outcome":"succeeded"}""", WithAccounts([401, 202, 404, 403, 403, 404])),
        ("POST /api/agent/villagers", """{"name":"Grandma Wu"}""", WithAccounts([401, 403, 403, 403, 403, 201])),
        ("GET /api/agent/villagers", null, WithAccounts([401, 403, 403, 403, 403, 200])),
        ("GET /api/agent/villagers/{villager}/cart", null, WithAccounts([401, 403, 403, 403, 403, 200])),
        ("PUT /api/agent/villagers/{villager}/cart/items/{lot}", """{"quantity":1}""", WithAccounts([401, 403, 403, 403, 403, 200])),
        ("DELETE /api/agent/villagers/{villager}/cart/items/{lot}", null, WithAccounts([401, 403, 403, 403, 403, 200])),
        ("POST /api/agent/villagers/{villager}/lots/{lot}/queue", null, WithAccounts([401, 403, 403, 403, 403, 409])),
        ("GET /api/agent/villagers/{villager}/lots/{lot}/queue", null, WithAccounts([401, 403, 403, 403, 403, 404])),
        ("POST /api/agent/villagers/{villager}/checkout", """{"paymentMethod":"village-agent"}""", WithAccounts([401, 403, 403, 403, 403, 201])),
        ("GET /api/agent/villagers/{villager}/orders", null, WithAccounts([401, 403, 403, 403, 403, 200])),
        ("GET /api/agent/orders/{villagerOrder}", null, WithAccounts([401, 403, 403, 403, 403, 200])),
        ("GET /api/agent/orders/{villagerOrder}/payment", null, WithAccounts([401, 403, 403, 403, 403, 200])),
        ("POST /api/agent/orders/{villagerOrder}/cancel", null, WithAccounts([401, 403, 403, 403, 403, 200])),
        ("POST /api/agent/orders/{villagerOrder}/collected", null, WithAccounts([401, 403, 403, 403, 403, 200])),
        ("POST /api/auth/codes", """{"phone":"{freshPhone}"}""", [202, 202, 202, 202, 202, 202, 202, 202, 202]),
        ("POST /api/auth/tokens", """{"phone":"{freshPhone}","code":"000000"}""", [401, 401, 401, 401, 401, 401, 401, 401, 401]),
        ("POST /api/auth/refresh", """{"refreshToken":"{refresh}"}""", [200, 200, 200, 200, 200, 200, 200, 200, 200]),
        ("POST /api/auth/sign-out", """{"refreshToken":"{refresh}"}""", [401, 403, 403, 403, 403, 403, 403, 204, 401]),
        ("POST /api/applications", """{"role":"seller","name":"Farm","village":"Dangshan"}""", [401, 403, 403, 403, 403, 403, 202, 409, 401]),
        ("GET /api/applications/mine", null, [401, 403, 403, 403, 403, 403, 200, 200, 401]),
        ("GET /api/operator/applications?status=pending", null, [401, 403, 403, 403, 403, 403, 200, 403, 401]),
        ("POST /api/operator/applications/{application}/approve", null, [401, 403, 403, 403, 403, 403, 200, 403, 401]),
        ("POST /api/operator/applications/{application}/reject", null, [401, 403, 403, 403, 403, 403, 200, 403, 401]),
        ("POST /api/operator/accounts/{applicantAccount}/suspend", null, [401, 403, 403, 403, 403, 403, 200, 403, 401]),
        ("POST /api/operator/lots/{lot}/take-down", null, [401, 403, 403, 403, 403, 403, 200, 403, 401]),
        ("POST /api/operator/backups", null, [401, 403, 403, 403, 403, 403, 409, 403, 401]), // 409 for the operator: these hosts run in memory
        ("GET /api/sandbox/sms?phone={freshPhoneInQuery}", null, [200, 200, 200, 200, 200, 200, 200, 200, 200]),

        // The phone gateway's callbacks: the caller is the gateway, proven by its signature alone,
        // so no bearer token makes an unsigned callback count (401 for everyone, nothing done).
        // The sandbox gateway (Development) signs for anyone, as it stands in for the handset.
        ("POST /api/phone/ussd", """{"sessionId":"m1","phoneNumber":"{freshPhone}","serviceCode":"*384*12#","text":""}""", [401, 401, 401, 401, 401, 401, 401, 401, 401]),
        ("POST /api/phone/sms", """{"from":"{freshPhone}","text":"STATUS","messageId":"m1"}""", [401, 401, 401, 401, 401, 401, 401, 401, 401]),
        ("POST /api/sandbox/phone/ussd", """{"sessionId":"m1","phoneNumber":"{freshPhone}","text":""}""", [200, 200, 200, 200, 200, 200, 200, 200, 200]),
        ("POST /api/sandbox/phone/sms", """{"from":"{freshPhone}","text":"STATUS"}""", [200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ];

    private static readonly MatrixScenes<MatrixScene> Scenes = new();

    public static TheoryData<string, string> Rows() => RouteMatrix.Rows(Matrix.Select(r => r.Route), Callers);

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Every_route_answers_every_caller_exactly_as_it_should(string route, string caller)
    {
        var row = Matrix.Single(r => r.Route == route);
        var scene = await Scenes.For(api, route, MatrixScene.Create);
        using var client = scene.ClientOf(caller);
        await RouteMatrix.AssertAnswers(client, route, row.Body, scene.Fill, caller, row.Expected[Array.IndexOf(Callers, caller)]);
    }

    /// <summary>A seller's live lot and one that opens tomorrow; a shopper with an order awaiting payment and a fresh hold; an agent with a villager who has an order too.</summary>
    private sealed record MatrixScene(FlashSaleApiFactory Api, Dictionary<string, Caller?> Callers, Dictionary<string, string> Ids)
    {
        public static async Task<MatrixScene> Create(FlashSaleApiFactory api)
        {
            var seller = await api.SignUpSeller();
            var shopper = await api.SignUpShopper();
            var agent = await api.SignUpAgent();
            var lot = await seller.CreateLot(quantity: 100, perShopperLimit: 5);
            var scheduledLot = await seller.CreateLot(startsAt: api.Clock.GetUtcNow().AddDays(1));
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

            var (applicant, application) = await api.Applicant("seller");
            var suspended = await api.SignInByPhone();
            var op = api.AsCaller(await api.Operator());
            (await op.Http.PostAsync(new Uri($"/api/operator/accounts/{suspended.AccountId}/suspend", UriKind.Relative), null)).EnsureSuccessStatusCode();

            // The operator is one account for the whole matrix, and a shopper too: what an earlier
            // row held in its cart must not decide what this row's checkout answers.
            foreach (var item in (await op.GetCart()).Items)
            {
                await op.Release(item.LotId);
            }

            var freshPhone = PhoneAccounts.NewPhone();
            return new MatrixScene(api, new Dictionary<string, Caller?>
            {
                [Anonymous] = null,
                [Shopper] = shopper,
                [OtherShopper] = await api.SignUpShopper("Another shopper"),
                [Seller] = seller,
                [OtherSeller] = await api.SignUpSeller("Another farm"),
                [Agent] = agent,
                [Operator] = op,
                [Applicant] = api.AsCaller(applicant),
                [Suspended] = api.AsCaller(suspended),
            }, new Dictionary<string, string>
            {
                ["{lot}"] = lot.LotId,
                ["{scheduledLot}"] = scheduledLot.LotId,
                ["{order}"] = order.OrderId,
                ["{payment}"] = order.Payment.PaymentId,
                ["{villager}"] = villager,
                ["{villagerOrder}"] = villagerOrder,
                ["{freshPhone}"] = freshPhone,
                ["{freshPhoneInQuery}"] = Uri.EscapeDataString(freshPhone), // a '+' in a query is a space
                ["{refresh}"] = applicant.RefreshToken,
                ["{application}"] = application.ApplicationId,
                ["{applicantAccount}"] = applicant.AccountId,
            });
        }

        public string Fill(string template) => Ids.Aggregate(template, (text, id) => text.Replace(id.Key, id.Value, StringComparison.Ordinal));

        public HttpClient ClientOf(string caller) =>
            Callers[caller] is { } who ? Api.CreateClientWithToken(who.Token) : Api.CreateAnonymousClient();
    }
}
