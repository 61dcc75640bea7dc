using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FlashSale.Api.Extensions;
using FlashSale.Api.Fulfilment;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Fulfilment;
using FlashSale.Ledger;
using FlashSale.Orders;
using static FlashSale.Api.Tests.Fulfilment.FulfilmentCalls;

namespace FlashSale.Api.Tests.Fulfilment;

[Collection(FulfilmentApiCollection.Name)]
public sealed class FulfilmentApiTests(FlashSaleApiFactory api)
{
    [Fact]
    public async Task An_agent_signed_up_has_a_service_point_listed_with_its_village_first()
    {
        var far = await api.SignUpAgent("Far shop", "Hanzhong");
        var near = await api.SignUpAgent("Liu's shop", "Zhouzhi");

        var points = await (await api.SignUpShopper()).Get<PickupPoint[]>("/api/pickup-points?village=zhouzhi");
        using var anonymous = api.CreateAnonymousClient();
        using var tooLong = await anonymous.GetAsync(new Uri("/api/pickup-points?village=" + new string('x', 101), UriKind.Relative));

        Assert.Contains(new PickupPoint(PointOf(far), far.Id, "Far shop", "Hanzhong"), points);
        Assert.Contains(new PickupPoint(PointOf(near), near.Id, "Liu's shop", "Zhouzhi"), points.TakeWhile(p => p.Village == "Zhouzhi"));
        Assert.DoesNotContain(points.SkipWhile(p => p.Village == "Zhouzhi"), p => p.Village == "Zhouzhi");
        await tooLong.ReadProblem(HttpStatusCode.BadRequest, Problems.InvalidRequest);
    }

    [Fact]
    public async Task The_delivery_is_part_of_the_checkout_and_of_its_idempotency_fingerprint()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot();
        var agent = await api.SignUpAgent();
        var shopper = await api.SignUpShopper();
        await shopper.Hold(lot.LotId, 2);
        var key = SaleApi.NewIdempotencyKey();

        using var first = await shopper.CheckoutWith("cash-on-delivery", AtPoint(PointOf(agent)), key);
        using var retry = await shopper.CheckoutWith("cash-on-delivery", AtPoint(PointOf(agent)), key);
        using var other = await shopper.CheckoutWith("cash-on-delivery", Home(), key);

        var order = await first.ReadAs<Order>(HttpStatusCode.Created);
        Assert.Equal(order.OrderId, (await retry.ReadAs<Order>(HttpStatusCode.Created)).OrderId);
        await other.ReadProblem(HttpStatusCode.UnprocessableEntity, Problems.IdempotencyKeyReused);
        Assert.Equal((DeliveryKind.Pickup, PointOf(agent)), (order.Delivery!.Kind, order.Delivery.PointId));
        Assert.Matches("^[0-9]{6}$", order.Fulfilment!.PickupCode);
        Assert.Equal(ShipmentStatus.AwaitingPacking, Assert.Single(order.Fulfilment.Shipments).Status);
    }

    public static TheoryData<string> BadDeliveries() => new()
    {
        """{"kind":"drone"}""",
        """{"kind":"pickup"}""",
        """{"kind":"pickup","pointId":"pnt_0000000000000000"}""",
        """{"kind":"pickup","pointId":"not a point"}""",
        """{"kind":"home"}""",
        """{"kind":"home","address":{"name":"Li","phone":"call me","line1":"1 Road","village":"V","region":"R"}}""",
        """{"kind":"home","address":{"name":"","phone":"12345","line1":"1 Road","village":"V","region":"R"}}""",
        """{"kind":"home","address":{"name":"Li","phone":"12345","line1":"1 Road","village":"V"}}""",
        """{"kind":"home","address":{"name":"Li\u0007","phone":"12345","line1":"1 Road","village":"V","region":"R"}}""",
        """{"kind":"home","pointId":"pnt_0000000000000000","address":{"name":"Li","phone":"12345","line1":"1 Road","village":"V","region":"R"}}""",
    };

    [Theory]
    [MemberData(nameof(BadDeliveries))]
    public async Task A_bad_delivery_is_400_at_checkout_and_on_the_order_and_changes_nothing(string delivery)
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot();
        var shopper = await api.SignUpShopper();
        await shopper.Hold(lot.LotId, 1);
        var placed = await shopper.PlaceOrder("cash-on-delivery");
        await shopper.Hold(lot.LotId, 1);
        var cartBefore = JsonSerializer.Serialize(await shopper.GetCart());

        using var checkout = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/checkout", UriKind.Relative))
        {
            Content = new StringContent($$"""{"paymentMethod":"wallet","delivery":{{delivery}}}""", System.Text.Encoding.UTF8, "application/json"),
        };
        checkout.Headers.Add("Idempotency-Key", SaleApi.NewIdempotencyKey());
        using var refused = await shopper.Http.SendAsync(checkout);
        using var put = await shopper.Http.PutAsync(new Uri($"/api/orders/{placed.OrderId}/delivery", UriKind.Relative),
            new StringContent(delivery, System.Text.Encoding.UTF8, "application/json"));

        await refused.ReadProblem(HttpStatusCode.BadRequest, Problems.InvalidRequest);
        await put.ReadProblem(HttpStatusCode.BadRequest, Problems.InvalidRequest);
        Assert.Equal(cartBefore, JsonSerializer.Serialize(await shopper.GetCart()));
        Assert.Single(await shopper.ListOrders());
        Assert.Null((await shopper.GetOrder(placed.OrderId)).Delivery);
    }

    [Fact]
    public async Task From_packing_to_handover_at_the_point_the_code_stays_with_the_shopper_and_the_cash_with_the_agent()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(priceMinor: 2500);
        var agent = await api.SignUpAgent();
        var shopper = await api.SignUpShopper();
        var placed = await shopper.Buy(lot.LotId, 2, new { kind = "home", address = new { name = "Li", phone = "12345", line1 = "1 Road", village = "V", region = "R" } });
        using var set = await shopper.Http.PutAsJsonAsync($"/api/orders/{placed.OrderId}/delivery", AtPoint(PointOf(agent)), ApiJson.Options);
        var order = await set.ReadAs<Order>(); // the shopper changed their mind before packing
        var code = order.Fulfilment!.PickupCode!;

        var packed = await seller.Move($"/api/seller/orders/{order.OrderId}/pack");
        using var batch = await seller.Post("/api/seller/orders/ship", new { orderIds = new[] { order.OrderId, "ord_0000000000000000" }, pointId = PointOf(agent) });
        var shipped = await batch.ReadAs<BatchShipResult>();
        var parcels = await agent.Get<Order[]>("/api/agent/parcels");
        using var early = await agent.Post($"/api/agent/parcels/{order.OrderId}/handover", new { pickupCode = code });
        await agent.Move($"/api/agent/parcels/{order.OrderId}/arrived");
        using var wrong = await agent.Post($"/api/agent/parcels/{order.OrderId}/handover", new { pickupCode = WrongCode(code) });
        var atPoint = await shopper.GetOrder(order.OrderId);
        var collected = await agent.Move($"/api/agent/parcels/{order.OrderId}/handover", new { pickupCode = code });
        using var twice = await agent.Post($"/api/agent/parcels/{order.OrderId}/handover", new { pickupCode = code });

        Assert.Null(packed.Fulfilment!.PickupCode);
        Assert.Equal(order.OrderId, Assert.Single(shipped.Shipped).OrderId);
        Assert.Equal("ord_0000000000000000", Assert.Single(shipped.Refused).OrderId);
        Assert.Null(Assert.Single(parcels).Fulfilment!.PickupCode);
        await early.ReadProblem(HttpStatusCode.Conflict, Problems.Conflict);
        await wrong.ReadProblem(HttpStatusCode.Conflict, Problems.Conflict);
        Assert.Equal(ShipmentStatus.AtPickupPoint, atPoint.Fulfilment!.Shipments[0].Status);
        Assert.Equal(code, atPoint.Fulfilment.PickupCode);
        Assert.Equal((OrderStatus.Paid, ShipmentStatus.Collected), (collected.Status, collected.Fulfilment!.Shipments[0].Status));
        Assert.Null(collected.Fulfilment.PickupCode);
        await twice.ReadProblem(HttpStatusCode.Conflict, Problems.Conflict);

        var ledger = await seller.Get<LedgerView>("/api/sellers/me/ledger");
        Assert.Equal([new LedgerBalance("CNY", 5000, 0, 0, 5000, 0, 0)], ledger.Balances);
        Assert.Equal([new AgentCashHeld(seller.Id, "CNY", 5000, 0)], await agent.Get<AgentCashHeld[]>("/api/agent/cash"));

        using var remit = await agent.Post("/api/agent/remittances", new { sellerId = seller.Id, currency = "CNY", amountMinor = 3000 });
        var remittance = await remit.ReadAs<Remittance>(HttpStatusCode.Created);
        using var tooMuch = await agent.Post("/api/agent/remittances", new { sellerId = seller.Id, currency = "CNY", amountMinor = 2001 });
        Assert.Equal(RemittanceStatus.Pending, remittance.Status);
        await tooMuch.ReadProblem(HttpStatusCode.Conflict, Problems.Conflict);
        Assert.Equal([new AgentCashHeld(seller.Id, "CNY", 5000, 3000)], await agent.Get<AgentCashHeld[]>("/api/agent/cash"));

        using var confirm = await seller.Post($"/api/sellers/me/remittances/{remittance.RemittanceId}/confirm");
        using var again = await seller.Post($"/api/sellers/me/remittances/{remittance.RemittanceId}/confirm");
        Assert.Equal(RemittanceStatus.Confirmed, (await confirm.ReadAs<Remittance>()).Status);
        await again.ReadProblem(HttpStatusCode.Conflict, Problems.Conflict);
        Assert.Equal([new AgentCashHeld(seller.Id, "CNY", 2000, 0)], await agent.Get<AgentCashHeld[]>("/api/agent/cash"));
        Assert.Equal([new LedgerBalance("CNY", 5000, 0, 0, 2000, 0, 3000)], (await seller.Get<LedgerView>("/api/sellers/me/ledger")).Balances);

        var today = api.Clock.GetUtcNow().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var statement = await seller.Get<LedgerStatement>($"/api/sellers/me/statements/{today}");
        Assert.Equal([LedgerEntryKind.CashHeldByAgent, LedgerEntryKind.RemittanceConfirmed], statement.Entries.Select(e => e.Kind));
        Assert.Equal(new LedgerBalance("CNY", 5000, 0, 0, 2000, 0, 3000), Assert.Single(statement.ClosingBalances));
        using var csvRequest = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/sellers/me/statements/{today}", UriKind.Relative));
        csvRequest.Headers.Accept.ParseAdd("text/csv");
        using var csv = await seller.Http.SendAsync(csvRequest);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"cash-held-by-agent\"", await csv.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var badDate = await seller.Http.GetAsync(new Uri("/api/sellers/me/statements/2026-13-40", UriKind.Relative));
        await badDate.ReadProblem(HttpStatusCode.BadRequest, Problems.InvalidRequest);
    }

    [Fact]
    public async Task The_order_desk_pages_and_filters_the_lots_orders_and_writes_a_packing_list_grouped_by_destination()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(perShopperLimit: 5);
        var otherLot = await seller.CreateLot(name: "Kiwis");
        var agent = await api.SignUpAgent();
        var orders = new List<Order>();
        for (var i = 0; i < 5; i++)
        {
            orders.Add(await (await api.SignUpShopper()).Buy(lot.LotId, 1, i % 2 == 0 ? AtPoint(PointOf(agent)) : Home(name: "=HYPERLINK(\"x\")")));
        }

        await seller.Move($"/api/seller/orders/{orders[0].OrderId}/pack");

        var first = await seller.Get<OrderPage>($"/api/lots/{lot.LotId}/orders?limit=2");
        var second = await seller.Get<OrderPage>($"/api/lots/{lot.LotId}/orders?limit=2&after={first.Next}");
        var third = await seller.Get<OrderPage>($"/api/lots/{lot.LotId}/orders?limit=2&after={second.Next}");
        var packed = await seller.Get<OrderPage>($"/api/lots/{lot.LotId}/orders?status=packed");
        var mine = await seller.Get<FlashSale.Lots.Lot[]>("/api/sellers/me/lots");

        Assert.Equal(orders.Select(o => o.OrderId), first.Items.Concat(second.Items).Concat(third.Items).Select(o => o.OrderId));
        Assert.Null(third.Next);
        Assert.All(first.Items, o => Assert.Null(o.Fulfilment!.PickupCode));
        Assert.Equal(orders[0].OrderId, Assert.Single(packed.Items).OrderId);
        Assert.Equal(new[] { lot.LotId, otherLot.LotId }.Order(StringComparer.Ordinal), mine.Select(l => l.LotId).Order(StringComparer.Ordinal));

        using var csvRequest = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/lots/{lot.LotId}/orders", UriKind.Relative));
        csvRequest.Headers.Accept.ParseAdd("text/csv");
        using var csv = await seller.Http.SendAsync(csvRequest);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, lines.Length);
        Assert.StartsWith("\"destination\"", lines[0], StringComparison.Ordinal);
        var destinations = lines.Skip(1).Select(l => l.Split("\",\"")[0].TrimStart('"')).ToList();
        Assert.Equal(destinations.Order(StringComparer.Ordinal), destinations); // grouped
        Assert.Contains("\"'=HYPERLINK(\"\"x\"\")\"", lines[2] + lines[1] + lines[3] + lines[4] + lines[5], StringComparison.Ordinal); // no formula runs

        foreach (var bad in new[] { "status=lost", "limit=0", "limit=101", "after=-1", "after=abc" })
        {
            using var refused = await seller.Http.GetAsync(new Uri($"/api/lots/{lot.LotId}/orders?{bad}", UriKind.Relative));
            await refused.ReadProblem(HttpStatusCode.BadRequest, Problems.InvalidRequest);
        }
    }

    [Fact]
    public async Task A_seller_cancel_before_shipping_returns_the_stock_and_the_shopper_sees_it_and_wrong_state_moves_are_409()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 20);
        var shopper = await api.SignUpShopper();
        var order = await shopper.Buy(lot.LotId, 3, Home());
        var shipped = await shopper.Buy(lot.LotId, 1, Home());
        await seller.Move($"/api/seller/orders/{shipped.OrderId}/pack");
        await seller.Move($"/api/seller/orders/{shipped.OrderId}/ship");

        using var noReason = await seller.Post($"/api/seller/orders/{order.OrderId}/cancel", new { reason = "" });
        await noReason.ReadProblem(HttpStatusCode.BadRequest, Problems.InvalidRequest);
        using var shipEarly = await seller.Post($"/api/seller/orders/{order.OrderId}/ship");
        await shipEarly.ReadProblem(HttpStatusCode.Conflict, Problems.Conflict);
        var cancelled = await seller.Move($"/api/seller/orders/{order.OrderId}/cancel", new { reason = "Hail damaged the harvest" });
        using var cancelShipped = await seller.Post($"/api/seller/orders/{shipped.OrderId}/cancel", new { reason = "too late" });
        using var packCancelled = await seller.Post($"/api/seller/orders/{order.OrderId}/pack");

        Assert.Equal(OrderStatus.Cancelled, cancelled.Status);
        Assert.Equal(("Hail damaged the harvest", ShipmentStatus.Cancelled), (cancelled.Fulfilment!.Shipments[0].CancelReason, cancelled.Fulfilment.Shipments[0].Status));
        Assert.Equal(OrderStatus.Cancelled, (await shopper.GetOrder(order.OrderId)).Status);
        var after = await seller.GetLot(lot.LotId);
        Assert.Equal((19, 1), (after.Available, after.Sold));
        await cancelShipped.ReadProblem(HttpStatusCode.Conflict, Problems.Conflict);
        await packCancelled.ReadProblem(HttpStatusCode.Conflict, Problems.Conflict);
        var delivered = await seller.Move($"/api/seller/orders/{shipped.OrderId}/deliver");
        Assert.Equal(OrderStatus.Paid, delivered.Status);
        Assert.Equal([new LedgerBalance("CNY", 6800, 0, 0, 0, 6800, 0)], (await seller.Get<LedgerView>("/api/sellers/me/ledger")).Balances);
    }

    [Fact]
    public async Task A_villager_order_goes_to_its_agents_own_point_by_default()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot();
        var agent = await api.SignUpAgent();
        using var registered = await agent.Post("/api/agent/villagers", new { name = "Grandma Wu" });
        var villager = (await registered.ReadAs<JsonElement>(HttpStatusCode.Created)).GetProperty("shopperId").GetString()!;
        using var held = await agent.Http.PutAsJsonAsync($"/api/agent/villagers/{villager}/cart/items/{lot.LotId}", new { quantity = 1 }, ApiJson.Options);
        using var checkout = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/agent/villagers/{villager}/checkout", UriKind.Relative))
        {
            Content = JsonContent.Create(new { paymentMethod = "cash-on-delivery" }, options: ApiJson.Options),
        };
        checkout.Headers.Add("Idempotency-Key", SaleApi.NewIdempotencyKey());
        using var placed = await agent.Http.SendAsync(checkout);

        var order = await placed.ReadAs<Order>(HttpStatusCode.Created);
        Assert.Equal((DeliveryKind.Pickup, PointOf(agent)), (order.Delivery!.Kind, order.Delivery.PointId));
    }
}
