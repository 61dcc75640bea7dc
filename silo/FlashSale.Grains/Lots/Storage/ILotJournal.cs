namespace FlashSale.Lots.Storage;

/// <summary>What a lot's journal holds: the newest snapshot, if any, and the events after it.</summary>
public sealed record LotJournalContents(LotSnapshot? Snapshot, IReadOnlyList<LotEvent> Events, long Sequence);

/// <summary>
/// The storage seam for lot inventories: an append-only journal with occasional compaction.
/// An append writes only the new events (cost grows with the change, not with the lot), and
/// is conditional on the sequence number so that two activations of one lot can never both
/// write. The embedded mode keeps journals in memory; the durable cluster puts Redis behind
/// the same seam.
/// </summary>
public interface ILotJournal
{
    Task<LotJournalContents> ReadAsync(string lotId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends <paramref name="events"/> after <paramref name="expectedSequence"/>, atomically:
    /// all or none. With <paramref name="compactTo"/>, the snapshot (taken at the sequence after
    /// the append) replaces everything before it in the same atomic step.
    /// </summary>
    /// <exception cref="LotJournalConflictException">The journal is not at <paramref name="expectedSequence"/>.</exception>
    Task AppendAsync(string lotId, long expectedSequence, IReadOnlyList<LotEvent> events, LotSnapshot? compactTo, CancellationToken cancellationToken = default);
}

/// <summary>
/// Another writer appended to this journal: this activation's view is stale. The lot drops the
/// activation, and a retry reads the journal afresh. Serializable, as everything that may cross a
/// grain boundary must be.
/// </summary>
[GenerateSerializer]
public sealed class LotJournalConflictException : Exception
{
    public LotJournalConflictException()
    {
    }

    public LotJournalConflictException(string message)
        : base(message)
    {
    }

    public LotJournalConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
