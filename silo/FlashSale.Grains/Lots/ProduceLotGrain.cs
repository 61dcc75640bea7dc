using FlashSale.Common;
using FlashSale.Live;
using FlashSale.Lots.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace FlashSale.Lots;

/// <summary>
/// The owner of one lot's inventory. It is reentrant so that requests arriving while a write is
/// in flight can be decided and batched into the next write (group commit), yet it never awaits
/// between checking stock and taking it: each decision and its in-memory effect happen in one
/// turn, and the caller hears back only once the write holding its change has completed.
/// Reads show committed counts only.
/// </summary>
[Reentrant]
internal sealed partial class ProduceLotGrain : Grain, IProduceLotGrain, IRemindable
{
    private readonly ILotJournal _journal;
    private readonly TimeProvider _time;
    private readonly LotJournalOptions _options;
    private readonly ILogger<ProduceLotGrain> _logger;
    private readonly LotInventory _inventory;
    private readonly GroupCommit<Change> _commit;
    private LotCounts _committed;
    private long _eventsSinceSnapshot;
    private readonly TimeProvider _wallClock;
    private readonly LiveStockOptions _live;
    private readonly PublishPacer _pacer;
    private EngineClockAlarm? _expiryAlarm;
    private readonly RecoveryReminder _wake;
    private Task _expiryWritten = Task.CompletedTask;
    private long _publishedVersion = -1;
    private IGrainTimer? _publishTimer;
    private bool _writeFailureLogged;
    private readonly long _maxOrderTotalMinor;

    public ProduceLotGrain(
        ILotJournal journal,
        [FromKeyedServices(FlashSaleClock.Key)] TimeProvider time,
        TimeProvider wallClock,
        IOptions<LotJournalOptions> options,
        IOptions<LiveStockOptions> live,
        IOptions<WakeOptions> wake,
        IOptions<MoneyLimitOptions> moneyLimits,
        ILogger<ProduceLotGrain> logger)
    {
        _maxOrderTotalMinor = moneyLimits.Value.MaxOrderTotalMinor;
        _wake = new RecoveryReminder(this, WakeOptions.ReminderName, wake.Value.Period, logger);
        _journal = journal;
        _time = time;
        _wallClock = wallClock;
        _options = options.Value;
        _live = live.Value;
        _logger = logger;
        _inventory = new LotInventory(this.GetPrimaryKeyString());
        _commit = new GroupCommit<Change>(WriteBatchAsync);
        _pacer = new PublishPacer(_live.PublishInterval);
    }

    private string LotId => _inventory.LotId;

    private DateTimeOffset Now => _time.GetUtcNow();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var contents = await _journal.ReadAsync(LotId, cancellationToken);
        if (contents.Snapshot is not null)
        {
            _inventory.Restore(contents.Snapshot);
        }

        foreach (var e in contents.Events)
        {
            _inventory.Apply(e);
        }

        _eventsSinceSnapshot = contents.Events.Count;
        _committed = _inventory.Counts;

        // Expiry is recomputed from state: holds that lapsed while the lot was not active are
        // returned by the first call, and the timer is set for the next one.
        ScheduleExpiry();
        LogActivated(LotId, GrainContext.Address.SiloAddress?.ToString() ?? "?", contents.Sequence);
        if (NextAlarm is not null)
        {
            await _wake.Set();
        }
    }

    /// <summary>When the lot next has work on the clock: a hold's expiry, its opening or its end.</summary>
    private DateTimeOffset? NextAlarm => Earliest(_inventory.NextExpiry, _inventory.NextScheduledChange(Now));

    /// <summary>The wake reminder rang: catch up with the clock (the activation itself did most of it); with nothing left on it, the reminder goes.</summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != WakeOptions.ReminderName)
        {
            return;
        }

        _wake.MayBeSet();
        await ReturnExpired();
        if (NextAlarm is null)
        {
            await _wake.Forget();
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _expiryAlarm?.Dispose();
        return Task.CompletedTask;
    }

    public async Task<Outcome<Lot>> Create(LotDefinition definition)
    {
        if (_inventory.CheckCreate(definition) is { } refusal)
        {
            return refusal;
        }

        await Commit(new LotCreated(Now, definition));
        return Outcome<Lot>.Ok(CommittedLot());
    }

    public async Task<Lot?> Get()
    {
        if (!_inventory.Exists)
        {
            return null;
        }

        await ReturnExpiredNow();
        PublishIfMoved();
        return CommittedLot();
    }

    public async Task<LotEdgeView?> GetEdgeView(int maxHolders)
    {
        if (await Get() is not { } lot)
        {
            return null;
        }

        // Holders come from memory, where a hold being written is already present: a host may
        // then think a shopper holds who does not yet, which only makes it ask the lot.
        var holders = lot.Status is LotStatus.SoldOut or LotStatus.Ended ? _inventory.HoldersUpTo(maxHolders) : null;
        return new LotEdgeView(lot.Version, lot.Status, lot.PerShopperLimit, holders);
    }

    public Task<LotTerms?> GetTerms()
    {
        var d = _inventory.Definition;
        return Task.FromResult(d is null ? null : new LotTerms(LotId, d.PriceMinor, d.Currency, d.PerShopperLimit, d.WaitingRoom, _inventory.StartsAt, d.Edition, d.Presale));
    }

    public async Task<HeldStock?> GetHold(string shopperId)
    {
        if (!_inventory.Exists)
        {
            return null;
        }

        // Lapsed holds are returned first, and a hold still being written is not reported until
        // it is: a cart must never rebuild a line the journal could yet refuse.
        await ReturnExpiredNow();
        try
        {
            await _commit.WhenWritten();
        }
        catch (Exception)
        {
            // The write's own failure is logged by the change that made it; only a serializable one crosses.
            throw new EngineUnavailableException($"Lot {LotId} is reloading after a failed write; retry.");
        }

        return _inventory.HoldOf(shopperId, Now);
    }

    public async Task<Outcome<HoldReceipt>> SetHold(string shopperId, int quantity, DateTimeOffset expiresAt, int? termsEdition = null)
    {
        var now = Now;
        var expired = ApplyExpired(now);
        var decision = _inventory.DecideHold(shopperId, quantity, expiresAt, now, termsEdition);
        CountHold(decision);
        if (decision.Refusal is { } refusal)
        {
            await expired;
            return refusal;
        }

        var counts = await Commit(decision.Change, expired);
        return Outcome<HoldReceipt>.Ok(new HoldReceipt(_inventory.ToLot(now, counts), quantity, expiresAt));
    }

    public async Task<Outcome<ReservationReceipt>> ReserveForOrder(string shopperId, string orderId, int quantity, DateTimeOffset paymentDeadline, bool sellNow)
    {
        var now = Now;
        var expired = ApplyExpired(now);
        var decision = _inventory.DecideReserve(shopperId, orderId, quantity, paymentDeadline, sellNow, now);
        if (decision.Refusal is { } refusal)
        {
            await expired;
            return refusal;
        }

        var sold = decision.Change is HoldMovedToOrder moved ? moved.Sold : _inventory.SoldTo(orderId) is not null;
        var d = _inventory.Definition!;
        await Commit(decision.Change, expired);
        return Outcome<ReservationReceipt>.Ok(new ReservationReceipt(LotId, quantity, d.PriceMinor, d.Currency, sold, d.Presale));
    }

    public Task<Outcome<Lot>> SellReservation(string orderId) => Decide(now => _inventory.DecideSell(orderId, now));

    public async Task<Lot?> ReleaseReservation(string orderId)
    {
        if (!_inventory.Exists)
        {
            return null;
        }

        var outcome = await Decide(now => _inventory.DecideReleaseReservation(orderId, now));
        return outcome.Value;
    }

    public Task<Outcome<Lot>> RetakeForOrder(string orderId, int quantity) => Decide(now => _inventory.DecideRetake(orderId, quantity, now));

    public async Task<Lot?> RefundSale(string orderId)
    {
        if (!_inventory.Exists)
        {
            return null;
        }

        var outcome = await Decide(now => _inventory.DecideRefund(orderId, now));
        return outcome.Value;
    }

    public Task<Outcome<Lot>> Pause(string sellerId) => Decide(now => _inventory.DecidePause(sellerId, pause: true, now));

    public Task<Outcome<Lot>> Resume(string sellerId) => Decide(now => _inventory.DecidePause(sellerId, pause: false, now));

    public Task<Outcome<Lot>> TakeDown() => EndForGood(_inventory.DecideTakeDown);

    public Task<Outcome<Lot>> End(string sellerId) => EndForGood(now => _inventory.DecideEnd(sellerId, now));

    /// <summary>
    /// Ends the lot for good and then tells each cart whose hold it returned, so that when the
    /// answer arrives no cart shows it. The holders are read in the same turn as the decision,
    /// before its change returns their holds. A cart that cannot be told (its silo is failing) is
    /// logged, not retried: it shows a hold that checkout refuses until the hold's own expiry.
    /// </summary>
    private async Task<Outcome<Lot>> EndForGood(Func<DateTimeOffset, Decision> decide)
    {
        var holders = _inventory.HoldersUpTo(int.MaxValue) ?? [];
        var outcome = await Decide(decide);
        if (outcome.Succeeded && holders.Count > 0)
        {
            var told = Task.WhenAll(holders.Select(shopperId => GrainFactory.GetGrain<Carts.IShopperCartGrain>(shopperId).HoldReturned(LotId)));
            try
            {
                await told;
            }
            catch (Exception ex)
            {
                LogCartsNotTold(ex, told.Exception?.InnerExceptions.Count ?? 1, holders.Count, LotId);
            }
        }

        return outcome;
    }

    public async Task<Outcome<HarvestDeclaration>> DeclareHarvest(string sellerId, int declared, IReadOnlyDictionary<string, long>? packedGrams = null)
    {
        var ended = await EndForGood(now => _inventory.DecideHarvest(sellerId, declared, now, packedGrams));
        return ended.Succeeded ? Outcome<HarvestDeclaration>.Ok(_inventory.ToDeclaration()!) : ended.Refusal;
    }

    public async Task<Outcome<SurplusRelease>> ReleaseSurplus(string sellerId, string newLotId)
    {
        var released = await Decide(now => _inventory.DecideReleaseSurplus(sellerId, newLotId, now));
        return released.Succeeded ? Outcome<SurplusRelease>.Ok(_inventory.PendingSurplus!) : released.Refusal;
    }

    public Task<Outcome<Lot>> ReserveOffer(string sellerId, string offerId, string shopperId, int quantity, DateTimeOffset until) =>
        Decide(now => _inventory.DecideReserveOffer(sellerId, offerId, shopperId, quantity, until, now));

    public async Task ConfirmSurplus(string newLotId) => await Decide(now => _inventory.DecideSettleSurplus(newLotId, created: true, now));

    public async Task<Lot?> ReclaimSurplus(string newLotId) => (await Decide(now => _inventory.DecideSettleSurplus(newLotId, created: false, now))).Value;

    public async Task<Outcome<HarvestDeclaration>> PreviewHarvest(string sellerId, int declared)
    {
        await ReturnExpiredNow(); // a lapsed deposit is no claim
        return _inventory.PreviewHarvest(sellerId, declared, Now);
    }

    public Task<Outcome<HarvestDeclaration>> GetHarvest(string sellerId) => Task.FromResult(
        _inventory.CheckOwner(sellerId) is { } refusal ? refusal
        : _inventory.ToDeclaration() is { } declaration ? Outcome<HarvestDeclaration>.Ok(declaration)
        : Refusal.NotFound(EngineTexts.TheHarvest));

    public Task<OrderHarvest?> GetHarvestFor(string orderId) => Task.FromResult(_inventory.HarvestFor(orderId, Now));

    public Task<Outcome<Lot>> Edit(string sellerId, LotEdit edit) => Decide(now => _inventory.DecideEdit(sellerId, edit, _maxOrderTotalMinor, now));

    public Task<Outcome<Lot>> Restock(string sellerId, int quantity) => Decide(now => _inventory.DecideRestock(sellerId, quantity, now));

    public async Task<Outcome<LotStats>> GetStats(string sellerId)
    {
        if (_inventory.CheckOwner(sellerId) is { } refusal)
        {
            return refusal;
        }

        await ReturnExpiredNow();
        return Outcome<LotStats>.Ok(_inventory.ToStats(_committed, Now + _live.ExpiringSoonWindow));
    }

    public async Task<Outcome<SellThroughUpdate>> GetSellThrough(string sellerId)
    {
        if (_inventory.CheckOwner(sellerId) is { } refusal)
        {
            return refusal;
        }

        await ReturnExpiredNow();
        return Outcome<SellThroughUpdate>.Ok(Updates(Now).SellThrough);
    }

    public async Task ReturnExpired()
    {
        if (_inventory.Exists)
        {
            await ReturnExpiredNow();
            PublishIfMoved(); // the timer also wakes the lot for its scheduled opening and ending
            ScheduleExpiry();
        }
    }

    /// <summary>
    /// Returns lapsed holds first, then decides: a decision must see the stock as it is now,
    /// or it could act on a hold or reservation that has just expired.
    /// </summary>
    private async Task<Outcome<Lot>> Decide(Func<DateTimeOffset, Decision> decide)
    {
        var now = Now;
        var expired = ApplyExpired(now);
        var decision = decide(now);
        if (decision.Refusal is { } refusal)
        {
            await expired;
            return refusal;
        }

        var counts = await Commit(decision.Change, expired);
        return Outcome<Lot>.Ok(_inventory.ToLot(now, counts));
    }

    private Task ReturnExpiredNow() => ApplyExpired(Now);

    /// <summary>Applies every lapsed hold and reservation; the task completes once they are written.</summary>
    private Task ApplyExpired(DateTimeOffset now)
    {
        var expired = _inventory.CollectExpired(now);
        if (expired.Count == 0)
        {
            // Returned already, perhaps by the alarm a moment ago, and perhaps still being
            // written: a reader after the expiry waits for that write, so it never sees the
            // lapsed hold as reserved.
            return _expiryWritten;
        }

        Task written = Task.CompletedTask;
        foreach (var e in expired)
        {
            written = Enqueue(e);
        }

        _expiryWritten = written;
        LogReturned(expired.Count, LotId);
        FlashSaleMetrics.Expiries.Add(expired.Count);
        return written;
    }

    /// <summary>
    /// Applies <paramref name="change"/> (if any) and waits until it, and everything decided
    /// before it, is written. Returns the counts as of this change, so that the answer describes
    /// the state the caller's own change produced.
    /// </summary>
    private async Task<LotCounts> Commit(LotEvent? change, Task? before = null)
    {
        if (change is null)
        {
            if (before is not null)
            {
                await before;
            }

            return _inventory.Counts;
        }

        var written = Enqueue(change);
        var counts = _inventory.Counts;
        await written;
        if (before is not null)
        {
            await before; // already written: it was queued ahead of this change
        }

        return counts;
    }

    private Task Enqueue(LotEvent change)
    {
        if (_commit.Fault is not null)
        {
            throw new EngineUnavailableException($"Lot {LotId} is reloading after a failed write; retry.");
        }

        _inventory.Apply(change);
        var written = _commit.Enqueue(new Change(change, _inventory.Counts));
        ScheduleExpiry();
        return AwaitWrite(written);
    }

    private async Task AwaitWrite(Task written)
    {
        try
        {
            await written;
        }
        catch (Exception ex)
        {
            // The in-memory state is ahead of storage and cannot be trusted: drop this
            // activation so the next call replays the journal. Whatever the failure (the journal's
            // own EngineUnavailableException included), the cause stays in this silo's log, once
            // per failed write: only a new serializable exception crosses to the caller.
            DeactivateOnIdle();
            if (!_writeFailureLogged)
            {
                _writeFailureLogged = true;
                LogWriteFailed(ex, LotId);
            }

            throw new EngineUnavailableException($"Lot {LotId} could not record the change; nothing was acknowledged.");
        }
    }

    private async Task WriteBatchAsync(IReadOnlyList<Change> batch)
    {
        // Runs synchronously up to the first await: at that moment every applied change is in
        // this batch, so the inventory is exactly the state after it and can be snapshotted.
        var expectedSequence = batch[0].Counts.Sequence - 1;
        var wake = NextAlarm is not null;
        _eventsSinceSnapshot += batch.Count;
        LotSnapshot? snapshot = null;
        if (_eventsSinceSnapshot >= Math.Max(_options.SnapshotEveryEvents, 2L * _inventory.SnapshotWeight))
        {
            snapshot = _inventory.ToSnapshot();
        }

        if (wake)
        {
            // Before the write: no hold is acknowledged that a restart would leave unexpired. It
            // rings every period while holds last (not at the next expiry: holds come and go by
            // the second, and a lot is one grain), so a restart delays an expiry by one period at most.
            await _wake.Set();
        }

        await _journal.AppendAsync(LotId, expectedSequence, batch.Select(c => c.Event).ToList(), snapshot);
        if (snapshot is not null)
        {
            _eventsSinceSnapshot = 0;
        }

        _committed = batch[^1].Counts;
        PublishIfMoved();
    }

    /// <summary>
    /// Publishes the committed lot to watchers when its version moved, paced to at most one
    /// publication per interval: the first change goes out at once, later ones are folded into
    /// one trailing publication that carries the newest state.
    /// </summary>
    private void PublishIfMoved()
    {
        if (_inventory.VersionAt(Now, _committed) == _publishedVersion)
        {
            return;
        }

        switch (_pacer.OnChange(_wallClock.GetUtcNow()))
        {
            case { } wait when wait == TimeSpan.Zero:
                Publish();
                break;
            case { } wait:
                _publishTimer ??= this.RegisterGrainTimer(static (grain, _) =>
                {
                    grain.Publish();
                    return Task.CompletedTask;
                }, this, new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan) { Interleave = true });
                _publishTimer.Change(wait, Timeout.InfiniteTimeSpan);
                break;
        }
    }

    private void Publish()
    {
        var (stock, sellThrough) = Updates(Now);
        _pacer.Published(_wallClock.GetUtcNow());
        _publishedVersion = stock.Version;
        GrainFactory.GetGrain<ISaleFeedRelayGrain>(0).PublishStock(stock, sellThrough).Ignore();
    }

    private (StockUpdate Stock, SellThroughUpdate SellThrough) Updates(DateTimeOffset now)
    {
        var lot = _inventory.ToLot(now, _committed);
        var stats = _inventory.ToStats(_committed, now + _live.ExpiringSoonWindow);
        var status = LiveFormat.Status(lot.Status);
        return (
            new StockUpdate(LotId, lot.Available, lot.Reserved, lot.Sold, status, lot.Version, now),
            new SellThroughUpdate(
                LotId, lot.SellerId, lot.Name, lot.Quantity, stats.Sold, stats.Reserved, stats.Available, stats.RevenueMinor,
                stats.PaidOrders, stats.SellThrough, stats.HoldsExpiringSoon, status, lot.Version));
    }

    private Lot CommittedLot() => _inventory.ToLot(Now, _committed);

    private void ScheduleExpiry()
    {
        _expiryAlarm ??= new EngineClockAlarm(_time, this.AsReference<IProduceLotGrain>().ReturnExpired);
        _expiryAlarm.Set(NextAlarm);
    }

    private static void CountHold(Decision decision)
    {
        var outcome = decision switch
        {
            { Refusal: { } refusal } => LiveFormat.Code(refusal.Code),
            { Change: HoldReleased } => "released",
            { Change: null } => "unchanged",
            _ => "held",
        };
        FlashSaleMetrics.Holds.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        if (decision.Refusal?.Code == RefusalCode.SoldOut)
        {
            FlashSaleMetrics.SoldOutAnswers.Add(1);
        }
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lot {LotId} could not write to its journal; the activation is dropped and the next call reloads it")]
    private partial void LogWriteFailed(Exception exception, string lotId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Lot {LotId} is active on silo {Silo} (journal at {Sequence})")]
    private partial void LogActivated(string lotId, string silo, long sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Failed} of {Holders} carts could not be told that lot {LotId} ended; they drop the hold at its expiry")]
    private partial void LogCartsNotTold(Exception exception, int failed, int holders, string lotId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Returned {Count} expired holds to lot {LotId}")]
    private partial void LogReturned(int count, string lotId);

    private readonly record struct Change(LotEvent Event, LotCounts Counts);
}

/// <summary>How often a lot compacts its journal into a snapshot.</summary>
public sealed class LotJournalOptions
{
    /// <summary>
    /// The least number of events between snapshots. A snapshot is also never taken more often
    /// than every two snapshot-sizes of events, so its cost per event stays constant however
    /// many holds the lot carries.
    /// </summary>
    public int SnapshotEveryEvents { get; set; } = 1024;
}
