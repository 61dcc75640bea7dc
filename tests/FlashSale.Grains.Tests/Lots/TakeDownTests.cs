using FlashSale.Common;
using FlashSale.Lots;
using FlashSale.Tests.Infrastructure;
using Orleans.Core.Internal;
using static FlashSale.Tests.Infrastructure.Sale;

namespace FlashSale.Tests.Lots;

/// <summary>An operator's take-down: the lot ends for good, holds return, placed orders keep their stock.</summary>
[Collection(EngineCluster.Name)]
public sealed class TakeDownTests(EngineClusterFixture cluster)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    private IGrainFactory Grains => cluster.Grains;

    [Fact]
    public async Task Holds_return_reservations_and_sales_stand_and_no_new_hold_is_taken()
    {
        var (_, lot) = await CreateLot(Grains, quantity: 20, limit: 5);
        var now = cluster.Clock.GetUtcNow();
        Value(await lot.SetHold("shp_reserving", 2, now.AddMinutes(10)));
        Value(await lot.ReserveForOrder("shp_reserving", "ord_reserved", 2, now.AddMinutes(30), sellNow: false));
        Value(await lot.SetHold("shp_buying", 1, now.AddMinutes(10)));
        Value(await lot.ReserveForOrder("shp_buying", "ord_sold", 1, now.AddMinutes(30), sellNow: true));
        Value(await lot.SetHold("shp_holding", 4, now.AddMinutes(10)));
        Value(await lot.SetHold("shp_other", 3, now.AddMinutes(10)));

        var down = Value(await lot.TakeDown());
        Assert.Equal(LotStatus.Ended, down.Status);
        Assert.Equal((17, 2, 1), (down.Available, down.Reserved, down.Sold));
        AssertInvariant(down);

        Refused(await lot.SetHold("shp_holding", 4, now.AddMinutes(10)), RefusalCode.SaleNotLive);
        Refused(await lot.SetHold(NewShopper(), 1, now.AddMinutes(10)), RefusalCode.SaleNotLive);
        Value(await lot.SellReservation("ord_reserved")); // a placed order is still paid for

        // Idempotent, and it survives the lot's reactivation from its journal.
        var again = Value(await lot.TakeDown());
        Assert.Equal((down.Version + 1, LotStatus.Ended), (again.Version, again.Status));
        await lot.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        var reloaded = (await lot.Get())!;
        Assert.Equal((LotStatus.Ended, 17, 0, 3), (reloaded.Status, reloaded.Available, reloaded.Reserved, reloaded.Sold));
    }

    [Fact]
    public async Task An_unknown_lot_is_not_found()
    {
        Refused(await Grains.GetGrain<IProduceLotGrain>(Ids.New(Ids.LotPrefix)).TakeDown(), RefusalCode.NotFound);
    }

    [Fact]
    public void A_snapshot_keeps_the_take_down_and_a_hold_that_expires_later_returns_nothing_twice()
    {
        var lot = new LotInventory("lot_test");
        lot.Apply(new LotCreated(T0, new LotDefinition("sel_x", "Pears", "box", 100, "CNY", 10, 5, null, null)));
        lot.Apply(lot.DecideHold("shp_a", 3, T0.AddMinutes(10), T0).Change!);
        lot.Apply(lot.DecideTakeDown(T0).Change!);

        var copy = new LotInventory("lot_test");
        copy.Restore(lot.ToSnapshot());
        Assert.Equal(lot.Counts, copy.Counts);
        Assert.Equal(LotStatus.Ended, copy.StatusAt(T0, copy.Counts));
        Assert.Null(copy.NextScheduledChange(T0));

        Assert.Empty(lot.CollectExpired(T0.AddMinutes(11))); // the returned hold's queue entry is stale
        Assert.Equal((10, 0), (lot.Counts.Available, lot.Counts.Reserved));
    }
}
