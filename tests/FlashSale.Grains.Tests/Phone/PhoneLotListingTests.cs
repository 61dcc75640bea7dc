using FlashSale.Lots;
using FlashSale.Phone;
using FlashSale.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static FlashSale.Tests.Infrastructure.Sale;

namespace FlashSale.Tests.Phone;

/// <summary>
/// The silo's copy of the USSD lot lists: a lot added or removed is listed at once, a lot that
/// opens or closes by the engine's clock is never served in its old state, and a change of stock
/// (sold out) shows once the copy is older than its freshness, never later.
/// </summary>
[Collection(EngineCluster.Name)]
public sealed class PhoneLotListingTests(EngineClusterFixture cluster)
{
    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(1);

    private readonly FakeTimeProvider _wall = new(EngineClusterFixture.Epoch);

    private PhoneLotListing NewListing() =>
        new(cluster.Grains, cluster.Clock, _wall, Options.Create(new PhoneChannelOptions { LotListFreshness = Freshness }));

    private async Task<(string LotId, IProduceLotGrain Lot)> ListedLot(int quantity = 1, DateTimeOffset? startsAt = null, DateTimeOffset? endsAt = null)
    {
        var (lotId, lot) = await CreateLot(cluster.Grains, quantity: quantity, limit: quantity, startsAt: startsAt, endsAt: endsAt);
        await cluster.Grains.GetGrain<ILotCatalogGrain>(0).Register(lotId, (await lot.Get())!.SellerId);
        return (lotId, lot);
    }

    private static bool Lists(IReadOnlyList<Lot> lots, string lotId) => lots.Any(l => l.LotId == lotId);

    [Fact]
    public async Task A_lot_that_sells_out_leaves_the_live_list_once_the_copy_is_older_than_its_freshness()
    {
        var listing = NewListing();
        var (lotId, lot) = await ListedLot(quantity: 1);
        Assert.True(Lists(await listing.Lots(live: true), lotId));

        Value(await lot.SetHold(NewShopper(), 1, cluster.Clock.GetUtcNow() + TimeSpan.FromMinutes(10)));
        Assert.Equal(LotStatus.SoldOut, (await lot.Get())!.Status);

        _wall.Advance(Freshness - TimeSpan.FromMilliseconds(1));
        Assert.True(Lists(await listing.Lots(live: true), lotId)); // within the bound: the copy serves

        _wall.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(Lists(await listing.Lots(live: true), lotId));
    }

    [Fact]
    public async Task A_lot_added_to_the_catalog_is_listed_at_once()
    {
        var listing = NewListing();
        var (first, _) = await ListedLot();
        Assert.True(Lists(await listing.Lots(live: true), first));

        var (second, _) = await ListedLot();
        var live = await listing.Lots(live: true);
        Assert.True(Lists(live, first) && Lists(live, second));
    }

    [Fact]
    public async Task A_lot_that_opens_or_closes_by_the_engine_clock_is_never_served_in_its_old_state()
    {
        var listing = NewListing();
        var now = cluster.Clock.GetUtcNow();
        var (opening, _) = await ListedLot(startsAt: now + TimeSpan.FromMinutes(1));
        var (closing, _) = await ListedLot(endsAt: now + TimeSpan.FromMinutes(2));
        Assert.True(Lists(await listing.Lots(live: false), opening));
        Assert.False(Lists(await listing.Lots(live: true), opening));
        Assert.True(Lists(await listing.Lots(live: true), closing));

        cluster.Clock.Advance(TimeSpan.FromMinutes(1)); // the wall clock stands still
        Assert.True(Lists(await listing.Lots(live: true), opening));
        Assert.False(Lists(await listing.Lots(live: false), opening));

        cluster.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.False(Lists(await listing.Lots(live: true), closing));
    }

    [Fact]
    public async Task With_no_freshness_every_list_reads_the_lots()
    {
        var listing = new PhoneLotListing(cluster.Grains, cluster.Clock, _wall, Options.Create(new PhoneChannelOptions { LotListFreshness = TimeSpan.Zero }));
        var (lotId, lot) = await ListedLot(quantity: 1);
        Assert.True(Lists(await listing.Lots(live: true), lotId));

        Value(await lot.SetHold(NewShopper(), 1, cluster.Clock.GetUtcNow() + TimeSpan.FromMinutes(10)));
        Assert.False(Lists(await listing.Lots(live: true), lotId));
    }
}
