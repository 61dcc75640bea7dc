using FlashSale.Common;
using FlashSale.Lots;
using FlashSale.Tests.Infrastructure;
using Orleans.Core.Internal;
using static FlashSale.Tests.Infrastructure.Sale;

namespace FlashSale.Tests.Lots;

[Collection(EngineCluster.Name)]
public sealed class ProduceLotGrainTests(EngineClusterFixture cluster)
{
    private IGrainFactory Grains => cluster.Grains;

    [Fact]
    public async Task A_new_lot_is_live_with_all_stock_available()
    {
        var (lotId, lot) = await CreateLot(Grains, quantity: 50, limit: 5);

        var read = await lot.Get();

        Assert.NotNull(read);
        Assert.Equal(lotId, read.LotId);
        Assert.Equal(LotStatus.Live, read.Status);
        Assert.Equal((50, 50, 0, 0), (read.Quantity, read.Available, read.Reserved, read.Sold));
        Assert.Equal(1, read.Version);
    }

    [Fact]
    public async Task An_unknown_lot_reads_as_null_and_refuses_holds()
    {
        var lot = Grains.GetGrain<IProduceLotGrain>(Ids.New(Ids.LotPrefix));

        Assert.Null(await lot.Get());
        Refused(await lot.SetHold(NewShopper(), 1, cluster.Clock.GetUtcNow().AddMinutes(10)), RefusalCode.NotFound);
    }

    [Fact]
    public async Task Creating_twice_is_a_conflict_and_changes_nothing()
    {
        var (_, lot) = await CreateLot(Grains, quantity: 10);
        var again = await lot.Create(new LotDefinition(NewSeller(), "Other", "kg", 5, "CNY", 99, 1, null, null));

        Refused(again, RefusalCode.Conflict);
        Assert.Equal(10, (await lot.Get())!.Quantity);
    }

    [Fact]
    public async Task A_hold_moves_stock_from_available_to_reserved_and_back()
    {
        var (_, lot) = await CreateLot(Grains, quantity: 10, limit: 5);
        var shopper = NewShopper();
        var expiresAt = cluster.Clock.GetUtcNow().AddMinutes(10);

        var held = Value(await lot.SetHold(shopper, 3, expiresAt));
        Assert.Equal((7, 3), (held.Lot.Available, held.Lot.Reserved));

        var fewer = Value(await lot.SetHold(shopper, 1, expiresAt));
        Assert.Equal((9, 1), (fewer.Lot.Available, fewer.Lot.Reserved));

        var released = Value(await lot.SetHold(shopper, 0, expiresAt));
        Assert.Equal((10, 0), (released.Lot.Available, released.Lot.Reserved));
        Assert.True(released.Lot.Version > fewer.Lot.Version && fewer.Lot.Version > held.Lot.Version);
    }

    [Fact]
    public async Task A_hold_is_all_or_nothing()
    {
        var (_, lot) = await CreateLot(Grains, quantity: 3, limit: 3);
        var expiresAt = cluster.Clock.GetUtcNow().AddMinutes(10);
        Value(await lot.SetHold(NewShopper(), 2, expiresAt));

        var tooMany = await lot.SetHold(NewShopper(), 2, expiresAt);

        Refused(tooMany, RefusalCode.SoldOut);
        var after = (await lot.Get())!;
        Assert.Equal((1, 2, 0), (after.Available, after.Reserved, after.Sold));
    }

    [Fact]
    public async Task The_lot_itself_refuses_more_than_the_per_shopper_limit()
    {
        var (_, lot) = await CreateLot(Grains, quantity: 10, limit: 2);

        Refused(await lot.SetHold(NewShopper(), 3, cluster.Clock.GetUtcNow().AddMinutes(10)), RefusalCode.LimitExceeded);
        Assert.Equal(10, (await lot.Get())!.Available);
    }

    [Fact]
    public async Task Paused_scheduled_and_ended_sales_refuse_new_holds_but_allow_releases()
    {
        var now = cluster.Clock.GetUtcNow();
        var seller = NewSeller();
        var (_, lot) = await CreateLot(Grains, quantity: 10, limit: 5, sellerId: seller);
        var shopper = NewShopper();
        Value(await lot.SetHold(shopper, 2, now.AddMinutes(10)));

        var paused = Value(await lot.Pause(seller));
        Assert.Equal(LotStatus.Paused, paused.Status);
        Refused(await lot.SetHold(NewShopper(), 1, now.AddMinutes(10)), RefusalCode.SaleNotLive);
        Value(await lot.SetHold(shopper, 1, now.AddMinutes(10)));
        Assert.Equal(LotStatus.Live, Value(await lot.Resume(seller)).Status);

        var (_, scheduled) = await CreateLot(Grains, startsAt: now.AddHours(1));
        Assert.Equal(LotStatus.Scheduled, (await scheduled.Get())!.Status);
        Refused(await scheduled.SetHold(NewShopper(), 1, now.AddMinutes(10)), RefusalCode.SaleNotLive);

        var (_, ending) = await CreateLot(Grains, endsAt: now.AddMinutes(30));
        cluster.Clock.Advance(TimeSpan.FromMinutes(31));
        var ended = (await ending.Get())!;
        Assert.Equal(LotStatus.Ended, ended.Status);
        Assert.Equal(2, ended.Version); // creation + the scheduled end
        Refused(await ending.SetHold(NewShopper(), 1, cluster.Clock.GetUtcNow().AddMinutes(10)), RefusalCode.SaleNotLive);
    }

    [Fact]
    public async Task A_scheduled_lot_opens_at_its_start_and_its_version_rises()
    {
        var now = cluster.Clock.GetUtcNow();
        var (_, lot) = await CreateLot(Grains, startsAt: now.AddMinutes(5));
        var before = (await lot.Get())!;

        cluster.Clock.Advance(TimeSpan.FromMinutes(5));
        var after = (await lot.Get())!;

        Assert.Equal(LotStatus.Scheduled, before.Status);
        Assert.Equal(LotStatus.Live, after.Status);
        Assert.True(after.Version > before.Version);
        Value(await lot.SetHold(NewShopper(), 1, cluster.Clock.GetUtcNow().AddMinutes(10)));
    }

    [Fact]
    public async Task Only_the_owner_may_pause_resume_restock_or_read_stats()
    {
        var seller = NewSeller();
        var (_, lot) = await CreateLot(Grains, quantity: 10, sellerId: seller);
        var stranger = NewSeller();

        Refused(await lot.Pause(stranger), RefusalCode.Forbidden);
        Refused(await lot.Resume(stranger), RefusalCode.Forbidden);
        Refused(await lot.Restock(stranger, 5), RefusalCode.Forbidden);
        Refused(await lot.GetStats(stranger), RefusalCode.Forbidden);

        var after = (await lot.Get())!;
        Assert.Equal((10, LotStatus.Live, 1L), (after.Quantity, after.Status, after.Version));
    }

    [Fact]
    public async Task Stats_count_held_units_whose_hold_ends_within_the_expiring_soon_window()
    {
        var seller = NewSeller();
        var (_, lot) = await CreateLot(Grains, quantity: 20, limit: 5, sellerId: seller);
        var now = cluster.Clock.GetUtcNow();
        Value(await lot.SetHold(NewShopper(), 3, now.AddSeconds(30)));
        Value(await lot.SetHold(NewShopper(), 2, now.AddMinutes(10)));
        Value(await lot.SetHold(NewShopper(), 1, now.AddMinutes(1)));

        var first = Value(await lot.GetStats(seller));
        cluster.Clock.Advance(TimeSpan.FromMinutes(9.5));
        var later = Value(await lot.GetStats(seller));

        // The window is the live feed's (one minute): an end exactly at its edge counts.
        Assert.Equal((6, 4), (first.Reserved, first.HoldsExpiringSoon));
        Assert.Equal((2, 2), (later.Reserved, later.HoldsExpiringSoon));
    }

    [Fact]
    public async Task A_refusal_carries_its_detail_in_english_and_chinese()
    {
        var seller = NewSeller();
        var (_, lot) = await CreateLot(Grains, quantity: 10, sellerId: seller);

        var refused = await lot.Pause(NewSeller());

        Assert.Equal(RefusalCode.Forbidden, refused.Refusal!.Code);
        Assert.Equal(("Only the lot's seller may do this.", "只有该批次的卖家可以这样做。"), (refused.Refusal.Detail, refused.Refusal.DetailZhCn));
        Assert.Equal("只有该批次的卖家可以这样做。", refused.Refusal.DetailIn(System.Globalization.CultureInfo.GetCultureInfo("zh-CN")));
        Assert.Equal("Only the lot's seller may do this.", refused.Refusal.DetailIn(System.Globalization.CultureInfo.GetCultureInfo("en")));
    }

    [Fact]
    public async Task Restock_grows_quantity_and_available_and_reopens_a_sold_out_lot()
    {
        var seller = NewSeller();
        var (_, lot) = await CreateLot(Grains, quantity: 2, limit: 2, sellerId: seller);
        Value(await lot.SetHold(NewShopper(), 2, cluster.Clock.GetUtcNow().AddMinutes(10)));
        Assert.Equal(LotStatus.SoldOut, (await lot.Get())!.Status);

        var restocked = Value(await lot.Restock(seller, 5));

        Assert.Equal((7, 5, 2), (restocked.Quantity, restocked.Available, restocked.Reserved));
        Assert.Equal(LotStatus.Live, restocked.Status);
        Refused(await lot.Restock(seller, 0), RefusalCode.InvalidRequest);
        Refused(await lot.Restock(seller, LotLimits.MaxQuantity), RefusalCode.InvalidRequest);
    }

    [Fact]
    public async Task Expired_holds_return_to_stock_at_their_expiry()
    {
        var (_, lot) = await CreateLot(Grains, quantity: 10, limit: 5);
        var now = cluster.Clock.GetUtcNow();
        Value(await lot.SetHold(NewShopper(), 3, now.AddMinutes(10)));
        Value(await lot.SetHold(NewShopper(), 4, now.AddMinutes(20)));

        cluster.Clock.Advance(TimeSpan.FromMinutes(10));
        var first = (await lot.Get())!;
        cluster.Clock.Advance(TimeSpan.FromMinutes(10));
        var second = (await lot.Get())!;

        Assert.Equal((6, 4), (first.Available, first.Reserved));
        Assert.Equal((10, 0), (second.Available, second.Reserved));
    }

    [Fact]
    public async Task Holds_expire_after_the_lot_was_deactivated_and_reactivated()
    {
        var (lotId, lot) = await CreateLot(Grains, quantity: 10, limit: 5);
        Value(await lot.SetHold(NewShopper(), 5, cluster.Clock.GetUtcNow().AddMinutes(10)));
        var readsBefore = cluster.Journal.ReadsOf(lotId);

        await lot.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        cluster.Clock.Advance(TimeSpan.FromMinutes(11));
        var after = (await lot.Get())!;

        Assert.True(cluster.Journal.ReadsOf(lotId) > readsBefore, "the lot should have been reactivated from its journal");
        Assert.Equal((10, 0), (after.Available, after.Reserved));
        AssertInvariant(after);
    }

    [Fact]
    public async Task The_expiry_timer_returns_stock_without_any_request_to_the_lot()
    {
        var (lotId, lot) = await CreateLot(Grains, quantity: 10, limit: 5);
        Value(await lot.SetHold(NewShopper(), 5, cluster.Clock.GetUtcNow().AddMinutes(10)));
        var appendsBefore = cluster.Journal.AppendsTo(lotId).Count;

        cluster.Clock.Advance(TimeSpan.FromMinutes(10));

        // The fake clock fires the lot's timer, whose call returns the hold and writes it; wait
        // for that write (an event, not a time) before looking.
        await Eventually.True(() => cluster.Journal.AppendsTo(lotId).Count > appendsBefore);
        Assert.Equal(10, (await lot.Get())!.Available);
    }

    [Fact]
    public async Task Concurrent_holds_are_group_committed_and_none_is_answered_before_its_write()
    {
        var (lotId, lot) = await CreateLot(Grains, quantity: 1000, limit: 1);
        var expiresAt = cluster.Clock.GetUtcNow().AddMinutes(10);
        var appendsBefore = cluster.Journal.AppendsTo(lotId).Count;

        using var decided = new HoldDecisionCounter();
        cluster.Journal.CloseGate();
        var first = lot.SetHold(NewShopper(), 1, expiresAt);
        await Eventually.True(() => decided.Count == 1, "the first hold should be decided and its write held at the gate");
        var rest = Enumerable.Range(0, 50).Select(_ => lot.SetHold(NewShopper(), 1, expiresAt)).ToList();
        // Sent is not arrived: Orleans does not order concurrent calls, so wait until the lot has
        // decided all 50 while the first write is still held.
        await Eventually.True(() => decided.Count == 51, "all 50 holds should reach the lot while the first write is held");
        var committedMeanwhile = (await lot.Get())!;
        Assert.False(first.IsCompleted || rest.Any(t => t.IsCompleted), "a hold was answered before its write");
        Assert.Equal(1000, committedMeanwhile.Available); // reads show committed state only

        cluster.Journal.OpenGate();
        var answers = await Task.WhenAll(rest.Prepend(first));

        Assert.All(answers, a => Assert.True(a.Succeeded));
        Assert.Equal([1, 50], cluster.Journal.AppendsTo(lotId).Skip(appendsBefore));
        var after = (await lot.Get())!;
        Assert.Equal((949, 51), (after.Available, after.Reserved));
    }

    [Fact]
    public async Task A_failed_write_acknowledges_nothing_and_the_lot_reloads_its_journal()
    {
        var (lotId, lot) = await CreateLot(Grains, quantity: 10, limit: 5);
        Value(await lot.SetHold(NewShopper(), 2, cluster.Clock.GetUtcNow().AddMinutes(10)));

        cluster.Journal.FailAppends(new IOException("disk on fire"));
        try
        {
            await Assert.ThrowsAsync<EngineUnavailableException>(() => lot.SetHold(NewShopper(), 3, cluster.Clock.GetUtcNow().AddMinutes(10)));
        }
        finally
        {
            cluster.Journal.FailAppends(null);
        }

        var after = await Eventually.Value(async () =>
        {
            try
            {
                return await lot.Get();
            }
            catch (EngineUnavailableException)
            {
                return null;
            }
        });
        Assert.Equal((8, 2), (after.Available, after.Reserved));
        Value(await lot.SetHold(NewShopper(), 3, cluster.Clock.GetUtcNow().AddMinutes(10)));
    }

    [Fact]
    public async Task The_journal_compacts_so_activation_replays_a_short_tail()
    {
        // 100 shoppers renew their holds 30 times: 3,000 changes over 100 live holds. A snapshot
        // is due every max(1024, 2 x live entries) changes, so the tail stays short.
        var (lotId, lot) = await CreateLot(Grains, quantity: 100_000, limit: 1);
        var shoppers = Enumerable.Range(0, 100).Select(_ => NewShopper()).ToList();
        for (var round = 0; round < 30; round++)
        {
            var expiresAt = cluster.Clock.GetUtcNow().AddMinutes(10 + round);
            await Task.WhenAll(shoppers.Select(s => lot.SetHold(s, 1, expiresAt)));
        }

        Assert.InRange(cluster.Journal.Inner.TailLength(lotId), 0, 1100);
        await lot.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        var after = (await lot.Get())!;
        Assert.Equal((99_900, 100), (after.Available, after.Reserved));
        Assert.Equal(3001, after.Version);
    }
}
