using FlashSale.Carts;
using FlashSale.Common;
using FlashSale.Lots;
using FlashSale.Tests.Infrastructure;
using static FlashSale.Tests.Infrastructure.Sale;

namespace FlashSale.Tests.Lots;

/// <summary>
/// What the lot tells an API host that answers at the edge: its committed status and version and,
/// when sold out or ended, exactly who holds any of it after what lapsed has returned.
/// </summary>
[Collection(EngineCluster.Name)]
public sealed class LotEdgeViewTests(EngineClusterFixture cluster)
{
    private IGrainFactory Grains => cluster.Grains;

    private DateTimeOffset InTenMinutes => cluster.Clock.GetUtcNow().AddMinutes(10);

    [Fact]
    public async Task A_sold_out_lot_names_every_holder_at_its_committed_version()
    {
        var (_, lot) = await CreateLot(Grains, quantity: 3, limit: 2);
        var (first, second) = (NewShopper(), NewShopper());
        Value(await lot.SetHold(first, 2, InTenMinutes));
        Value(await lot.SetHold(second, 1, InTenMinutes));

        var view = await lot.GetEdgeView(maxHolders: 10);

        Assert.NotNull(view);
        Assert.Equal((LotStatus.SoldOut, 2, (await lot.Get())!.Version), (view.Status, view.PerShopperLimit, view.Version));
        Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal), view.Holders!.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_live_lot_names_no_one_and_a_lot_with_more_holders_than_asked_names_no_one()
    {
        var (_, live) = await CreateLot(Grains, quantity: 5, limit: 1);
        Value(await live.SetHold(NewShopper(), 1, InTenMinutes));
        var (_, crowded) = await CreateLot(Grains, quantity: 3, limit: 1);
        foreach (var shopper in new[] { NewShopper(), NewShopper(), NewShopper() })
        {
            Value(await crowded.SetHold(shopper, 1, InTenMinutes));
        }

        Assert.Equal((LotStatus.Live, (IReadOnlyList<string>?)null), ((await live.GetEdgeView(10))!.Status, (await live.GetEdgeView(10))!.Holders));
        Assert.Equal(LotStatus.SoldOut, (await crowded.GetEdgeView(2))!.Status);
        Assert.Null((await crowded.GetEdgeView(2))!.Holders);
        Assert.Equal(3, (await crowded.GetEdgeView(3))!.Holders!.Count);
    }

    [Fact]
    public async Task A_hold_that_lapsed_is_back_on_sale_before_the_view_is_read()
    {
        var (_, lot) = await CreateLot(Grains, quantity: 1, limit: 1);
        Value(await lot.SetHold(NewShopper(), 1, cluster.Clock.GetUtcNow().AddMinutes(1)));
        Assert.Equal(LotStatus.SoldOut, (await lot.GetEdgeView(10))!.Status);

        cluster.Clock.Advance(TimeSpan.FromMinutes(1));

        var view = await lot.GetEdgeView(10);
        Assert.Equal((LotStatus.Live, (IReadOnlyList<string>?)null), (view!.Status, view.Holders));
    }

    [Fact]
    public async Task An_ended_lot_names_its_remaining_holders_and_an_unknown_lot_has_no_view()
    {
        var (_, lot) = await CreateLot(Grains, quantity: 10, limit: 2, endsAt: cluster.Clock.GetUtcNow().AddMinutes(5));
        var holder = NewShopper();
        Value(await lot.SetHold(holder, 1, InTenMinutes));
        cluster.Clock.Advance(TimeSpan.FromMinutes(5));

        var view = await lot.GetEdgeView(10);

        Assert.Equal((LotStatus.Ended, holder), (view!.Status, Assert.Single(view.Holders!)));
        Assert.Null(await Grains.GetGrain<IProduceLotGrain>(Ids.New(Ids.LotPrefix)).GetEdgeView(10));
    }

    [Fact]
    public async Task A_hold_whose_client_has_gone_before_it_is_sent_changes_nothing()
    {
        var (lotId, lot) = await CreateLot(Grains, quantity: 5, limit: 2);
        var cart = Grains.GetGrain<IShopperCartGrain>(NewShopper());
        using var gone = new CancellationTokenSource();
        await gone.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cart.SetItem(lotId, 2, gone.Token));

        Assert.Equal(5, (await lot.Get())!.Available);
        Assert.Empty((await cart.Get()).Items);
    }
}
