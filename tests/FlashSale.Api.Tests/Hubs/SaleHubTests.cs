using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FlashSale.Api.Extensions;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Live;
using FlashSale.Lots;
using FlashSale.WaitingRooms;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

using static FlashSale.Api.Tests.Fulfilment.FulfilmentCalls;

namespace FlashSale.Api.Tests.Hubs;

[CollectionDefinition(Name)]
public sealed class SaleHubCollection : ICollectionFixture<FlashSaleApiFactory>
{
    public const string Name = "sale hub";
}

/// <summary>The live sale through the .NET SignalR client, over WebSockets, as a browser would see it.</summary>
[Collection(SaleHubCollection.Name)]
public sealed class SaleHubTests(FlashSaleApiFactory api)
{
    [Fact]
    public async Task Watching_a_lot_sends_its_state_at_once()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 40);
        await using var watcher = await Watcher.Connect(api);

        await watcher.Hub.InvokeAsync("WatchLot", lot.LotId);

        var first = await watcher.NextStock(lot.LotId, _ => true);
        Assert.Equal((40, 0, 0, "live", lot.Version), (first.Available, first.Reserved, first.Sold, first.Status, first.Version));
    }

    [Fact]
    public async Task A_burst_of_holds_reaches_watchers_coalesced_and_ends_at_the_lot()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 5000, perShopperLimit: 1);
        await using var json = await Watcher.Connect(api);
        await using var messagePack = await Watcher.Connect(api, messagePack: true);
        await json.Hub.InvokeAsync("WatchLot", lot.LotId);
        await messagePack.Hub.InvokeAsync("WatchLot", lot.LotId);
        var shoppers = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => api.SignUpShopper()));
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(shoppers.Select(s => s.Hold(lot.LotId, 1)));

        var final = await api.CreateAnonymousClient().GetLot(lot.LotId);
        foreach (var watcher in new[] { json, messagePack })
        {
            var last = await watcher.NextStock(lot.LotId, u => u.Version >= final.Version);
            Assert.Equal((final.Available, final.Reserved, final.Version), (last.Available, last.Reserved, last.Version));
            var updates = watcher.Stock(lot.LotId);
            Assert.Equal(final.Version, updates.Max(u => u.Version)); // clients keep the highest version

            // The pacing rule: one publication per 100 ms at most, plus the state sent on watching.
            Assert.InRange(updates.Count, 2, (int)(clock.Elapsed / TimeSpan.FromMilliseconds(100)) + 3);
        }
    }

    [Fact]
    public async Task A_lot_that_does_not_exist_cannot_be_watched()
    {
        await using var watcher = await Watcher.Connect(api);

        await Assert.ThrowsAsync<HubException>(() => watcher.Hub.InvokeAsync("WatchLot", "lot_0000000000000000"));
        await Assert.ThrowsAsync<HubException>(() => watcher.Hub.InvokeAsync("WatchLot", "not an id"));
    }

    /// <summary>Anyone may ask for any id: a refusal is a Debug line, not an Error with a stack that fills the log.</summary>
    [Fact]
    public async Task Watching_a_bad_lot_id_logs_a_debug_line_not_an_error()
    {
        await using var watcher = await Watcher.Connect(api);
        var bad = "lot_" + new string('9', 16);

        await Assert.ThrowsAsync<HubException>(() => watcher.Hub.InvokeAsync("WatchLot", bad));
        await Assert.ThrowsAsync<HubException>(() => watcher.Hub.InvokeAsync("WatchLot", "not an id " + bad));

        var lines = api.Logs.Entries;
        Assert.Equal(2, lines.Count(l => l.Level == Microsoft.Extensions.Logging.LogLevel.Debug
            && l.Category == typeof(global::FlashSale.Api.Hubs.EngineHubFilter).FullName && l.Message.Contains("WatchLot refused", StringComparison.Ordinal)));
        Assert.DoesNotContain(lines, l => (l.Message.Contains("WatchLot", StringComparison.Ordinal) || l.Exception?.Message.Contains("lot was not found", StringComparison.Ordinal) == true)
            && (l.Level >= Microsoft.Extensions.Logging.LogLevel.Error || l.Exception is not null));
    }

    [Fact]
    public async Task Only_a_seller_may_watch_sell_through_and_sees_only_their_own_lots()
    {
        var seller = await api.SignUpSeller();
        var rival = await api.SignUpSeller("Rival farm");
        var own = await seller.CreateLot(quantity: 30);
        var others = await rival.CreateLot(quantity: 30);
        await using var anonymous = await Watcher.Connect(api);
        await using var shopperWatcher = await Watcher.Connect(api, (await api.SignUpShopper()).Token);
        await using var sellerWatcher = await Watcher.Connect(api, seller.Token);

        await Assert.ThrowsAsync<HubException>(() => anonymous.Hub.InvokeAsync("WatchSeller"));
        await Assert.ThrowsAsync<HubException>(() => shopperWatcher.Hub.InvokeAsync("WatchSeller"));
        await sellerWatcher.Hub.InvokeAsync("WatchSeller");
        var initial = await sellerWatcher.NextSellThrough(own.LotId, _ => true);
        Assert.Equal((seller.Id, 30, 0), (initial.SellerId, initial.Available, initial.Sold));

        var shopper = await api.SignUpShopper();
        await shopper.Hold(own.LotId, 2);
        await shopper.Hold(others.LotId, 2);
        var moved = await sellerWatcher.NextSellThrough(own.LotId, u => u.Reserved == 2);
        Assert.Equal(28, moved.Available);
        await shopper.Release(own.LotId); // a later change of one's own lot, to know the rival's had time to arrive
        await sellerWatcher.NextSellThrough(own.LotId, u => u.Reserved == 0);
        Assert.Empty(sellerWatcher.SellThrough(others.LotId));
    }

    [Fact]
    public async Task Order_updates_reach_only_the_owning_shopper()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 20);
        var owner = await api.SignUpShopper();
        var other = await api.SignUpShopper("Someone else");
        await using var ownerWatcher = await Watcher.Connect(api, owner.Token);
        await using var otherWatcher = await Watcher.Connect(api, other.Token);

        await owner.Hold(lot.LotId, 2);
        var order = await owner.PlaceOrder("wallet");
        await ownerWatcher.NextOrder(order.OrderId, u => u.Status == "awaiting-payment");
        await owner.Cancel(order.OrderId);
        await ownerWatcher.NextOrder(order.OrderId, u => u.Status == "cancelled");

        // The other shopper's own order proves its connection works and was reached later.
        await other.Hold(lot.LotId, 1);
        var theirs = await other.PlaceOrder("wallet");
        await otherWatcher.NextOrder(theirs.OrderId, _ => true);
        Assert.DoesNotContain(otherWatcher.Orders, u => u.OrderId == order.OrderId);
        Assert.DoesNotContain(ownerWatcher.Orders, u => u.OrderId == theirs.OrderId);
    }

    [Fact]
    public async Task An_agent_watching_its_villagers_gets_their_order_updates()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 40);
        var agent = await api.SignUpAgent();
        var stranger = await api.SignUpAgent("Qian Bo");
        var villager = await RegisterVillager(agent, "Ma Li");
        var order = await OrderFor(agent, villager, lot.LotId);
        var strangersVillager = await RegisterVillager(stranger, "Sun Mei");
        await using var agentWatcher = await Watcher.Connect(api, agent.Token);
        await using var strangerWatcher = await Watcher.Connect(api, stranger.Token);
        await agentWatcher.Hub.InvokeAsync("WatchVillagers");
        await strangerWatcher.Hub.InvokeAsync("WatchVillagers");

        using (var collected = await agent.Http.PostAsync(new Uri($"/api/agent/orders/{order}/collected", UriKind.Relative), null))
        {
            Assert.True(collected.IsSuccessStatusCode, await collected.Content.ReadAsStringAsync());
        }

        var paid = await agentWatcher.NextOrder(order, u => u.Status == "paid");
        Assert.Equal(villager, paid.ShopperId);

        // A villager registered later is watched once the client asks again.
        var later = await RegisterVillager(agent, "Zhou Hua");
        await agentWatcher.Hub.InvokeAsync("WatchVillagers");
        var laterOrder = await OrderFor(agent, later, lot.LotId);
        using (var cancelled = await agent.Http.PostAsync(new Uri($"/api/agent/orders/{laterOrder}/cancel", UriKind.Relative), null))
        {
            Assert.True(cancelled.IsSuccessStatusCode, await cancelled.Content.ReadAsStringAsync());
        }

        await agentWatcher.NextOrder(laterOrder, u => u.Status == "cancelled");

        // The stranger's own villager proves its connection works and was reached later.
        var theirs = await OrderFor(stranger, strangersVillager, lot.LotId);
        await strangerWatcher.NextOrder(theirs, _ => true);
        Assert.DoesNotContain(strangerWatcher.Orders, u => u.OrderId == order || u.OrderId == laterOrder);
    }

    [Fact]
    public async Task An_agent_watches_its_own_villagers_queue_and_no_one_else_may()
    {
        var seller = await api.SignUpSeller();
        using var created = await seller.Http.PostAsJsonAsync("/api/lots", new
        {
            name = "Navel oranges", unit = "box", priceMinor = 9900, currency = "CNY", quantity = 800, perShopperLimit = 4,
            waitingRoom = new { admitPerSecond = 1, admissionWindowSeconds = 120 },
        }, ApiJson.Options);
        var lot = await created.ReadAs<Lot>(HttpStatusCode.Created);
        var agent = await api.SignUpAgent();
        var stranger = await api.SignUpAgent("Qian Bo");
        var villager = await RegisterVillager(agent, "Ma Li");
        var unqueued = await RegisterVillager(agent, "Zhou Hua");
        using (var joined = await agent.Http.PostAsync(new Uri($"/api/agent/villagers/{villager}/lots/{lot.LotId}/queue", UriKind.Relative), null))
        {
            Assert.True(joined.IsSuccessStatusCode, await joined.Content.ReadAsStringAsync());
        }

        await using var anonymous = await Watcher.Connect(api);
        await using var shopperWatcher = await Watcher.Connect(api, (await api.SignUpShopper()).Token);
        await using var sellerWatcher = await Watcher.Connect(api, seller.Token);
        await using var strangerWatcher = await Watcher.Connect(api, stranger.Token);
        await using var agentWatcher = await Watcher.Connect(api, agent.Token);

        foreach (var wrongRole in new[] { anonymous, shopperWatcher, sellerWatcher })
        {
            await Assert.ThrowsAsync<HubException>(() => wrongRole.Hub.InvokeAsync("WatchVillagers"));
            await Assert.ThrowsAsync<HubException>(() => wrongRole.Hub.InvokeAsync("WatchVillagerQueue", villager, lot.LotId));
        }

        await Assert.ThrowsAsync<HubException>(() => strangerWatcher.Hub.InvokeAsync("WatchVillagerQueue", villager, lot.LotId));
        await Assert.ThrowsAsync<HubException>(() => agentWatcher.Hub.InvokeAsync("WatchVillagerQueue", unqueued, lot.LotId));
        await Assert.ThrowsAsync<HubException>(() => agentWatcher.Hub.InvokeAsync("WatchVillagerQueue", "not an id", lot.LotId));
        await Assert.ThrowsAsync<HubException>(() => agentWatcher.Hub.InvokeAsync("WatchVillagerQueue", villager, "pears"));
        await Assert.ThrowsAsync<HubException>(() => agentWatcher.Hub.InvokeAsync("WatchVillagerQueue", villager, "lot_0000000000000000"));

        await agentWatcher.Hub.InvokeAsync("WatchVillagerQueue", villager, lot.LotId);

        var ticket = await agentWatcher.NextTicket(lot.LotId, _ => true);
        Assert.Equal((villager, TicketState.Admitted, 1), (ticket.ShopperId, ticket.State, ticket.Position));
        Assert.Empty(strangerWatcher.Tickets);
    }

    [Fact]
    public async Task Each_fulfilment_move_reaches_the_shopper_the_seller_desk_and_the_points_agent_and_no_one_else()
    {
        var seller = await api.SignUpSeller();
        var otherSeller = await api.SignUpSeller("Another farm");
        var lot = await seller.CreateLot(quantity: 20);
        var agent = await api.SignUpAgent();
        var otherAgent = await api.SignUpAgent("Another agent");
        var shopper = await api.SignUpShopper();
        await using var shopperWatcher = await Watcher.Connect(api, shopper.Token);
        await using var sellerWatcher = await Watcher.Connect(api, seller.Token);
        await using var otherSellerWatcher = await Watcher.Connect(api, otherSeller.Token);
        await using var agentWatcher = await Watcher.Connect(api, agent.Token);
        await using var otherAgentWatcher = await Watcher.Connect(api, otherAgent.Token);
        await sellerWatcher.Hub.InvokeAsync("WatchSellerOrders");
        await otherSellerWatcher.Hub.InvokeAsync("WatchSellerOrders");
        await agentWatcher.Hub.InvokeAsync("WatchVillagers");
        await otherAgentWatcher.Hub.InvokeAsync("WatchVillagers");

        var order = await shopper.Buy(lot.LotId, 1, AtPoint(PointOf(agent)));
        await seller.Move($"/api/seller/orders/{order.OrderId}/pack");
        await shopperWatcher.NextOrder(order.OrderId, u => u.Shipments?.SingleOrDefault()?.Status == "packed");
        await sellerWatcher.NextOrder(order.OrderId, u => u.Shipments?.SingleOrDefault()?.Status == "packed");
        await agentWatcher.NextOrder(order.OrderId, u => u.Shipments?.SingleOrDefault()?.Status == "packed");
        await seller.Move($"/api/seller/orders/{order.OrderId}/cancel", new { reason = "Short harvest" });
        await shopperWatcher.NextOrder(order.OrderId, u => u.Status == "cancelled");

        // Their own orders' messages prove the others' connections work, and came later.
        var theirLot = await otherSeller.CreateLot(quantity: 5);
        var theirs = await (await api.SignUpShopper()).Buy(theirLot.LotId, 1, AtPoint(PointOf(otherAgent)));
        await otherSeller.Move($"/api/seller/orders/{theirs.OrderId}/pack");
        await otherSellerWatcher.NextOrder(theirs.OrderId, u => u.Shipments?.SingleOrDefault()?.Status == "packed");
        await otherAgentWatcher.NextOrder(theirs.OrderId, u => u.Shipments?.SingleOrDefault()?.Status == "packed");
        Assert.DoesNotContain(otherSellerWatcher.Orders, u => u.OrderId == order.OrderId);
        Assert.DoesNotContain(otherAgentWatcher.Orders, u => u.OrderId == order.OrderId);
        Assert.DoesNotContain(shopperWatcher.Orders, u => u.OrderId == theirs.OrderId);
    }

    private static async Task<string> RegisterVillager(Caller agent, string name)
    {
        using var registered = await agent.Http.PostAsJsonAsync("/api/agent/villagers", new { name }, ApiJson.Options);
        return (await registered.ReadAs<JsonElement>(HttpStatusCode.Created)).GetProperty("shopperId").GetString()!;
    }

    /// <summary>Holds one unit for the villager and checks out with the village agent; returns the order id.</summary>
    private static async Task<string> OrderFor(Caller agent, string villager, string lotId)
    {
        using var held = await agent.Http.PutAsJsonAsync($"/api/agent/villagers/{villager}/cart/items/{lotId}", new { quantity = 1 }, ApiJson.Options);
        Assert.Equal(HttpStatusCode.OK, held.StatusCode);
        using var checkout = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/agent/villagers/{villager}/checkout", UriKind.Relative))
        {
            Content = JsonContent.Create(new { paymentMethod = "village-agent" }, options: ApiJson.Options),
        };
        checkout.Headers.Add("Idempotency-Key", SaleApi.NewIdempotencyKey());
        using var placed = await agent.Http.SendAsync(checkout);
        return (await placed.ReadAs<JsonElement>(HttpStatusCode.Created)).GetProperty("orderId").GetString()!;
    }

    private sealed class Watcher : IAsyncDisposable
    {
        private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
        private readonly ConcurrentQueue<StockUpdate> _stock = new();
        private readonly ConcurrentQueue<SellThroughUpdate> _sellThrough = new();
        private readonly ConcurrentQueue<OrderUpdate> _orders = new();
        private readonly ConcurrentQueue<QueueTicket> _tickets = new();
        private readonly SemaphoreSlim _arrived = new(0);

        private Watcher(HubConnection hub)
        {
            Hub = hub;
            hub.On<StockUpdate>("stock", u => Arrived(_stock, u));
            hub.On<SellThroughUpdate>("sellThrough", u => Arrived(_sellThrough, u));
            hub.On<OrderUpdate>("order", u => Arrived(_orders, u));
            hub.On<QueueTicket>("queue", t => Arrived(_tickets, t));
        }

        public HubConnection Hub { get; }

        public static async Task<Watcher> Connect(FlashSaleApiFactory api, string? token = null, bool messagePack = false)
        {
            var builder = new HubConnectionBuilder().WithUrl(new Uri(api.Server.BaseAddress, "/hubs/sale"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.WebSocketFactory = async (context, cancellation) =>
                {
                    // A browser cannot set headers on a WebSocket: the token rides in the query.
                    var uri = token is null ? context.Uri : new Uri($"{context.Uri}{(context.Uri.Query.Length > 0 ? "&" : "?")}access_token={token}");
                    return await api.Server.CreateWebSocketClient().ConnectAsync(uri, cancellation);
                };
            });
            if (messagePack)
            {
                builder.AddMessagePackProtocol();
            }
            else
            {
                builder.AddJsonProtocol(o => ApiExtensions.ConfigureContractJson(o.PayloadSerializerOptions));
            }

            var watcher = new Watcher(builder.Build());
            await watcher.Hub.StartAsync();
            return watcher;
        }

        public List<StockUpdate> Stock(string lotId) => _stock.Where(u => u.LotId == lotId).ToList();

        public List<SellThroughUpdate> SellThrough(string lotId) => _sellThrough.Where(u => u.LotId == lotId).ToList();

        public IReadOnlyList<OrderUpdate> Orders => _orders.ToList();

        public IReadOnlyList<QueueTicket> Tickets => _tickets.ToList();

        public Task<QueueTicket> NextTicket(string lotId, Func<QueueTicket, bool> wanted) =>
            Await(() => _tickets.Where(t => t.LotId == lotId).LastOrDefault(wanted));

        public Task<OrderUpdate> NextOrder(string orderId, Func<OrderUpdate, bool> wanted) =>
            Await(() => _orders.Where(u => u.OrderId == orderId).LastOrDefault(wanted));

        public Task<StockUpdate> NextStock(string lotId, Func<StockUpdate, bool> wanted) =>
            Await(() => Stock(lotId).LastOrDefault(wanted));

        public Task<SellThroughUpdate> NextSellThrough(string lotId, Func<SellThroughUpdate, bool> wanted) =>
            Await(() => SellThrough(lotId).LastOrDefault(wanted));

        public async ValueTask DisposeAsync()
        {
            await Hub.DisposeAsync();
            _arrived.Dispose();
        }

        private void Arrived<T>(ConcurrentQueue<T> queue, T update)
        {
            queue.Enqueue(update);
            _arrived.Release();
        }

        /// <summary>Waits for a matching message, woken by each arrival; the bound only stops a broken test.</summary>
        private async Task<T> Await<T>(Func<T?> find)
            where T : class
        {
            using var deadline = new CancellationTokenSource(Bound);
            while (true)
            {
                if (find() is { } found)
                {
                    return found;
                }

                await _arrived.WaitAsync(deadline.Token);
            }
        }
    }
}
