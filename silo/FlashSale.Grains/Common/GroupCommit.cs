namespace FlashSale.Common;

/// <summary>
/// Group commit for one grain's journal. The grain decides and applies each change in memory at
/// once, then awaits <see cref="Enqueue"/>: while one write is in flight, every change decided
/// meanwhile waits in the next batch, so a surge of N concurrent requests costs a handful of
/// writes instead of N. A caller's task completes only after the write that holds its change.
/// </summary>
/// <remarks>
/// Not thread-safe by design: it lives inside one grain activation, whose scheduler runs one turn
/// at a time. If a write fails, that batch and everything queued behind it fail too, because
/// those changes were decided on state that never became durable; the owner must then reload.
/// </remarks>
internal sealed class GroupCommit<T>
{
    private readonly Func<IReadOnlyList<T>, Task> _write;
    private List<T> _pending = [];
    private TaskCompletionSource _pendingWritten = NewCompletion();
    private Task _inFlightWritten = Task.CompletedTask;
    private bool _writing;

    public GroupCommit(Func<IReadOnlyList<T>, Task> write) => _write = write;

    /// <summary>The failure that stopped this committer, if any.</summary>
    public Exception? Fault { get; private set; }

    /// <summary>How many writes have completed; with <see cref="ItemsWritten"/> it shows the batching.</summary>
    public long WritesCompleted { get; private set; }

    public long ItemsWritten { get; private set; }

    public bool HasPending => _pending.Count > 0 || _writing;

    /// <summary>
    /// Completes once every change enqueued so far is written (at once when none waits), and
    /// fails as they would: a reader that must not see a change before it is durable awaits it.
    /// </summary>
    public Task WhenWritten() =>
        Fault is not null ? Task.FromException(new InvalidOperationException("An earlier write failed; the grain must reload its state.", Fault))
        : _pending.Count > 0 ? _pendingWritten.Task
        : _writing ? _inFlightWritten
        : Task.CompletedTask;

    public Task Enqueue(T item)
    {
        if (Fault is not null)
        {
            return Task.FromException(new InvalidOperationException("An earlier write failed; the grain must reload its state.", Fault));
        }

        _pending.Add(item);
        var written = _pendingWritten.Task;
        if (!_writing)
        {
            _ = DrainAsync();
        }

        return written;
    }

    private async Task DrainAsync()
    {
        _writing = true;
        try
        {
            while (_pending.Count > 0)
            {
                var batch = _pending;
                var written = _pendingWritten;
                _pending = [];
                _pendingWritten = NewCompletion();
                _inFlightWritten = written.Task;
                try
                {
                    await _write(batch);
                }
                catch (Exception ex)
                {
                    Fault = ex;
                    written.TrySetException(ex);
                    _pendingWritten.TrySetException(new InvalidOperationException("An earlier write failed; the grain must reload its state.", ex));
                    _pending.Clear();
                    return;
                }

                WritesCompleted++;
                ItemsWritten += batch.Count;
                written.TrySetResult();
            }
        }
        finally
        {
            _writing = false;
        }
    }

    private static TaskCompletionSource NewCompletion() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
