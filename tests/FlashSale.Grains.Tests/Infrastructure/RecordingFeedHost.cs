using System.Collections.Concurrent;
using FlashSale.Live;

namespace FlashSale.Tests.Infrastructure;

/// <summary>
/// A stand-in for an API host on the live feed: subscribes to the host list, records every batch
/// a silo's relay hands it, and lets a test wait for what it expects (a phase barrier, not a poll).
/// A host can be made to fail every batch, to exercise the relay's failover.
/// </summary>
public sealed class RecordingFeedHost : ISaleFeedObserver, IAsyncDisposable
{
    /// <summary>
    /// Hosts that left stay reachable for the rest of the run, as a real API host's reference does
    /// until its process stops: a relay may list one for a few seconds more, and a call to a
    /// deleted (or garbage-collected) observer is never answered, so the relay would wait for the
    /// response timeout instead of moving on.
    /// </summary>
    private static readonly ConcurrentBag<RecordingFeedHost> LeftHosts = [];

    private readonly IGrainFactory _grains;
    private readonly Lock _lock = new();
    private readonly List<LiveBatch> _batches = [];
    private readonly List<(Func<RecordingFeedHost, bool> Condition, TaskCompletionSource Reached)> _waiters = [];
    private int _calls;
    private volatile bool _left;

    private RecordingFeedHost(IGrainFactory grains)
    {
        _grains = grains;
        Reference = grains.CreateObjectReference<ISaleFeedObserver>(this);
    }

    public ISaleFeedObserver Reference { get; }

    /// <summary>When set, every batch handed to this host fails (after being counted in <see cref="Calls"/>).</summary>
    public bool Failing { get; set; }

    /// <summary>Every call a relay made, taken or failed.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public static async Task<RecordingFeedHost> Subscribe(IGrainFactory grains)
    {
        var host = new RecordingFeedHost(grains);
        await grains.GetGrain<ISaleFeedHostsGrain>(0).Subscribe(host.Reference);
        return host;
    }

    /// <summary>The batches this host took, in the order it took them.</summary>
    public List<LiveBatch> Batches()
    {
        lock (_lock)
        {
            return [.. _batches];
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
            throw new InvalidOperationException("This host has left the feed.");
        }

        Interlocked.Increment(ref _calls);
        if (Failing)
        {
            throw new InvalidOperationException("This host fails every batch.");
        }

        lock (_lock)
        {
            _batches.Add(batch);
        }

        CheckWaiters();
        return Task.CompletedTask;
    }

    /// <summary>Leaves the feed as an API host does when it stops: unsubscribes, then refuses batches.</summary>
    public async ValueTask DisposeAsync()
    {
        _left = true;
        LeftHosts.Add(this);
        await _grains.GetGrain<ISaleFeedHostsGrain>(0).Unsubscribe(Reference);
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
