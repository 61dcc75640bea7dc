using FlashSale.Live;
using FlashSale.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FlashSale.Tests.Live;

/// <summary>
/// A silo's live relay: batches, every batch to every host, and no host able to hold it up. Each
/// test talks to a relay of its own (the publishers' is key 0; another key is another activation,
/// which reads the host list at its first batch), so the test's hosts are in its list from the
/// start. The publishers' relay may also send the test's hosts other tests' lots once it reads the
/// list again, so a test looks only at batches of its own updates.
/// <para>
/// What the relay promises about order: each batch is a run of consecutive updates in the order
/// they were published, and batches are handed over one after another. Orleans does not keep
/// one-way messages in order on the way (a client dispatches the messages of one socket read as
/// separate thread-pool work items, and a burst was seen to arrive reversed), so a host may take
/// the batches themselves in another order; every message is a whole, versioned state, and
/// clients keep the newest.
/// </para>
/// </summary>
[Collection(EngineCluster.Name)]
public sealed class SaleFeedRelayTests(EngineClusterFixture cluster)
{
    private const int MaxBatchSize = 256; // LiveStockOptions' default, which the test cluster keeps

    private readonly string _run = Guid.NewGuid().ToString("N");

    /// <summary>
    /// Called from the silo itself, as the lots call it: messages from the test's external client
    /// cross a gateway connection, which Orleans does not keep in order.
    /// </summary>
    private ISaleFeedRelayGrain NewRelay() =>
        cluster.SiloServices.GetRequiredService<IGrainFactory>().GetGrain<ISaleFeedRelayGrain>(Random.Shared.NextInt64(1, long.MaxValue));

    /// <summary>
    /// A new relay, activated by one update that <paramref name="hosts"/> have taken: the relay in
    /// production activates once per silo and stays, while messages that reach a stateless worker
    /// as it activates were seen to be handled out of order.
    /// </summary>
    private async Task<ISaleFeedRelayGrain> NewActiveRelay(params RecordingFeedHost[] hosts)
    {
        var relay = NewRelay();
        await relay.PublishStock(Stock("activation", 1), SellThrough("activation", 1));
        foreach (var host in hosts)
        {
            await host.Until(h => h.Stock(Lot("activation")).Count == 1, "the relay's first update should arrive");
        }

        return relay;
    }

    [Fact]
    public async Task Every_host_gets_every_update_once_in_runs_of_the_published_order()
    {
        await using var first = await RecordingFeedHost.Subscribe(cluster.Grains);
        await using var second = await RecordingFeedHost.Subscribe(cluster.Grains);
        var relay = await NewActiveRelay(first, second);

        // Stock of two lots, orders and queue progress, interleaved.
        var published = new List<LiveItem>();
        foreach (var i in Enumerable.Range(1, 1000))
        {
            LiveItem item = (i % 3) switch
            {
                0 => new LiveStock(Stock($"lot-{i % 2}", i), SellThrough($"lot-{i % 2}", i)),
                1 => new LiveOrder(new OrderUpdate($"order-{i}-{_run}", "shopper-1", "paid")),
                _ => new LiveQueue(new QueueProgress(Lot("lot-q"), true, 1000, i, 0, EngineClusterFixture.Epoch)),
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

        var expected = published.Select(Key).ToList();
        foreach (var host in new[] { first, second })
        {
            await host.Until(h => Mine(h.Batches()).Sum(b => b.Items.Count) == published.Count, "every update should reach every host");
            var batches = Mine(host.Batches());
            Assert.All(batches, b => Assert.InRange(b.Items.Count, 1, MaxBatchSize));
            // Put back in the order of their first update, the batches are the published sequence:
            // each a run of consecutive updates in order, none missing, none twice.
            var runs = batches.Select(b => b.Items.Select(Key).ToList()).OrderBy(run => expected.IndexOf(run[0]));
            Assert.Equal(expected, runs.SelectMany(run => run));
        }

        // The same batches: the relay hands each batch to every host, none is split or merged per host.
        Assert.Equal(
            Mine(first.Batches()).Select(b => Key(b.Items[0])).Order(StringComparer.Ordinal),
            Mine(second.Batches()).Select(b => Key(b.Items[0])).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// The failure the cluster benchmark found (docs/benchmarks.md): Orleans gives a client's
    /// observer one call at a time, so a host stuck in one batch takes no other. A relay that
    /// waited for that host's answer would send nothing more until the response timeout (30 s,
    /// beyond this test's bound); one-way, it goes on, and the stuck host gets everything once it
    /// is free.
    /// </summary>
    [Fact]
    public async Task A_host_stuck_in_a_batch_holds_up_neither_the_other_host_nor_the_next_batches()
    {
        await using var stuck = await RecordingFeedHost.Subscribe(cluster.Grains);
        await using var other = await RecordingFeedHost.Subscribe(cluster.Grains);
        stuck.Hold();
        var relay = NewRelay();

        await relay.PublishStock(Stock("lot-s", 1), SellThrough("lot-s", 1));
        await stuck.Entered; // the relay handed it a first batch, and it is stuck in it

        foreach (var version in Enumerable.Range(2, 99))
        {
            await relay.PublishStock(Stock("lot-s", version), SellThrough("lot-s", version));
        }

        var all = Enumerable.Range(1, 100).Select(v => (long)v).ToList();
        await other.Until(h => h.Stock(Lot("lot-s")).Count == 100, "the other host should get every batch while one host is stuck");
        Assert.Equal(all, other.Stock(Lot("lot-s")).Select(u => u.Version).Order());
        // Orleans has started no other call on the stuck host: its calls queue behind the first.
        Assert.Equal(1, stuck.Calls);
        Assert.Empty(stuck.Stock(Lot("lot-s")));

        stuck.Release();
        await stuck.Until(h => h.Stock(Lot("lot-s")).Count == 100, "the stuck host should get every batch, once free");
        Assert.Equal(all, stuck.Stock(Lot("lot-s")).Select(u => u.Version).Order());
    }

    [Fact]
    public async Task A_host_that_fails_its_batches_keeps_getting_them_and_the_others_get_them_all()
    {
        await using var failing = await RecordingFeedHost.Subscribe(cluster.Grains);
        await using var other = await RecordingFeedHost.Subscribe(cluster.Grains);
        failing.Failing = true;
        var relay = NewRelay();

        foreach (var version in Enumerable.Range(1, 3))
        {
            // One batch at a time: after each, both hosts were handed it, and the failure changed nothing.
            await relay.PublishStock(Stock("lot-f", version), SellThrough("lot-f", version));
            await other.Until(h => h.Stock(Lot("lot-f")).Count == version, "the other host should get every batch");
            await failing.Until(h => Mine(h.FailedBatches()).Count == version, "a failing host is not dropped: its failure never reaches the relay");
        }

        Assert.Equal([1L, 2L, 3L], other.Stock(Lot("lot-f")).Select(u => u.Version));
        Assert.Equal(Mine(other.Batches()).SelectMany(b => b.Items).Select(Key), Mine(failing.FailedBatches()).SelectMany(b => b.Items).Select(Key));
    }

    [Fact]
    public async Task A_host_that_leaves_is_reported_gone_so_relays_stop_sending_to_it()
    {
        await using var staying = await RecordingFeedHost.Subscribe(cluster.Grains);
        var leaving = await RecordingFeedHost.Subscribe(cluster.Grains);
        var hostList = cluster.Grains.GetGrain<ISaleFeedHostsGrain>(0);
        Assert.Contains(leaving.Reference, (await hostList.GetHosts()).Hosts);

        await leaving.DisposeAsync();

        // The relays' next read drops it at once (FeedHostListsTests), rather than keeping it for
        // a lifetime as they keep a host the list merely stopped naming.
        var read = await hostList.GetHosts();
        Assert.DoesNotContain(leaving.Reference, read.Hosts);
        Assert.Contains(leaving.Reference, read.Left);
        Assert.Contains(staying.Reference, read.Hosts);
    }

    /// <summary>This test's own lot id, so other tests' updates never count.</summary>
    private string Lot(string name) => $"{name}-{_run}";

    /// <summary>This test's batches (other than the relay's activation), whoever else sent the host what.</summary>
    private List<LiveBatch> Mine(IEnumerable<LiveBatch> batches) =>
        batches.Where(b => b.Items.Any(i => i switch
        {
            LiveStock s => s.Stock.LotId.EndsWith(_run, StringComparison.Ordinal) && !s.Stock.LotId.StartsWith("activation", StringComparison.Ordinal),
            LiveOrder o => o.Order.OrderId.EndsWith(_run, StringComparison.Ordinal),
            LiveQueue q => q.Progress.LotId.EndsWith(_run, StringComparison.Ordinal),
            _ => false,
        })).ToList();

    /// <summary>One update's identity: each update these tests publish has its own.</summary>
    private static string Key(LiveItem item) => item switch
    {
        LiveStock s => $"stock {s.Stock.LotId} {s.Stock.Version} / {s.SellThrough.LotId} {s.SellThrough.Version}",
        LiveOrder o => $"order {o.Order.OrderId} {o.Order.Status}",
        LiveQueue q => $"queue {q.Progress.LotId} {q.Progress.AdmittedThrough}",
        _ => throw new InvalidOperationException(),
    };

    private StockUpdate Stock(string lot, long version) =>
        new(Lot(lot), 100, 0, 0, "live", version, EngineClusterFixture.Epoch);

    private SellThroughUpdate SellThrough(string lot, long version) =>
        new(Lot(lot), "seller-1", "Oranges", 100, 0, 0, 100, 0, 0, [], 0, "live", version);
}
