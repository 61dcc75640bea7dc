using FlashSale.Live;
using FlashSale.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FlashSale.Tests.Live;

/// <summary>
/// A silo's live relay: batches, one host per batch, order kept, failover. Each test talks to a
/// relay of its own (the publishers' is key 0; another key is another activation with an empty
/// host list), so what an earlier test left in a relay's cached list cannot decide where a batch goes.
/// </summary>
[Collection(EngineCluster.Name)]
public sealed class SaleFeedRelayTests(EngineClusterFixture cluster)
{
    private const int MaxBatchSize = 256; // LiveStockOptions' default, which the test cluster keeps

    /// <summary>
    /// Called from the silo itself, as the lots call it: messages from the test's external client
    /// cross a gateway connection, which Orleans does not keep in order.
    /// </summary>
    private ISaleFeedRelayGrain NewRelay() =>
        cluster.SiloServices.GetRequiredService<IGrainFactory>().GetGrain<ISaleFeedRelayGrain>(Random.Shared.NextInt64(1, long.MaxValue));

    /// <summary>
    /// A new relay, activated by one update that <paramref name="host"/> has taken: the relay in
    /// production activates once per silo and stays, while messages that reach a stateless worker
    /// as it activates were seen to be handled out of order.
    /// </summary>
    private async Task<ISaleFeedRelayGrain> NewActiveRelay(RecordingFeedHost host)
    {
        var relay = NewRelay();
        await relay.PublishStock(Stock("activation", 1), SellThrough("activation", 1));
        await host.Until(h => h.Stock("activation").Count == 1, "the relay's first update should arrive");
        return relay;
    }

    private string Silo => cluster.SiloServices.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToString();

    [Fact]
    public async Task One_lots_updates_reach_the_host_in_the_order_they_were_published()
    {
        await using var host = await RecordingFeedHost.Subscribe(cluster.Grains);
        await AssertOnlySubscribed(host);
        var relay = await NewActiveRelay(host);

        foreach (var version in Enumerable.Range(1, 1000))
        {
            await relay.PublishStock(Stock("lot-a", version), SellThrough("lot-a", version));
        }

        await host.Until(h => h.Stock("lot-a").Count == 1000, "all 1,000 updates should arrive");
        Assert.Equal(Enumerable.Range(1, 1000).Select(v => (long)v), host.Stock("lot-a").Select(u => u.Version));
        Assert.Equal(Enumerable.Range(1, 1000).Select(v => (long)v), host.SellThrough("lot-a").Select(u => u.Version));
        Assert.All(host.Batches(), b => Assert.InRange(b.Items.Count, 1, MaxBatchSize));
    }

    [Fact]
    public async Task Each_batch_goes_whole_to_one_host_the_one_this_silo_prefers()
    {
        await using var first = await RecordingFeedHost.Subscribe(cluster.Grains);
        await using var second = await RecordingFeedHost.Subscribe(cluster.Grains);
        await AssertOnlySubscribed(first, second);
        var preferred = SaleFeedRelayGrain.PreferenceOrder(Silo, [first.Reference, second.Reference])[0];
        var (chosen, other) = preferred.Equals(first.Reference) ? (first, second) : (second, first);
        var relay = await NewActiveRelay(chosen);

        // Stock of two lots, orders and queue progress, interleaved: one batch keeps them all in order.
        var published = new List<LiveItem>();
        foreach (var i in Enumerable.Range(1, 300))
        {
            LiveItem item = (i % 3) switch
            {
                0 => new LiveStock(Stock($"lot-{i % 2}", i), SellThrough($"lot-{i % 2}", i)),
                1 => new LiveOrder(new OrderUpdate($"order-{i}", "shopper-1", "paid")),
                _ => new LiveQueue(new QueueProgress("lot-q", true, 300, i, 0, EngineClusterFixture.Epoch)),
            };
            published.Add(item);
            await (item switch
            {
                LiveStock s => relay.PublishStock(s.Stock, s.SellThrough),
                LiveOrder o => relay.PublishOrder(o.Order),
                LiveQueue q => relay.PublishQueue(q.Progress),
                _ => throw new InvalidOperationException(),
            });
        }

        await chosen.Until(h => h.Items().Count == published.Count + 1, "every update should reach the preferred host");
        Assert.Equal(published, chosen.Items().Skip(1));
        Assert.Equal(0, other.Calls);
        Assert.Equal(chosen.Batches().Count, chosen.Calls);
    }

    [Fact]
    public async Task A_host_that_fails_is_dropped_and_the_next_host_gets_the_batch()
    {
        await using var first = await RecordingFeedHost.Subscribe(cluster.Grains);
        await using var second = await RecordingFeedHost.Subscribe(cluster.Grains);
        await AssertOnlySubscribed(first, second);
        var preferred = SaleFeedRelayGrain.PreferenceOrder(Silo, [first.Reference, second.Reference])[0];
        var (failing, next) = preferred.Equals(first.Reference) ? (first, second) : (second, first);
        failing.Failing = true;
        var relay = NewRelay();

        await relay.PublishStock(Stock("lot-f", 1), SellThrough("lot-f", 1));
        await next.Until(h => h.Stock("lot-f").Count == 1, "the next host should get the batch the preferred one failed");
        Assert.Equal(1, failing.Calls);

        // Dropped from this relay's list: the next update is not offered to it again.
        await relay.PublishStock(Stock("lot-f", 2), SellThrough("lot-f", 2));
        await next.Until(h => h.Stock("lot-f").Count == 2, "the second update should go straight to the next host");
        Assert.Equal(1, failing.Calls);
        Assert.Equal([1L, 2L], next.Stock("lot-f").Select(u => u.Version));

        // And from the registry, so the other silos' relays drop it at their next read (until it renews).
        var hostList = cluster.Grains.GetGrain<ISaleFeedHostsGrain>(0);
        await Eventually.Value(async () => (await hostList.GetHosts()) is { } read && !read.Hosts.Contains(failing.Reference) ? read : null);
    }

    private async Task AssertOnlySubscribed(params RecordingFeedHost[] hosts)
    {
        var subscribed = (await cluster.Grains.GetGrain<ISaleFeedHostsGrain>(0).GetHosts()).Hosts;
        Assert.Equal(hosts.Select(h => h.Reference.GetGrainId()).Order(), subscribed.Select(h => h.GetGrainId()).Order());
    }

    private static StockUpdate Stock(string lotId, long version) =>
        new(lotId, 100, 0, 0, "live", version, EngineClusterFixture.Epoch);

    private static SellThroughUpdate SellThrough(string lotId, long version) =>
        new(lotId, "seller-1", "Oranges", 100, 0, 0, 100, 0, 0, [], 0, "live", version);
}
