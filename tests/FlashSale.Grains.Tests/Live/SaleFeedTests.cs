using FlashSale.Carts;
using FlashSale.Live;
using FlashSale.Orders;
using FlashSale.Tests.Infrastructure;
using static FlashSale.Tests.Infrastructure.Sale;

namespace FlashSale.Tests.Live;

[Collection(EngineCluster.Name)]
public sealed class SaleFeedTests(EngineClusterFixture cluster) : IAsyncLifetime
{
    private RecordingFeedHost _host = null!;

    public async Task InitializeAsync() => _host = await RecordingFeedHost.Subscribe(cluster.Grains);

    public async Task DisposeAsync() => await _host.DisposeAsync();

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
        await _host.Until(h => h.Stock(lotId).LastOrDefault()?.Version == final.Version, "the newest state should arrive after the burst");
        var elapsed = DateTimeOffset.UtcNow - started;
        var updates = _host.Stock(lotId);
        var last = updates.MaxBy(u => u.Version)!;
        Assert.Equal((final.Available, final.Reserved, final.Sold, "live"), (last.Available, last.Reserved, last.Sold, last.Status));

        // At most one publication per 100 ms interval (plus the creation's): the pacing rule,
        // not a performance threshold. 1,000 holds never become 1,000 messages.
        Assert.InRange(updates.Count, 1, (int)(elapsed / TimeSpan.FromMilliseconds(100)) + 2);
        Assert.True(updates.Count < 1000);
        // The lot publishes on one silo, whose relay sends batches one at a time: its updates
        // reach the host in the order they were published, each version once, ending at the lot's.
        Assert.Equal(updates.Select(u => u.Version).Order(), updates.Select(u => u.Version));
        Assert.Equal(updates.Count, updates.Select(u => u.Version).Distinct().Count());
        Assert.Equal(final.Version, updates[^1].Version);
    }

    [Fact]
    public async Task The_seller_view_travels_with_the_stock_and_counts_holds_expiring_soon()
    {
        var seller = NewSeller();
        var (lotId, lot) = await CreateLot(cluster.Grains, quantity: 10, limit: 5, sellerId: seller);
        await lot.SetHold(NewShopper(), 3, cluster.Clock.GetUtcNow().AddSeconds(30));
        var held = (await lot.Get())!;

        await _host.Until(h => h.SellThrough(lotId).LastOrDefault()?.Version == held.Version);
        var view = _host.SellThrough(lotId)[^1];
        Assert.Equal((seller, 3, 7, 3), (view.SellerId, view.Reserved, view.Available, view.HoldsExpiringSoon));
        Assert.Equal(view, Value(await lot.GetSellThrough(seller)) with { SellThrough = view.SellThrough });
    }

    [Fact]
    public async Task A_scheduled_opening_is_published_without_any_request()
    {
        var (lotId, _) = await CreateLot(cluster.Grains, startsAt: cluster.Clock.GetUtcNow().AddMinutes(5));
        await _host.Until(h => h.Stock(lotId).LastOrDefault()?.Status == "scheduled");

        cluster.Clock.Advance(TimeSpan.FromMinutes(5));

        await _host.Until(h => h.Stock(lotId).LastOrDefault()?.Status == "live");
    }
}
