using System.Diagnostics;
using FlashSale.Lots;
using FlashSale.Lots.Storage;

namespace FlashSale.Benchmarks.Lots;

/// <summary>
/// A lot journal (the embedded in-memory one or Redis), unchanged, with counters around its
/// appends: how many writes, how many events they carried (group commit shows as many events per
/// write), how many compacted the journal into a snapshot and how big those were, and how long
/// the appends took. The in-memory journal serializes on the caller's thread, so that time is the
/// persistence cost that would grow with the lot if appends rewrote the whole state; for Redis it
/// also includes the round trip, the script and, with <c>appendfsync always</c>, the fsync.
/// </summary>
public sealed class CountingLotJournal(ILotJournal inner) : ILotJournal
{
    private long _appends;
    private long _events;
    private long _snapshots;
    private long _snapshotHolds;
    private long _appendTicks;
    private long _snapshotAppendTicks;

    public Task<LotJournalContents> ReadAsync(string lotId, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(lotId, cancellationToken);

    public async Task AppendAsync(string lotId, long expectedSequence, IReadOnlyList<LotEvent> events, LotSnapshot? compactTo, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        await inner.AppendAsync(lotId, expectedSequence, events, compactTo, cancellationToken);
        var elapsed = Stopwatch.GetTimestamp() - started;

        Interlocked.Increment(ref _appends);
        Interlocked.Add(ref _events, events.Count);
        Interlocked.Add(ref _appendTicks, elapsed);
        if (compactTo is not null)
        {
            Interlocked.Increment(ref _snapshots);
            Interlocked.Add(ref _snapshotHolds, compactTo.Holds.Count);
            Interlocked.Add(ref _snapshotAppendTicks, elapsed);
        }
    }

    /// <summary>Forgets what was counted so far, so that setup writes do not blur the measured ones.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _appends, 0);
        Interlocked.Exchange(ref _events, 0);
        Interlocked.Exchange(ref _snapshots, 0);
        Interlocked.Exchange(ref _snapshotHolds, 0);
        Interlocked.Exchange(ref _appendTicks, 0);
        Interlocked.Exchange(ref _snapshotAppendTicks, 0);
    }

    public JournalActivity Read() => new(
        Interlocked.Read(ref _appends),
        Interlocked.Read(ref _events),
        Interlocked.Read(ref _snapshots),
        Interlocked.Read(ref _snapshotHolds),
        Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _appendTicks)),
        Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _snapshotAppendTicks)));
}

/// <summary>What a lot's journal did over one benchmark case (warm-up and pilot runs included).</summary>
public readonly record struct JournalActivity(
    long Appends,
    long Events,
    long Snapshots,
    long SnapshotHolds,
    TimeSpan AppendTime,
    TimeSpan SnapshotAppendTime)
{
    public double EventsPerAppend => Appends == 0 ? 0 : (double)Events / Appends;

    public double AppendMicrosecondsPerEvent => Events == 0 ? 0 : AppendTime.TotalMicroseconds / Events;

    public double SnapshotMicrosecondsPerEvent => Events == 0 ? 0 : SnapshotAppendTime.TotalMicroseconds / Events;

    public double HoldsPerSnapshot => Snapshots == 0 ? 0 : (double)SnapshotHolds / Snapshots;
}
