using FlashSale.Common;
using FlashSale.Lots;

namespace FlashSale.Tests.Lots;

/// <summary>The lot's rules without Orleans: decisions, events and expiry, run directly.</summary>
public sealed class LotInventoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    private static LotInventory NewLot(int quantity = 10, int limit = 5)
    {
        var lot = new LotInventory("lot_test");
        lot.Apply(new LotCreated(T0, new LotDefinition("sel_x", "Pears", "box", 100, "CNY", quantity, limit, null, null)));
        return lot;
    }

    private static void Hold(LotInventory lot, string shopper, int quantity, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        var decision = lot.DecideHold(shopper, quantity, expiresAt, now);
        Assert.Null(decision.Refusal);
        lot.Apply(decision.Change!);
    }

    private static int ApplyExpired(LotInventory lot, DateTimeOffset now)
    {
        var expired = lot.CollectExpired(now);
        expired.ForEach(lot.Apply);
        return expired.Count;
    }

    [Fact]
    public void Renewals_to_the_same_instant_return_the_hold_once()
    {
        var lot = NewLot();
        Hold(lot, "a", 2, T0.AddMinutes(10), T0);
        Hold(lot, "a", 1, T0.AddMinutes(10), T0);

        Assert.Equal(1, ApplyExpired(lot, T0.AddMinutes(11)));
        Assert.Equal((10, 0), (lot.Counts.Available, lot.Counts.Reserved));
    }

    [Fact]
    public void A_renewed_hold_expires_at_its_new_time_not_its_old_one()
    {
        var lot = NewLot();
        Hold(lot, "a", 3, T0.AddMinutes(10), T0);
        Hold(lot, "a", 2, T0.AddMinutes(14), T0.AddMinutes(4));

        Assert.Equal(0, ApplyExpired(lot, T0.AddMinutes(12)));
        Assert.Equal(2, lot.HeldBy("a"));
        Assert.Equal(1, ApplyExpired(lot, T0.AddMinutes(60)));
        Assert.Equal((10, 0), (lot.Counts.Available, lot.Counts.Reserved));
    }

    [Fact]
    public void A_hold_expires_at_its_instant_exactly()
    {
        var lot = NewLot();
        Hold(lot, "a", 3, T0.AddMinutes(10), T0);

        Assert.Equal(0, ApplyExpired(lot, T0.AddMinutes(10).AddTicks(-1)));
        Assert.Equal(1, ApplyExpired(lot, T0.AddMinutes(10)));
    }

    [Fact]
    public void A_reservation_outlives_the_hold_it_came_from_and_expires_at_its_deadline()
    {
        var lot = NewLot();
        Hold(lot, "a", 3, T0.AddMinutes(10), T0);
        lot.Apply(lot.DecideReserve("a", "ord_1", 3, T0.AddMinutes(15), sellNow: false, T0.AddMinutes(1)).Change!);

        Assert.Equal(0, ApplyExpired(lot, T0.AddMinutes(12)));
        Assert.Equal(3, lot.Counts.Reserved);
        Assert.Equal(1, ApplyExpired(lot, T0.AddMinutes(15)));
        Assert.Equal((10, 0, 0), (lot.Counts.Available, lot.Counts.Reserved, lot.Counts.Sold));
    }

    [Fact]
    public void Selling_refunding_and_releasing_are_idempotent()
    {
        var lot = NewLot();
        Hold(lot, "a", 2, T0.AddMinutes(10), T0);
        lot.Apply(lot.DecideReserve("a", "ord_1", 2, T0.AddMinutes(15), sellNow: false, T0).Change!);
        lot.Apply(lot.DecideSell("ord_1", T0).Change!);

        Assert.Null(lot.DecideSell("ord_1", T0).Change);
        Assert.Null(lot.DecideReleaseReservation("ord_1", T0).Change);
        Assert.Null(lot.DecideReserve("a", "ord_1", 2, T0.AddMinutes(15), sellNow: false, T0).Change);
        lot.Apply(lot.DecideRefund("ord_1", T0).Change!);
        Assert.Null(lot.DecideRefund("ord_1", T0).Change);
        Assert.Equal((10, 0, 0), (lot.Counts.Available, lot.Counts.Reserved, lot.Counts.Sold));
    }

    [Fact]
    public void A_sale_at_or_after_the_deadline_is_refused()
    {
        var lot = NewLot();
        Hold(lot, "a", 2, T0.AddMinutes(10), T0);
        lot.Apply(lot.DecideReserve("a", "ord_1", 2, T0.AddMinutes(15), sellNow: false, T0).Change!);

        Assert.NotNull(lot.DecideSell("ord_1", T0.AddMinutes(15)).Refusal);
        Assert.Null(lot.DecideSell("ord_1", T0.AddMinutes(15).AddTicks(-1)).Refusal);
    }

    [Fact]
    public void Applying_an_impossible_event_fails_loudly_instead_of_breaking_the_invariant()
    {
        var lot = NewLot(quantity: 2);

        Assert.Throws<InvalidOperationException>(() => lot.Apply(new HoldSet(T0, "a", 3, T0.AddMinutes(10))));
        Assert.Throws<InvalidOperationException>(() => lot.Apply(new HoldReleased(T0, "nobody", Expired: false)));
    }

    [Fact]
    public void A_snapshot_restores_the_same_lot()
    {
        var lot = NewLot();
        Hold(lot, "a", 2, T0.AddMinutes(10), T0);
        Hold(lot, "b", 1, T0.AddMinutes(12), T0);
        lot.Apply(lot.DecideReserve("b", "ord_1", 1, T0.AddMinutes(15), sellNow: true, T0).Change!);

        var copy = new LotInventory("lot_test");
        copy.Restore(lot.ToSnapshot());

        Assert.Equal(lot.Counts, copy.Counts);
        var (original, restored) = (lot.ToStats(lot.Counts, T0.AddMinutes(20)), copy.ToStats(copy.Counts, T0.AddMinutes(20)));
        Assert.Equal(original.SellThrough, restored.SellThrough);
        Assert.Equal(original, restored with { SellThrough = original.SellThrough });
        Assert.Equal(1, ApplyExpired(copy, T0.AddMinutes(11)));
        Assert.Equal(1, copy.SoldTo("ord_1"));
    }

    [Fact]
    public void A_late_payment_retakes_stock_only_from_what_is_available()
    {
        var lot = NewLot(quantity: 3);
        Hold(lot, "a", 2, T0.AddMinutes(10), T0);
        lot.Apply(lot.DecideReserve("a", "ord_1", 2, T0.AddMinutes(15), sellNow: false, T0).Change!);
        Assert.Equal(1, ApplyExpired(lot, T0.AddMinutes(15)));
        Hold(lot, "b", 2, T0.AddMinutes(25), T0.AddMinutes(15));

        Assert.Equal(RefusalCode.SoldOut, lot.DecideRetake("ord_1", 2, T0.AddMinutes(16)).Refusal?.Code);
        lot.Apply(lot.DecideRetake("ord_1", 1, T0.AddMinutes(16)).Change!);
        Assert.Null(lot.DecideRetake("ord_1", 1, T0.AddMinutes(16)).Change);
        Assert.Equal((0, 2, 1), (lot.Counts.Available, lot.Counts.Reserved, lot.Counts.Sold));
    }

    [Fact]
    public void Renewals_do_not_pile_up_in_the_expiry_queue()
    {
        var lot = NewLot(quantity: 100, limit: 5);
        for (var renewal = 0; renewal < 10_000; renewal++)
        {
            Hold(lot, $"s{renewal % 10}", 1 + (renewal % 2), T0.AddMinutes(10).AddSeconds(renewal), T0.AddSeconds(renewal));
        }

        Assert.InRange(lot.ExpiryEntries, 10, (2 * 10) + 1024 + 1);
        Assert.Equal(10, ApplyExpired(lot, T0.AddDays(1)));
        Assert.Equal((100, 0), (lot.Counts.Available, lot.Counts.Reserved));
    }
}
