using System.Collections.Concurrent;
using FlashSale.Cluster.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit.Abstractions;

namespace FlashSale.Cluster.Tests;

/// <summary>
/// Two API nodes in front of the silos: a watcher on one node sees changes made through the other
/// (every silo's feed relay hands every update to every node; there is no backplane), and a
/// watcher behind a load balancer follows the death of its node to the surviving one.
/// </summary>
public sealed class ApiNodeFailureTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task Watchers_see_changes_made_through_another_node_and_follow_a_node_failure()
    {
        await using var cluster = await LocalCluster.StartAsync(silos: 2, apis: 2);
        var (nodeA, nodeB) = (cluster.Apis[0], cluster.Apis[1]);
        using var apiA = new SaleClient(nodeA.BaseAddress);
        using var apiB = new SaleClient(nodeB.BaseAddress);
        var (_, sellerToken) = await apiA.SignUp("seller", "Orchard co-op");
        var lot = (await apiA.Send(HttpMethod.Post, "/api/lots", sellerToken,
            new { name = "Navel oranges", unit = "box", priceMinor = 9900, currency = "CNY", quantity = 100, perShopperLimit = 5 })).Body!["lotId"]!.GetValue<string>();

        // Across nodes: watching on B, holding through A.
        await using var onB = await StockWatcher.Connect(nodeB.BaseAddress, lot);
        var (_, shopperToken) = await apiA.SignUp("shopper", "Li Wei");
        Assert.Equal(Outcome.Done, (await apiA.Send(HttpMethod.Put, $"/api/cart/items/{lot}", shopperToken, new { quantity = 3 })).Outcome);
        await onB.WaitFor(u => u.Reserved == 3);

        // A node dies under a balanced watcher, which reconnects to the other node and resumes.
        await using var balancer = new TcpBalancer([nodeA.HttpPort, nodeB.HttpPort]);
        await using var balanced = await StockWatcher.Connect(balancer.BaseAddress, lot);
        await balanced.WaitFor(u => u.Reserved == 3);
        var victim = balancer.Routed[0] == nodeA.HttpPort ? nodeA : nodeB;
        var survivor = victim == nodeA ? apiB : apiA;
        output.WriteLine($"killing {victim.Name}, which serves the balanced watcher");
        await victim.Kill();
        await balanced.Reconnected.Task.WaitAsync(Bound);

        Assert.Equal(Outcome.Done, (await survivor.Send(HttpMethod.Put, $"/api/cart/items/{lot}", shopperToken, new { quantity = 5 })).Outcome);
        var resumed = await balanced.WaitFor(u => u.Reserved == 5);
        Assert.Equal(95, resumed.Available);
    }

    private sealed record Stock(string LotId, int Available, int Reserved, int Sold, string Status, long Version);

    private sealed class StockWatcher : IAsyncDisposable
    {
        private readonly ConcurrentQueue<Stock> _updates = new();
        private readonly SemaphoreSlim _arrived = new(0);
        private readonly HubConnection _hub;

        private StockWatcher(HubConnection hub, string lotId)
        {
            _hub = hub;
            hub.On<Stock>("stock", update =>
            {
                _updates.Enqueue(update);
                _arrived.Release();
            });

            // After a reconnect the watch is renewed, and the current state arrives at once.
            hub.Reconnected += async _ =>
            {
                await hub.InvokeAsync("WatchLot", lotId);
                Reconnected.TrySetResult();
            };
        }

        public TaskCompletionSource Reconnected { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static async Task<StockWatcher> Connect(string baseAddress, string lotId)
        {
            var hub = new HubConnectionBuilder()
                .WithUrl($"{baseAddress}/hubs/sale", o =>
                {
                    // One connection carries the whole session, so a balancer need not be sticky.
                    o.Transports = HttpTransportType.WebSockets;
                    o.SkipNegotiation = true;
                })
                .WithAutomaticReconnect([TimeSpan.Zero, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)])
                .Build();
            var watcher = new StockWatcher(hub, lotId);
            await hub.StartAsync();
            await hub.InvokeAsync("WatchLot", lotId);
            return watcher;
        }

        public async Task<Stock> WaitFor(Func<Stock, bool> wanted)
        {
            using var deadline = new CancellationTokenSource(Bound);
            while (true)
            {
                if (_updates.LastOrDefault(wanted) is { } found)
                {
                    return found;
                }

                await _arrived.WaitAsync(deadline.Token);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _hub.DisposeAsync();
            _arrived.Dispose();
        }
    }
}
