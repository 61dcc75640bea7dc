using FlashSale.Api.Edge;
using FlashSale.Common;
using FlashSale.Lots;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FlashSale.Api.Tests.Edge;

/// <summary>
/// The edge rule (docs/architecture.md, "Answers at the edge") with a fake clock and a fake lot
/// whose reads land only when a test lets them: fresh, stale, version order, restock, release.
/// </summary>
public sealed class LotEdgeCacheTests
{
    private const string Lot = "lot_edge";
    private const string Holder = "shp_holder";
    private const string Stranger = "shp_stranger";
    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(1);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeLot _lot = new();

    [Fact]
    public async Task A_fresh_view_of_a_sold_out_lot_refuses_a_stranger_with_the_lots_own_refusal()
    {
        var edge = Edge();
        await Engage(edge, SoldOut(version: 7));

        Assert.Same(LotRefusals.SoldOut, edge.Answer(Lot, Stranger, 1));
        Assert.Equal(1, _lot.Reads);
    }

    [Fact]
    public void A_host_that_has_not_engaged_asks_the_lot_and_reads_nothing()
    {
        var edge = Edge(engageAfter: 3);
        edge.Refused(Lot, RefusalCode.SoldOut);
        edge.Refused(Lot, RefusalCode.SoldOut);

        Assert.Null(edge.Answer(Lot, Stranger, 1));
        Assert.True(edge.PendingRead(Lot).IsCompleted);
    }

    [Fact]
    public void Other_refusals_do_not_engage_the_host()
    {
        var edge = Edge();
        edge.Refused(Lot, RefusalCode.LimitExceeded);
        edge.Refused(Lot, RefusalCode.CurrencyMismatch);

        Assert.True(edge.PendingRead(Lot).IsCompleted);
    }

    [Fact]
    public async Task A_view_is_trusted_until_the_freshness_after_its_read_began_and_no_longer()
    {
        var edge = Edge();
        edge.Refused(Lot, RefusalCode.SoldOut);
        _clock.Advance(TimeSpan.FromMilliseconds(300)); // the read is slow to land
        await _lot.Land(SoldOut(version: 3));
        await edge.PendingRead(Lot);

        _clock.Advance(Freshness - TimeSpan.FromMilliseconds(300) - TimeSpan.FromTicks(1));
        Assert.NotNull(edge.Answer(Lot, Stranger, 1));
        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.Null(edge.Answer(Lot, Stranger, 1));
    }

    [Fact]
    public async Task A_view_past_half_its_freshness_is_read_again_while_it_still_answers()
    {
        var edge = Edge();
        await Engage(edge, SoldOut(version: 3));

        _clock.Advance(Freshness / 2);
        Assert.NotNull(edge.Answer(Lot, Stranger, 1));
        await _lot.Land(SoldOut(version: 3)); // the second read: it waits for it to be asked
        await edge.PendingRead(Lot);

        _clock.Advance(Freshness / 2); // older than the first read's bound, fresh by the second's
        Assert.NotNull(edge.Answer(Lot, Stranger, 1));
    }

    [Fact]
    public async Task A_holder_a_release_and_a_quantity_over_the_limit_are_always_asked_of_the_lot()
    {
        var edge = Edge();
        await Engage(edge, SoldOut(version: 3, perShopperLimit: 2, holders: [Holder]));

        Assert.Null(edge.Answer(Lot, Holder, 1)); // may be lowering or keeping the hold
        Assert.Null(edge.Answer(Lot, Stranger, 0)); // a release
        Assert.Null(edge.Answer(Lot, Stranger, 3)); // the lot says limit-exceeded
        Assert.NotNull(edge.Answer(Lot, Stranger, 2));
    }

    [Fact]
    public async Task A_lot_with_too_many_holders_to_list_is_always_asked()
    {
        var edge = Edge();
        await Engage(edge, new LotEdgeView(3, LotStatus.SoldOut, 5, Holders: null));

        Assert.Null(edge.Answer(Lot, Stranger, 1));
    }

    [Fact]
    public async Task An_ended_lot_refuses_with_the_lots_own_sale_not_live()
    {
        var edge = Edge();
        await Engage(edge, new LotEdgeView(9, LotStatus.Ended, 5, []));

        var refusal = edge.Answer(Lot, Stranger, 1);

        Assert.Equal(LotRefusals.SaleNotLive(LotStatus.Ended), refusal);
        Assert.Equal(("The sale is over.", "本次销售已结束。"), (refusal!.Detail, refusal.DetailZhCn));
    }

    [Theory]
    [InlineData(LotStatus.Live)]
    [InlineData(LotStatus.Paused)]
    [InlineData(LotStatus.Scheduled)]
    public async Task A_lot_that_is_not_sold_out_or_ended_is_asked(LotStatus status)
    {
        var edge = Edge();
        await Engage(edge, new LotEdgeView(3, status, 5, []));

        Assert.Null(edge.Answer(Lot, Stranger, 1));
    }

    [Fact]
    public async Task A_restock_heard_from_the_feed_drops_the_view_at_once_and_the_next_read_shows_stock()
    {
        var edge = Edge();
        await Engage(edge, SoldOut(version: 3));

        edge.Observed(Lot, 4);
        Assert.Null(edge.Answer(Lot, Stranger, 1));
        await _lot.Land(new LotEdgeView(4, LotStatus.Live, 5, null));
        await edge.PendingRead(Lot);
        Assert.Null(edge.Answer(Lot, Stranger, 1));
    }

    [Fact]
    public async Task An_older_or_equal_version_from_the_feed_keeps_the_view()
    {
        var edge = Edge();
        await Engage(edge, SoldOut(version: 5));

        edge.Observed(Lot, 5);
        edge.Observed(Lot, 2);

        Assert.NotNull(edge.Answer(Lot, Stranger, 1));
    }

    [Fact]
    public async Task A_read_that_lands_older_than_a_version_already_heard_of_is_thrown_away()
    {
        var edge = Edge();
        edge.Refused(Lot, RefusalCode.SoldOut); // the read goes out
        edge.Observed(Lot, 8); // meanwhile the feed says the lot moved on
        await _lot.Land(SoldOut(version: 7));
        await edge.PendingRead(Lot);

        Assert.Null(edge.Answer(Lot, Stranger, 1));
    }

    [Fact]
    public async Task A_release_through_this_host_while_a_read_is_out_throws_the_read_away()
    {
        var edge = Edge();
        await Engage(edge, SoldOut(version: 3));

        edge.Changed(Lot); // a hold or release here succeeded: the lot is not what the view says
        Assert.Null(edge.Answer(Lot, Stranger, 1));

        edge.Refused(Lot, RefusalCode.SoldOut); // a read goes out...
        edge.Changed(Lot); // ...and this host changes the lot again before it lands
        await _lot.Land(SoldOut(version: 3));
        await edge.PendingRead(Lot);

        Assert.Null(edge.Answer(Lot, Stranger, 1));
    }

    [Fact]
    public async Task One_read_per_lot_is_out_at_a_time()
    {
        var edge = Edge();
        edge.Refused(Lot, RefusalCode.SoldOut);
        edge.Refused(Lot, RefusalCode.SoldOut);
        edge.Observed(Lot, 1);

        await _lot.Land(SoldOut(version: 1));
        await edge.PendingRead(Lot);
        Assert.Equal(1, _lot.Reads);
    }

    [Fact]
    public async Task A_failed_read_leaves_the_host_asking_the_lot_and_a_later_read_recovers()
    {
        var edge = Edge();
        edge.Refused(Lot, RefusalCode.SoldOut);
        await _lot.Fail(new TimeoutException("the lot did not answer"));
        await edge.PendingRead(Lot);
        Assert.Null(edge.Answer(Lot, Stranger, 1));

        edge.Refused(Lot, RefusalCode.SoldOut);
        await _lot.Land(SoldOut(version: 2));
        await edge.PendingRead(Lot);
        Assert.NotNull(edge.Answer(Lot, Stranger, 1));
    }

    [Fact]
    public void A_disabled_edge_never_answers_and_never_reads()
    {
        var edge = Edge(enabled: false);
        edge.Refused(Lot, RefusalCode.SoldOut);
        Assert.True(edge.PendingRead(Lot).IsCompleted);

        Assert.Null(edge.Answer(Lot, Stranger, 1));
    }

    private static LotEdgeView SoldOut(long version, int perShopperLimit = 5, string[]? holders = null) =>
        new(version, LotStatus.SoldOut, perShopperLimit, holders ?? []);

    private LotEdgeCache Edge(int engageAfter = 1, bool enabled = true) =>
        new(_lot, _clock, Options.Create(new EdgeOptions { Enabled = enabled, Freshness = Freshness, EngageAfterRefusals = engageAfter }),
            NullLogger<LotEdgeCache>.Instance);

    private async Task Engage(LotEdgeCache edge, LotEdgeView view)
    {
        edge.Refused(Lot, RefusalCode.SoldOut);
        await _lot.Land(view);
        await edge.PendingRead(Lot);
    }

    /// <summary>A lot whose reads wait until the test lands them, one at a time, in order.</summary>
    private sealed class FakeLot : ILotEdgeSource
    {
        private readonly Queue<TaskCompletionSource<LotEdgeView?>> _reads = new();
        private readonly SemaphoreSlim _asked = new(0);

        public int Reads { get; private set; }

        public Task<LotEdgeView?> Read(string lotId, int maxHolders)
        {
            var read = new TaskCompletionSource<LotEdgeView?>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_reads)
            {
                Reads++;
                _reads.Enqueue(read);
            }

            _asked.Release();
            return read.Task;
        }

        /// <summary>Waits for the next read to be asked (reads go out after a yield), then answers it.</summary>
        public async Task Land(LotEdgeView? view) => (await Next()).SetResult(view);

        public async Task Fail(Exception exception) => (await Next()).SetException(exception);

        private async Task<TaskCompletionSource<LotEdgeView?>> Next()
        {
            await _asked.WaitAsync(TimeSpan.FromSeconds(30));
            lock (_reads)
            {
                return _reads.Dequeue();
            }
        }
    }
}
