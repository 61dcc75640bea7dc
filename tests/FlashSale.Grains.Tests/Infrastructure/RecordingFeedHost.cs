using System.Collections.Concurrent;
using FlashSale.Live;

namespace FlashSale.Tests.Infrastructure;

/// <summary>
/// A stand-in for an API host on the live feed: subscribes to the host list, records every batch
/// a silo's relay hands it, and lets a test wait for what it expects (a phase barrier, not a poll).
/// Like a real host it is a client-side observer, so Orleans hands it one call at a time. A host
/// can be made to hang (its <see cref="ISaleFeedObserver.OnBatch"/> waits until released) or to
/// fail every batch, to show that neither holds up the relay.
/// </summary>
public sealed class RecordingFeedHost : ISaleFeedObserver, IAsyncDisposable
{
    /// <summary>
    /// Hosts that left stay reachable for the rest of the run, as a real API host's reference does
    /// until its process stops: relays may send to one until their next read of the list, and a
    /// call to a collected observer is logged as a warning.
    /// </summary>
    private static readonly ConcurrentBag<RecordingFeedHost> LeftHosts = [];

    private readonly IGrainFactory _grains;
    private readonly Lock _lock = new();
    private readonly List<LiveBatch> _batches = [];
    private readonly List<LiveBatch> _failed = [];
    private readonly List<(Func<RecordingFeedHost, bool> Condition, TaskCompletionSource Reached)> _waiters = [];
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _held;
    private int _calls;
    private volatile bool _left;

    private RecordingFeedHost(IGrainFactory grains)
    {
        _grains = grains;
        Reference = grains.CreateObjectReference<ISaleFeedObserver>(this);
    }

    public ISaleFeedObserver Reference { get; }

    /// <summary>When set, every batch handed to this host fails (after being recorded in <see cref="FailedBatches"/>).</summary>
    public bool Failing { get; set; }

    /// <summary>Every call a relay made that this host started, taken or failed.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Completes once a call has started on this host (a held host is then stuck in it).</summary>
    public Task Entered => _entered.Task;

    public static async Task<RecordingFeedHost> Subscribe(IGrainFactory grains)
    {
        var host = new RecordingFeedHost(grains);
        await grains.GetGrain<ISaleFeedHostsGrain>(0).Subscribe(host.Reference);
        return host;
    }

    /// <summary>From now on, a call to this host waits in <see cref="ISaleFeedObserver.OnBatch"/> until <see cref="Release"/>.</summary>
    public void Hold() => _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _held?.TrySetResult();

    /// <summary>The batches this host took, in the order it took them.</summary>
    public List<LiveBatch> Batches()
    {
        lock (_lock)
        {
            return [.. _batches];
        }
    }

    /// <summary>The batches this host was handed while <see cref="Failing"/>, in order.</summary>
    public List<LiveBatch> FailedBatches()
    {
        lock (_lock)
        {
            return [.. _failed];
        }
    }

    public List<LiveItem> Items() => Batches().SelectMany(b => b.Items).ToList();

    public List<StockUpdate> Stock(string lotId) => Items().OfType<LiveStock>().Select(s => s.Stock).Where(u => u.LotId == lotId).ToList();

    public List<SellThroughUpdate> SellThrough(string lotId) =>
        Items().OfType<LiveStock>().Select(s => s.SellThrough).Where(u => u.LotId == lotId).ToList();

    public List<QueueProgress> Queue(string lotId) => Items().OfType<LiveQueue>().Select(q => q.Progress).Where(p => p.LotId == lotId).ToList();

    /// <summary>Completes once <paramref name="condition"/> holds for what this host took (at once if it already does).</summary>
    public async Task Until(Func<RecordingFeedHost, bool> condition, string because = "the host never got what the test waits for")
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _waiters.Add((condition, reached));
        }

        CheckWaiters();
        try
        {
            // The bound only stops a broken test from hanging; it is never what a test asserts.
            // It is shorter than Orleans' 30 s response timeout, so a relay that waited for a
            // stuck host's answer could not pass a test by outwaiting it.
            await reached.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (TimeoutException)
        {
            Assert.Fail(because);
        }
    }

    public Task OnBatch(LiveBatch batch)
    {
        if (_left)
        {
            return Task.CompletedTask; // as a stopped API host: nobody is connected to it any more
        }

        Interlocked.Increment(ref _calls);
        _entered.TrySetResult();
        return _held is { } held ? TakeWhenReleased(held.Task, batch) : Take(batch);
    }

    /// <summary>Leaves the feed as an API host does when it stops: unsubscribes, then ignores batches.</summary>
    public async ValueTask DisposeAsync()
    {
        _left = true;
        Release();
        LeftHosts.Add(this);
        await _grains.GetGrain<ISaleFeedHostsGrain>(0).Unsubscribe(Reference);
    }

    private async Task TakeWhenReleased(Task released, LiveBatch batch)
    {
        await released;
        await Take(batch);
    }

    private Task Take(LiveBatch batch)
    {
        var failing = Failing;
        lock (_lock)
        {
            (failing ? _failed : _batches).Add(batch);
        }

        CheckWaiters();
        return failing ? throw new InvalidOperationException("This host fails every batch.") : Task.CompletedTask;
    }

    private void CheckWaiters()
    {
        List<(Func<RecordingFeedHost, bool> Condition, TaskCompletionSource Reached)> waiters;
        lock (_lock)
        {
            waiters = [.. _waiters];
        }

        // Evaluated outside the lock: a condition reads the batches, which takes it.
        foreach (var waiter in waiters.Where(w => w.Condition(this)))
        {
            lock (_lock)
            {
                _waiters.Remove(waiter);
            }

            waiter.Reached.TrySetResult();
        }
    }
}
