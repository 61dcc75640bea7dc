using System.Net;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Ledger;
using static FlashSale.Api.Tests.Fulfilment.FulfilmentCalls;

namespace FlashSale.Api.Tests.Fulfilment;

[CollectionDefinition(Name)]
public sealed class FulfilmentAuthorizationMatrixCollection : ICollectionFixture<FlashSaleApiFactory>
{
    public const string Name = "fulfilment authorization matrix";
}

/// <summary>
/// Every fulfilment and money route against every kind of caller, as the main matrix does for
/// the rest, with the callers this part needs: another shopper, another seller and another
/// agent, whose orders, lots, parcels and cash are not theirs. Each row that may change state
/// runs on a fresh scene (a read shares one per route): a cash-on-delivery order shipped to the
/// agent's point ({order}), and a second one handed over whose cash the agent has remitted,
/// pending the seller's confirmation ({remittance}).
/// </summary>
[Collection(FulfilmentAuthorizationMatrixCollection.Name)]
public sealed class FulfilmentAuthorizationMatrixTests(FlashSaleApiFactory api)
{
    private const string Anonymous = "anonymous";
    private const string Shopper = "shopper";
    private const string OtherShopper = "another shopper";
    private const string Seller = "seller";
    private const string OtherSeller = "another seller";
    private const string Agent = "agent";
    private const string OtherAgent = "another agent";

    private static readonly string[] Callers = [Anonymous, Shopper, OtherShopper, Seller, OtherSeller, Agent, OtherAgent];

    private static readonly (string Route, string? Body, int[] Expected)[] Matrix =
    [
        ("GET /api/pickup-points?village=Zhouzhi", null, [200, 200, 200, 200, 200, 200, 200]),
        ("PUT /api/orders/{order}/delivery", """{"kind":"pickup","pointId":"{point}"}""", [401, 409, 404, 403, 403, 403, 403]),
        ("POST /api/seller/orders/{order}/pack", null, [401, 403, 403, 409, 404, 403, 403]),
        ("POST /api/seller/orders/{order}/ship", """{"trackingId":"SF-9"}""", [401, 403, 403, 409, 404, 403, 403]),
        ("POST /api/seller/orders/ship", """{"orderIds":["{order}"]}""", [401, 403, 403, 200, 200, 403, 403]),
        ("POST /api/seller/orders/{order}/deliver", null, [401, 403, 403, 409, 404, 403, 403]),
        ("POST /api/seller/orders/{order}/cancel", """{"reason":"short harvest"}""", [401, 403, 403, 409, 404, 403, 403]),
        ("POST /api/seller/orders/{order}/reset-pickup-code", null, [401, 403, 403, 200, 404, 403, 403]),
        ("POST /api/seller/orders/{order}/substitute", """{"lotId":"{lot}","quantity":1}""", [401, 403, 403, 409, 404, 403, 403]), // {order} is no presale cut short
        ("GET /api/lots/{lot}/orders", null, [401, 403, 403, 200, 403, 403, 403]),
        ("GET /api/sellers/me/lots", null, [401, 403, 403, 200, 200, 403, 403]),
        ("GET /api/agent/parcels", null, [401, 403, 403, 403, 403, 200, 200]),
        ("POST /api/agent/parcels/{order}/arrived", null, [401, 403, 403, 403, 403, 200, 404]),
        ("POST /api/agent/parcels/{order}/handover", """{"pickupCode":"{wrongCode}"}""", [401, 403, 403, 403, 403, 409, 404]),
        ("GET /api/sellers/me/ledger", null, [401, 403, 403, 200, 200, 403, 403]),
        ("GET /api/sellers/me/statements/2026-11-30", null, [401, 403, 403, 200, 200, 403, 403]),
        ("GET /api/sellers/me/remittances", null, [401, 403, 403, 200, 200, 403, 403]),
        ("POST /api/sellers/me/remittances/{remittance}/confirm", null, [401, 403, 403, 200, 404, 403, 403]),
        ("GET /api/agent/cash", null, [401, 403, 403, 403, 403, 200, 200]),
        ("POST /api/agent/remittances", """{"sellerId":"{seller}","currency":"CNY","amountMinor":1}""", [401, 403, 403, 403, 403, 201, 409]),
    ];

    private static readonly MatrixScenes<Scene> Scenes = new();

    public static TheoryData<string, string> Rows() => RouteMatrix.Rows(Matrix.Select(r => r.Route), Callers);

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Every_fulfilment_route_answers_every_caller_exactly_as_it_should(string route, string caller)
    {
        var row = Matrix.Single(r => r.Route == route);
        var scene = await Scenes.For(api, route, Scene.Create);
        using var client = scene.Callers[caller] is { } who ? api.CreateClientWithToken(who.Token) : api.CreateAnonymousClient();
        await RouteMatrix.AssertAnswers(client, route, row.Body, scene.Fill, caller, row.Expected[Array.IndexOf(Callers, caller)]);
    }

    private sealed record Scene(Dictionary<string, Caller?> Callers, Dictionary<string, string> Ids)
    {
        public static async Task<Scene> Create(FlashSaleApiFactory api)
        {
            var seller = await api.SignUpSeller();
            var agent = await api.SignUpAgent();
            var shopper = await api.SignUpShopper();
            var lot = await seller.CreateLot(quantity: 100, perShopperLimit: 5);

            var order = await shopper.Buy(lot.LotId, 1, AtPoint(PointOf(agent)));
            await seller.Move($"/api/seller/orders/{order.OrderId}/pack");
            await seller.Move($"/api/seller/orders/{order.OrderId}/ship");

            var handedOver = await shopper.Buy(lot.LotId, 1, AtPoint(PointOf(agent)));
            await BringToPoint(seller, agent, handedOver.OrderId);
            await agent.Move($"/api/agent/parcels/{handedOver.OrderId}/handover", new { pickupCode = handedOver.Fulfilment!.PickupCode });
            using var remitted = await agent.Post("/api/agent/remittances", new { sellerId = seller.Id, currency = "CNY", amountMinor = 100 });
            var remittance = await remitted.ReadAs<Remittance>(HttpStatusCode.Created);

            return new Scene(new Dictionary<string, Caller?>
            {
                [Anonymous] = null,
                [Shopper] = shopper,
                [OtherShopper] = await api.SignUpShopper("Another shopper"),
                [Seller] = seller,
                [OtherSeller] = await api.SignUpSeller("Another farm"),
                [Agent] = agent,
                [OtherAgent] = await api.SignUpAgent("Another agent", "Zhouzhi"),
            }, new Dictionary<string, string>
            {
                ["{lot}"] = lot.LotId,
                ["{order}"] = order.OrderId,
                ["{point}"] = PointOf(agent),
                ["{seller}"] = seller.Id,
                ["{wrongCode}"] = WrongCode(order.Fulfilment!.PickupCode!),
                ["{remittance}"] = remittance.RemittanceId,
            });
        }

        public string Fill(string template) => Ids.Aggregate(template, (text, id) => text.Replace(id.Key, id.Value, StringComparison.Ordinal));
    }
}
