using System.Collections.Concurrent;
using Orleans.Serialization;

namespace FlashSale.Lots.Storage;

/// <summary>
/// The embedded mode's journal: process memory, lost when the process stops. Events are kept as
/// serialized bytes, as a durable store would keep them, so that the embedded figures include
/// the cost of serialization and a type that cannot round-trip fails here first.
/// </summary>
public sealed class InMemoryLotJournal(Serializer serializer) : ILotJournal
{
    private readonly ConcurrentDictionary<string, Journal> _journals = new(StringComparer.Ordinal);

    public Task<LotJournalContents> ReadAsync(string lotId, CancellationToken cancellationToken = default)
    {
        if (!_journals.TryGetValue(lotId, out var journal))
        {
            return Task.FromResult(new LotJournalContents(null, [], 0));
        }

        lock (journal)
        {
            var snapshot = journal.Snapshot is null ? null : serializer.Deserialize<LotSnapshot>(journal.Snapshot);
            var events = journal.Events.Select(bytes => serializer.Deserialize<LotEvent>(bytes)!).ToList();
            return Task.FromResult(new LotJournalContents(snapshot, events, journal.Sequence));
        }
    }

    public Task AppendAsync(string lotId, long expectedSequence, IReadOnlyList<LotEvent> events, LotSnapshot? compactTo, CancellationToken cancellationToken = default)
    {
        var journal = _journals.GetOrAdd(lotId, static _ => new Journal());
        var encoded = events.Select(e => serializer.SerializeToArray(e)).ToList();
        var snapshot = compactTo is null ? null : serializer.SerializeToArray(compactTo);
        lock (journal)
        {
            if (journal.Sequence != expectedSequence)
            {
                throw new LotJournalConflictException($"Journal of {lotId} is at {journal.Sequence}, not {expectedSequence}.");
            }

            journal.Events.AddRange(encoded);
            journal.Sequence += encoded.Count;
            if (snapshot is not null)
            {
                journal.Snapshot = snapshot;
                journal.Events.Clear();
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>How many events are stored after the snapshot; tests use it to see compaction.</summary>
    public int TailLength(string lotId) =>
        _journals.TryGetValue(lotId, out var journal) ? journal.Events.Count : 0;

    private sealed class Journal
    {
        public byte[]? Snapshot { get; set; }

        public List<byte[]> Events { get; } = [];

        public long Sequence { get; set; }
    }
}
