using FlashSale.Carts;
using FlashSale.Live;
using FlashSale.Orders;
using FlashSale.Tests.Infrastructure;
using static FlashSale.Tests.Infrastructure.Sale;

namespace FlashSale.Tests.Live;

/// <summary>What the lots publish, as the collection's API host receives it through the publishers' relay.</summary>
[Collection(EngineCluster.Name)]
public sealed class SaleFeedTests(EngineClusterFixture cluster)
{
    private RecordingFeedHost Host => cluster.FeedHost;

    [Fact]
    public async Task A_burst_of_1000_holds_is_coalesced_and_the_last_update_equals_the_lot()
    {
        var (lotId, lot) = await CreateLot(cluster.Grains, quantity: 100_000, limit: 1);
        var expiresAt = cluster.Clock.GetUtcNow().AddMinutes(10);
        var started = DateTimeOffset.UtcNow;

        foreach (var chunk in Enumerable.Range(0, 1000).Chunk(50))
        {
            await Task.WhenAll(chunk.Select(_ => lot.SetHold(NewShopper(), 1, expiresAt)));
        }

        var final = (await lot.Get())!;
        await Host.Until(h => h.Stock(lotId).Any(u => u.Version == final.Version), "the newest state should arrive after the burst");
        var elapsed = DateTimeOffset.UtcNow - started;
        var updates = Host.Stock(lotId);
        var last = updates.MaxBy(u => u.Version)!;
        Assert.Equal((final.Available, final.Reserved, final.Sold, "live"), (last.Available, last.Reserved, last.Sold, last.Status));

        // At most one publication per 100 ms interval (plus the creation's): the pacing rule,
        // not a performance threshold. 1,000 holds never become 1,000 messages.
        Assert.InRange(updates.Count, 1, (int)(elapsed / TimeSpan.FromMilliseconds(100)) + 2);
        Assert.True(updates.Count < 1000);
        // Each version once, the newest the lot's. The relay hands its batches over in the order
        // they were published, but Orleans may deliver one-way messages out of order, so the
        // order they arrive in is not asserted: clients keep the highest version.
        Assert.Equal(updates.Count, updates.Select(u => u.Version).Distinct().Count());
        Assert.Equal(final.Version, last.Version);
    }

    [Fact]
    public async Task The_seller_view_travels_with_the_stock_and_counts_holds_expiring_soon()
    {
        var seller = NewSeller();
        var (lotId, lot) = await CreateLot(cluster.Grains, quantity: 10, limit: 5, sellerId: seller);
        await lot.SetHold(NewShopper(), 3, cluster.Clock.GetUtcNow().AddSeconds(30));
        var held = (await lot.Get())!;

        await Host.Until(h => h.SellThrough(lotId).Any(v => v.Version == held.Version));
        var view = Host.SellThrough(lotId).Single(v => v.Version == held.Version);
        Assert.Equal((seller, 3, 7, 3), (view.SellerId, view.Reserved, view.Available, view.HoldsExpiringSoon));
        Assert.Equal(view, Value(await lot.GetSellThrough(seller)) with { SellThrough = view.SellThrough });
    }

    [Fact]
    public async Task A_scheduled_opening_is_published_without_any_request()
    {
        var (lotId, _) = await CreateLot(cluster.Grains, startsAt: cluster.Clock.GetUtcNow().AddMinutes(5));
        await Host.Until(h => h.Stock(lotId).Any(u => u.Status == "scheduled"));

        cluster.Clock.Advance(TimeSpan.FromMinutes(5));

        await Host.Until(h => h.Stock(lotId).Any(u => u.Status == "live"));
    }
}
