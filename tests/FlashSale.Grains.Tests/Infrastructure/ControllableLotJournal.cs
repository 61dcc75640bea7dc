using FlashSale.Lots;
using FlashSale.Lots.Storage;

namespace FlashSale.Tests.Infrastructure;

/// <summary>
/// The in-memory journal with hooks: it counts reads and appends per lot, can hold appends at a
/// gate (to pile up a group commit deterministically, without timing), and can fail them.
/// </summary>
public sealed class ControllableLotJournal(InMemoryLotJournal inner) : ILotJournal
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<int>> _appends = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _reads = new(StringComparer.Ordinal);
    private TaskCompletionSource? _gate;
    private readonly Dictionary<string, TaskCompletionSource> _arrivals = new(StringComparer.Ordinal);
    private Exception? _failure;

    public InMemoryLotJournal Inner => inner;

    public async Task<LotJournalContents> ReadAsync(string lotId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _reads[lotId] = _reads.GetValueOrDefault(lotId) + 1;
        }

        return await inner.ReadAsync(lotId, cancellationToken);
    }

    public async Task AppendAsync(string lotId, long expectedSequence, IReadOnlyList<LotEvent> events, LotSnapshot? compactTo, CancellationToken cancellationToken = default)
    {
        Task? gate;
        Exception? failure;
        lock (_lock)
        {
            gate = _gate?.Task;
            failure = _failure;
            if (gate is not null)
            {
                ArrivalAt(lotId).TrySetResult();
            }
        }

        if (gate is not null)
        {
            await gate;
        }

        if (failure is not null)
        {
            throw failure;
        }

        await inner.AppendAsync(lotId, expectedSequence, events, compactTo, cancellationToken);
        lock (_lock)
        {
            if (!_appends.TryGetValue(lotId, out var sizes))
            {
                _appends[lotId] = sizes = [];
            }

            sizes.Add(events.Count);
        }
    }

    /// <summary>The number of events in each completed append to this lot, in order.</summary>
    public IReadOnlyList<int> AppendsTo(string lotId)
    {
        lock (_lock)
        {
            return _appends.TryGetValue(lotId, out var sizes) ? sizes.ToList() : [];
        }
    }

    public int ReadsOf(string lotId)
    {
        lock (_lock)
        {
            return _reads.GetValueOrDefault(lotId);
        }
    }

    /// <summary>Appends wait until the returned gate is opened.</summary>
    public TaskCompletionSource CloseGate()
    {
        lock (_lock)
        {
            _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _gate;
        }
    }

    /// <summary>Completes once an append to <paramref name="lotId"/> waits at the closed gate: a phase barrier.</summary>
    public Task AnAppendWaitsAtTheGate(string lotId)
    {
        lock (_lock)
        {
            return ArrivalAt(lotId).Task;
        }
    }

    private TaskCompletionSource ArrivalAt(string lotId)
    {
        if (!_arrivals.TryGetValue(lotId, out var arrival))
        {
            _arrivals[lotId] = arrival = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        return arrival;
    }

    public void OpenGate()
    {
        TaskCompletionSource? gate;
        lock (_lock)
        {
            gate = _gate;
            _gate = null;
        }

        gate?.TrySetResult();
    }

    public void FailAppends(Exception? failure)
    {
        lock (_lock)
        {
            _failure = failure;
        }
    }
}
