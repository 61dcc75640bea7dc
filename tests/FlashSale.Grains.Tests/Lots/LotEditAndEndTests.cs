using FlashSale.Common;
using FlashSale.Lots;

namespace FlashSale.Tests.Lots;

/// <summary>The seller's edits before opening and early end, decided and applied on the lot's own state.</summary>
public sealed class LotEditAndEndTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Opening = T0.AddHours(1);
    private const long Ceiling = 1_000_000_000;

    private static LotInventory ScheduledLot(int quantity = 10, int limit = 5, DateTimeOffset? endsAt = null)
    {
        var lot = new LotInventory("lot_test");
        lot.Apply(new LotCreated(T0, new LotDefinition("sel_x", "Pears", "box", 100, "CNY", quantity, limit, Opening, endsAt)));
        return lot;
    }

    private static LotInventory LiveLot()
    {
        var lot = new LotInventory("lot_test");
        lot.Apply(new LotCreated(T0, new LotDefinition("sel_x", "Pears", "box", 100, "CNY", 10, 5, null, null)));
        return lot;
    }

    private static void Apply(LotInventory lot, Decision decision)
    {
        Assert.Null(decision.Refusal);
        lot.Apply(decision.Change!);
    }

    [Fact]
    public void Before_opening_an_edit_changes_the_given_terms_keeps_the_rest_and_counts_an_edition()
    {
        var lot = ScheduledLot();
        var before = lot.VersionAt(T0, lot.Counts);

        Apply(lot, lot.DecideEdit("sel_x", new LotEdit(Name: "Honey pears", PriceMinor: 250, PerShopperLimit: 2, StartsAt: T0.AddHours(2)), Ceiling, T0));

        var d = lot.Definition!;
        Assert.Equal(("Honey pears", "box", 250L, 2, T0.AddHours(2), "CNY", 10, 1), (d.Name, d.Unit, d.PriceMinor, d.PerShopperLimit, d.StartsAt!.Value, d.Currency, d.Quantity, d.Edition));
        Assert.True(lot.VersionAt(T0, lot.Counts) > before);
        Assert.Equal(LotStatus.Scheduled, lot.StatusAt(Opening, lot.Counts)); // the old opening no longer opens it
        Assert.Equal(LotStatus.Live, lot.StatusAt(T0.AddHours(2), lot.Counts));
        Assert.Equal(T0.AddHours(2), lot.NextScheduledChange(T0));
    }

    [Fact]
    public void An_edit_that_changes_nothing_is_no_change()
    {
        var lot = ScheduledLot();
        Assert.Null(lot.DecideEdit("sel_x", new LotEdit(Name: "Pears", PriceMinor: 100, StartsAt: Opening), Ceiling, T0).Change);
        Assert.Null(lot.DecideEdit("sel_x", new LotEdit(Name: "Pears"), Ceiling, T0).Refusal);
    }

    [Fact]
    public void Once_the_lot_has_opened_no_edit_is_taken()
    {
        var lot = ScheduledLot();
        AssertRefused(lot.DecideEdit("sel_x", new LotEdit(PriceMinor: 50), Ceiling, Opening), RefusalCode.Conflict);
        AssertRefused(LiveLot().DecideEdit("sel_x", new LotEdit(Name: "x"), Ceiling, T0), RefusalCode.Conflict);
    }

    [Fact]
    public void A_hold_judged_on_terms_older_than_an_edit_is_refused_and_moves_nothing()
    {
        var lot = ScheduledLot();
        Apply(lot, lot.DecideEdit("sel_x", new LotEdit(PriceMinor: 250), Ceiling, T0));

        AssertRefused(lot.DecideHold("shp_a", 1, Opening.AddMinutes(10), Opening, termsEdition: 0), RefusalCode.Conflict);
        Apply(lot, lot.DecideHold("shp_a", 1, Opening.AddMinutes(10), Opening, termsEdition: 1));
        Assert.Equal(1, lot.HeldBy("shp_a"));
    }

    [Fact]
    public void Only_the_seller_edits_or_ends()
    {
        var lot = ScheduledLot();
        AssertRefused(lot.DecideEdit("sel_other", new LotEdit(PriceMinor: 50), Ceiling, T0), RefusalCode.Forbidden);
        AssertRefused(lot.DecideEnd("sel_other", T0), RefusalCode.Forbidden);
        AssertRefused(new LotInventory("lot_none").DecideEnd("sel_x", T0), RefusalCode.NotFound);
    }

    [Theory]
    [InlineData(0, 5, 0, "a price of zero")]
    [InlineData(100, 11, 0, "a limit above the quantity")]
    [InlineData(100, 0, 0, "a limit of zero")]
    [InlineData(500_000_000, 3, 0, "a whole allowance above the order ceiling")]
    [InlineData(100, 5, -30, "an end before the opening")]
    public void An_edit_that_breaks_a_rule_of_the_lot_is_refused_and_changes_nothing(long price, int limit, int endsAfterOpeningMinutes, string why)
    {
        var lot = ScheduledLot(endsAt: Opening.AddHours(1));
        var edit = new LotEdit(PriceMinor: price, PerShopperLimit: limit, EndsAt: endsAfterOpeningMinutes == 0 ? null : Opening.AddMinutes(endsAfterOpeningMinutes));

        var decision = lot.DecideEdit("sel_x", edit, Ceiling, T0);

        Assert.True(decision.Refusal?.Code == RefusalCode.InvalidRequest, why);
    }

    [Fact]
    public void The_limit_is_judged_against_the_restocked_quantity()
    {
        var lot = ScheduledLot(quantity: 10);
        Apply(lot, lot.DecideRestock("sel_x", 5, T0));
        Apply(lot, lot.DecideEdit("sel_x", new LotEdit(PerShopperLimit: 15), Ceiling, T0));
        Assert.Equal(15, lot.Definition!.PerShopperLimit);
    }

    [Fact]
    public void Ending_returns_every_hold_keeps_orders_and_refuses_new_holds_and_restocks()
    {
        var lot = LiveLot();
        Apply(lot, lot.DecideHold("shp_a", 2, T0.AddMinutes(10), T0));
        Apply(lot, lot.DecideHold("shp_b", 3, T0.AddMinutes(10), T0));
        Apply(lot, lot.DecideReserve("shp_b", "ord_b", 3, T0.AddMinutes(15), sellNow: false, T0));

        Apply(lot, lot.DecideEnd("sel_x", T0.AddMinutes(1)));

        Assert.Equal((10, 7, 3, 0), (lot.Counts.Quantity, lot.Counts.Available, lot.Counts.Reserved, lot.Counts.Sold));
        Assert.Equal(0, lot.HeldBy("shp_a"));
        Assert.Equal(LotStatus.Ended, lot.StatusAt(T0.AddMinutes(1), lot.Counts));
        AssertRefused(lot.DecideHold("shp_c", 1, T0.AddMinutes(12), T0.AddMinutes(2)), RefusalCode.SaleNotLive);
        AssertRefused(lot.DecideRestock("sel_x", 5, T0.AddMinutes(2)), RefusalCode.Conflict);
        AssertRefused(lot.DecideEdit("sel_x", new LotEdit(Name: "x"), Ceiling, T0.AddMinutes(2)), RefusalCode.Conflict);
        Apply(lot, lot.DecideSell("ord_b", T0.AddMinutes(3))); // the placed order is paid and its stock sold
        Assert.Equal((7, 0, 3), (lot.Counts.Available, lot.Counts.Reserved, lot.Counts.Sold));
        Assert.Null(lot.DecideEnd("sel_x", T0.AddMinutes(4)).Change); // ending again changes nothing
    }

    [Fact]
    public void A_lot_ended_before_it_opened_never_opens()
    {
        var lot = ScheduledLot();
        Apply(lot, lot.DecideEnd("sel_x", T0));
        Assert.Equal(LotStatus.Ended, lot.StatusAt(Opening.AddHours(1), lot.Counts));
        Assert.Null(lot.NextScheduledChange(T0));
    }

    [Fact]
    public void Edits_and_the_end_survive_a_snapshot_and_a_replay()
    {
        var lot = ScheduledLot();
        var events = new List<LotEvent>();
        void Take(Decision decision)
        {
            Apply(lot, decision);
            events.Add(decision.Change!);
        }

        Take(lot.DecideEdit("sel_x", new LotEdit(Unit: "crate", StartsAt: T0.AddMinutes(5)), Ceiling, T0));
        Take(lot.DecideHold("shp_a", 2, T0.AddMinutes(20), T0.AddMinutes(6)));
        Take(lot.DecideEnd("sel_x", T0.AddMinutes(7)));

        var fromSnapshot = new LotInventory("lot_test");
        fromSnapshot.Restore(lot.ToSnapshot());
        var fromJournal = ScheduledLot();
        events.ForEach(fromJournal.Apply);

        foreach (var copy in new[] { fromSnapshot, fromJournal })
        {
            Assert.Equal(lot.Definition, copy.Definition);
            Assert.Equal(lot.Counts, copy.Counts);
            Assert.Equal(LotStatus.Ended, copy.StatusAt(T0.AddMinutes(8), copy.Counts));
        }
    }

    private static void AssertRefused(Decision decision, RefusalCode code)
    {
        Assert.Null(decision.Change);
        Assert.Equal(code, decision.Refusal?.Code);
    }
}
