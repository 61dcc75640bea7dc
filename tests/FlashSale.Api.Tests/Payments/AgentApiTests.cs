using System.Net;
using System.Net.Http.Json;
using FlashSale.Api.Apis;
using FlashSale.Api.Extensions;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Carts;
using FlashSale.Orders;
using FlashSale.Lots;
using FlashSale.Payments;
using FlashSale.WaitingRooms;

namespace FlashSale.Api.Tests.Payments;

/// <summary>The village-agent method end to end: registering villagers, ordering for them, and confirming the cash collected.</summary>
[Collection(PaymentsApiCollection.Name)]
public sealed class AgentApiTests(PaymentsApiFactory api)
{
    private static async Task<VillagerView> Register(Caller agent, string name = "Ma Li")
    {
        using var response = await agent.Http.PostAsJsonAsync("/api/agent/villagers", new { name }, ApiJson.Options);
        var villager = await response.ReadAs<VillagerView>(HttpStatusCode.Created);
        Assert.Equal($"/api/agent/villagers/{villager.ShopperId}", response.Headers.Location?.OriginalString);
        return villager;
    }

    private static Task<HttpResponseMessage> Hold(Caller agent, string villager, string lotId, int quantity) =>
        agent.Http.PutAsJsonAsync($"/api/agent/villagers/{villager}/cart/items/{lotId}", new { quantity }, ApiJson.Options);

    private static async Task<HttpResponseMessage> Checkout(Caller agent, string villager, string paymentMethod, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/agent/villagers/{villager}/checkout", UriKind.Relative))
        {
            Content = JsonContent.Create(new { paymentMethod }, options: ApiJson.Options),
        };
        request.Headers.Add(CheckoutApi.IdempotencyKeyHeader, key ?? SaleApi.NewIdempotencyKey());
        return await agent.Http.SendAsync(request);
    }

    private static Task<HttpResponseMessage> Collected(Caller agent, string orderId) =>
        agent.Http.PostAsync(new Uri($"/api/agent/orders/{orderId}/collected", UriKind.Relative), null);

    private static Task<HttpResponseMessage> JoinQueue(Caller agent, string villager, string lotId) =>
        agent.Http.PostAsync(new Uri($"/api/agent/villagers/{villager}/lots/{lotId}/queue", UriKind.Relative), null);

    private static Task<HttpResponseMessage> GetTicket(Caller agent, string villager, string lotId) =>
        agent.Http.GetAsync(new Uri($"/api/agent/villagers/{villager}/lots/{lotId}/queue", UriKind.Relative));

    /// <summary>A lot behind a waiting room that lets one person in per second.</summary>
    private static async Task<Lot> CreateQueuedLot(Caller seller)
    {
        using var created = await seller.Http.PostAsJsonAsync("/api/lots", new
        {
            name = "Navel oranges", unit = "box", priceMinor = 9900, currency = "CNY", quantity = 800, perShopperLimit = 4,
            waitingRoom = new { admitPerSecond = 1, admissionWindowSeconds = 120 },
        }, ApiJson.Options);
        return await created.ReadAs<Lot>(HttpStatusCode.Created);
    }

    [Fact]
    public async Task An_agent_queues_a_villager_and_holds_once_the_villager_is_admitted()
    {
        var seller = await api.SignUpSeller();
        var lot = await CreateQueuedLot(seller);
        var agent = await api.SignUpAgent();
        var villager = await Register(agent);
        var shopper = await api.SignUpShopper();
        using (var first = await shopper.Http.PostAsync(new Uri($"/api/lots/{lot.LotId}/queue", UriKind.Relative), null))
        {
            Assert.Equal(TicketState.Admitted, (await first.ReadAs<QueueTicket>()).State);
        }

        using (var unqueued = await Hold(agent, villager.ShopperId, lot.LotId, 2))
        {
            await unqueued.ReadProblem(HttpStatusCode.Conflict, Problems.SaleNotLive);
        }

        using var joined = await JoinQueue(agent, villager.ShopperId, lot.LotId);
        using var again = await JoinQueue(agent, villager.ShopperId, lot.LotId);
        var ticket = await joined.ReadAs<QueueTicket>();
        Assert.Equal((villager.ShopperId, TicketState.Waiting, 2, 0), (ticket.ShopperId, ticket.State, ticket.Position, ticket.Ahead));
        Assert.Equal(ticket.Position, (await again.ReadAs<QueueTicket>()).Position); // one ticket per villager
        using (var waiting = await Hold(agent, villager.ShopperId, lot.LotId, 2))
        {
            await waiting.ReadProblem(HttpStatusCode.Conflict, Problems.SaleNotLive);
        }

        api.Clock.Advance(TimeSpan.FromSeconds(1));

        using var read = await GetTicket(agent, villager.ShopperId, lot.LotId);
        Assert.Equal(TicketState.Admitted, (await read.ReadAs<QueueTicket>()).State);
        using var held = await Hold(agent, villager.ShopperId, lot.LotId, 2);
        Assert.Equal(2, Assert.Single((await held.ReadAs<Cart>()).Items).Quantity);
        using var checkout = await Checkout(agent, villager.ShopperId, "village-agent");
        var order = await checkout.ReadAs<Order>(HttpStatusCode.Created);
        Assert.Equal((villager.ShopperId, OrderStatus.AwaitingPayment, 19800L), (order.ShopperId, order.Status, order.TotalMinor));
    }

    [Fact]
    public async Task A_villagers_ticket_is_the_registering_agents_alone()
    {
        var seller = await api.SignUpSeller();
        var queued = await CreateQueuedLot(seller);
        var plain = await seller.CreateLot(quantity: 40, perShopperLimit: 5);
        var agent = await api.SignUpAgent();
        var stranger = await api.SignUpAgent("Qian Bo");
        var villager = await Register(agent);
        var unqueued = await Register(agent, "Zhou Hua");
        using (var joined = await JoinQueue(agent, villager.ShopperId, queued.LotId))
        {
            await joined.ReadAs<QueueTicket>();
        }

        var refusals = new (HttpResponseMessage Response, HttpStatusCode Status, string Code)[]
        {
            (await JoinQueue(stranger, villager.ShopperId, queued.LotId), HttpStatusCode.NotFound, Problems.NotFound),
            (await GetTicket(stranger, villager.ShopperId, queued.LotId), HttpStatusCode.NotFound, Problems.NotFound),
            (await GetTicket(agent, unqueued.ShopperId, queued.LotId), HttpStatusCode.NotFound, Problems.NotFound),
            (await JoinQueue(agent, villager.ShopperId, plain.LotId), HttpStatusCode.Conflict, Problems.Conflict),
            (await GetTicket(agent, villager.ShopperId, plain.LotId), HttpStatusCode.NotFound, Problems.NotFound),
            (await JoinQueue(agent, villager.ShopperId, FlashSale.Common.Ids.New(FlashSale.Common.Ids.LotPrefix)), HttpStatusCode.NotFound, Problems.NotFound),
        };

        foreach (var (response, status, code) in refusals)
        {
            await response.ReadProblem(status, code);
            response.Dispose();
        }

        using var asShopper = await (await api.SignUpShopper()).Http.PostAsync(new Uri($"/api/agent/villagers/{villager.ShopperId}/lots/{queued.LotId}/queue", UriKind.Relative), null);
        await asShopper.ReadProblem(HttpStatusCode.Forbidden, Problems.Forbidden);
        using var ticket = await GetTicket(agent, villager.ShopperId, queued.LotId);
        Assert.Equal(1, (await ticket.ReadAs<QueueTicket>()).Position); // the stranger's attempt took no place
    }

    /// <summary>Malformed or unknown ids on the queue routes are not found, and nothing joins any room.</summary>
    [Theory]
    [InlineData("POST", "villager", "ord_0123456789abcdef")]
    [InlineData("POST", "villager", "shp_")]
    [InlineData("POST", "villager", "not an id")]
    [InlineData("POST", "lot", "lot_")]
    [InlineData("POST", "lot", "LOT_0123456789abcdef")]
    [InlineData("POST", "lot", "pears")]
    [InlineData("GET", "villager", "shp_")]
    [InlineData("GET", "lot", "lot_0123456789abcdeu")]
    [InlineData("GET", "lot", "ord_0123456789abcdef")]
    [InlineData("POST", "villager", "shp_0123456789abcdef")] // well formed, nobody's villager
    [InlineData("POST", "lot", "lot_0123456789abcdef")] // well formed, no such lot
    [InlineData("GET", "lot", "lot_0123456789abcdef")]
    public async Task Malformed_ids_on_the_queue_routes_are_not_found(string method, string which, string malformed)
    {
        var seller = await api.SignUpSeller();
        var lot = await CreateQueuedLot(seller);
        var agent = await api.SignUpAgent();
        var villager = await Register(agent);
        var (shopperId, lotId) = which == "villager" ? (Uri.EscapeDataString(malformed), lot.LotId) : (villager.ShopperId, Uri.EscapeDataString(malformed));

        using var response = await agent.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), new Uri($"/api/agent/villagers/{shopperId}/lots/{lotId}/queue", UriKind.Relative)));

        await response.ReadProblem(HttpStatusCode.NotFound, Problems.NotFound);
        using var none = await GetTicket(agent, villager.ShopperId, lot.LotId);
        await none.ReadProblem(HttpStatusCode.NotFound, Problems.NotFound);
    }

    [Fact]
    public async Task An_agent_orders_for_a_villager_and_the_collected_cash_pays_the_order()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 40, perShopperLimit: 5, priceMinor: 4500);
        var agent = await api.SignUpAgent();
        var villager = await Register(agent);
        Assert.Equal([villager.ShopperId], (await agent.Http.GetFromJsonAsync<VillagerView[]>("/api/agent/villagers", ApiJson.Options))!.Select(v => v.ShopperId));

        using var held = await Hold(agent, villager.ShopperId, lot.LotId, 3);
        Assert.Equal(3, Assert.Single((await held.ReadAs<Cart>()).Items).Quantity);
        var key = SaleApi.NewIdempotencyKey();
        using var checkout = await Checkout(agent, villager.ShopperId, "village-agent", key);
        var order = await checkout.ReadAs<Order>(HttpStatusCode.Created);
        using var retry = await Checkout(agent, villager.ShopperId, "village-agent", key);
        Assert.Equal(order.OrderId, (await retry.ReadAs<Order>(HttpStatusCode.Created)).OrderId);
        Assert.Equal((villager.ShopperId, OrderStatus.AwaitingPayment), (order.ShopperId, order.Status));
        Assert.Equal(api.Clock.GetUtcNow().AddHours(48), order.Payment.ExpiresAt);
        Assert.Contains("135.00 CNY", order.Payment.Instructions, StringComparison.Ordinal);

        using var collected = await Collected(agent, order.OrderId);
        using var again = await Collected(agent, order.OrderId);

        var paid = await collected.ReadAs<Order>();
        Assert.Equal((OrderStatus.Paid, PaymentStatus.Succeeded), (paid.Status, paid.Payment.Status));
        Assert.Equal(OrderStatus.Paid, (await again.ReadAs<Order>()).Status);
        Assert.Equal([order.OrderId], (await agent.Http.GetFromJsonAsync<Order[]>($"/api/agent/villagers/{villager.ShopperId}/orders", ApiJson.Options))!.Select(o => o.OrderId));
        var record = await agent.PaymentRecord(order.OrderId);
        Assert.Equal(("village-agent", PaymentEventStatus.Applied), (Assert.Single(record.Events).Provider, record.Events[0].Status));
        var stats = await seller.GetStats(lot.LotId);
        Assert.Equal((3, 13500L, 1), (stats.Sold, stats.RevenueMinor, stats.PaidOrders));
    }

    [Fact]
    public async Task Only_the_registering_agent_may_act_for_a_villager()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 40, perShopperLimit: 5);
        var agent = await api.SignUpAgent();
        var stranger = await api.SignUpAgent("Qian Bo");
        var villager = await Register(agent);
        (await Hold(agent, villager.ShopperId, lot.LotId, 1)).Dispose();
        using var placed = await Checkout(agent, villager.ShopperId, "village-agent");
        var order = await placed.ReadAs<Order>(HttpStatusCode.Created);
        var before = await seller.GetLot(lot.LotId);

        var attempts = new[]
        {
            await Hold(stranger, villager.ShopperId, lot.LotId, 2),
            await stranger.Http.GetAsync(new Uri($"/api/agent/villagers/{villager.ShopperId}/cart", UriKind.Relative)),
            await Checkout(stranger, villager.ShopperId, "village-agent"),
            await stranger.Http.GetAsync(new Uri($"/api/agent/villagers/{villager.ShopperId}/orders", UriKind.Relative)),
            await stranger.Http.GetAsync(new Uri($"/api/agent/orders/{order.OrderId}", UriKind.Relative)),
            await stranger.Http.PostAsync(new Uri($"/api/agent/orders/{order.OrderId}/cancel", UriKind.Relative), null),
            await Collected(stranger, order.OrderId),
        };

        foreach (var response in attempts)
        {
            await response.ReadProblem(HttpStatusCode.NotFound, Problems.NotFound);
            response.Dispose();
        }

        Assert.Equal(before, await seller.GetLot(lot.LotId));
        Assert.Equal(OrderStatus.AwaitingPayment, (await agent.Http.GetFromJsonAsync<Order>($"/api/agent/orders/{order.OrderId}", ApiJson.Options))!.Status);
        using var asShopper = await (await api.SignUpShopper()).Http.PostAsync(new Uri($"/api/agent/orders/{order.OrderId}/collected", UriKind.Relative), null);
        await asShopper.ReadProblem(HttpStatusCode.Forbidden, Problems.Forbidden);
    }

    [Fact]
    public async Task One_agent_cannot_take_a_whole_lot()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 20, perShopperLimit: 4); // an agent may take a quarter: 5
        var agent = await api.SignUpAgent();
        var first = await Register(agent, "Ma Li");
        var second = await Register(agent, "Zhou Hua");
        (await Hold(agent, first.ShopperId, lot.LotId, 4)).Dispose();

        using var over = await Hold(agent, second.ShopperId, lot.LotId, 2);
        using var overLimit = await Hold(agent, first.ShopperId, lot.LotId, 5);

        await over.ReadProblem(HttpStatusCode.Conflict, Problems.LimitExceeded);
        await overLimit.ReadProblem(HttpStatusCode.Conflict, Problems.LimitExceeded);
        using var within = await Hold(agent, second.ShopperId, lot.LotId, 1);
        await within.ReadAs<Cart>();
        var after = await seller.GetLot(lot.LotId);
        Assert.Equal((15, 5), (after.Available, after.Reserved));
    }

    [Fact]
    public async Task Villager_orders_use_cash_methods_and_shoppers_cannot_choose_an_agent()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 40, perShopperLimit: 5);
        var agent = await api.SignUpAgent();
        var villager = await Register(agent);
        (await Hold(agent, villager.ShopperId, lot.LotId, 1)).Dispose();
        var shopper = await api.SignUpShopper();
        await shopper.Hold(lot.LotId, 1);

        using var wallet = await Checkout(agent, villager.ShopperId, "wallet");
        using var shopperChoosesAgent = await shopper.Checkout("village-agent", SaleApi.NewIdempotencyKey());
        using var cod = await Checkout(agent, villager.ShopperId, "cash-on-delivery");

        await wallet.ReadProblem(HttpStatusCode.BadRequest, Problems.InvalidRequest);
        await shopperChoosesAgent.ReadProblem(HttpStatusCode.BadRequest, Problems.InvalidRequest);
        Assert.Single((await shopper.GetCart()).Items);
        var codOrder = await cod.ReadAs<Order>(HttpStatusCode.Created);
        Assert.Equal(OrderStatus.ConfirmedCod, codOrder.Status);

        // The agent delivers and collects: the cash-on-delivery order is paid.
        using var collected = await Collected(agent, codOrder.OrderId);
        Assert.Equal(OrderStatus.Paid, (await collected.ReadAs<Order>()).Status);
    }

    [Fact]
    public async Task Cash_collected_after_the_window_is_taken_again_or_handed_back()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 8, perShopperLimit: 2); // an agent may take 2
        var agent = await api.SignUpAgent();
        var villager = await Register(agent);
        (await Hold(agent, villager.ShopperId, lot.LotId, 2)).Dispose();
        using var placed = await Checkout(agent, villager.ShopperId, "village-agent");
        var order = await placed.ReadAs<Order>(HttpStatusCode.Created);
        using var cancelled = await agent.Http.PostAsync(new Uri($"/api/agent/orders/{order.OrderId}/cancel", UriKind.Relative), null);
        Assert.Equal(OrderStatus.Cancelled, (await cancelled.ReadAs<Order>()).Status);

        using var late = await Collected(agent, order.OrderId);

        // The order was cancelled: the cash goes back to the villager, and the receipt says so.
        var refunded = await late.ReadAs<Order>();
        Assert.Equal(OrderStatus.Refunded, refunded.Status);
        var record = await agent.PaymentRecord(order.OrderId);
        Assert.Contains("back in cash", record.Refund!.Instructions, StringComparison.Ordinal);
        Assert.Equal(8, (await seller.GetLot(lot.LotId)).Available);
    }
}
