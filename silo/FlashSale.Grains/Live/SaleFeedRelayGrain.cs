using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace FlashSale.Live;

/// <summary>
/// A silo's push notifier (GPSTracker's pattern): every lot, order and waiting room on this silo
/// publishes here, locally, and this relay hands the updates to every API host in batches, so no
/// single grain carries the whole sale's live traffic.
/// <list type="bullet">
/// <item>One activation per silo: one lot's updates come from one activation on one silo, so they
/// arrive here in order, and leave in that order: batches are handed over one after another.</item>
/// <item>A batch is sent <see cref="LiveStockOptions.BatchInterval"/> after its first update, or at
/// once when it reaches <see cref="LiveStockOptions.MaxBatchSize"/>.</item>
/// <item>Each batch goes to every host, one-way (<see cref="ISaleFeedObserver.OnBatch"/>): each
/// host sends it to its own connections, so a host that is slow, stuck or dead costs only its own
/// watchers, and the relay never waits on any host. The first relay waited for each host's
/// answer before the next batch, and one unanswered call held all its updates for the 30 s
/// response timeout (docs/benchmarks.md).</item>
/// <item>The host list is read from <see cref="ISaleFeedHostsGrain"/> every
/// <see cref="LiveStockOptions.HostListRefresh"/> in the background, never per update; a batch
/// waits for a read only while the relay knows no host at all (<see cref="RelayHostList"/> says
/// which hosts it keeps).</item>
/// </list>
/// Orleans does not keep one-way messages in order: a client dispatches the messages of one
/// socket read as separate thread-pool work items (a burst of batches was seen to reach a host
/// reversed), and one connected to several gateways is reached through any of them. Messages
/// that reach a worker while it is still activating were seen out of order too. So the relay
/// activates once per silo and stays (no idle removal, no collection), and a message's version
/// (or its whole state) lets watchers keep the newest.
/// </summary>
[StatelessWorker(1, removeIdleWorkers: false)]
internal sealed partial class SaleFeedRelayGrain : Grain, ISaleFeedRelayGrain
{
    private readonly LiveStockOptions _options;
    private readonly TimeProvider _wallClock;
    private readonly ILogger<SaleFeedRelayGrain> _logger;
    private readonly List<LiveItem> _pending = [];
    private readonly RelayHostList _hosts;
    private Task _reading = Task.CompletedTask;
    private IGrainTimer? _flushTimer;
    private bool _flushScheduled;
    private bool _flushing;

    /// <param name="wallClock">
    /// Real time, like the lots' publication pacing: the host list's age is not engine time, which
    /// tests move by minutes.
    /// </param>
    public SaleFeedRelayGrain(IOptions<LiveStockOptions> options, TimeProvider wallClock, ILogger<SaleFeedRelayGrain> logger)
    {
        _options = options.Value;
        _wallClock = wallClock;
        _logger = logger;
        _hosts = new RelayHostList(_options.HostSubscriptionLifetime);
    }

    public Task PublishStock(StockUpdate update, SellThroughUpdate sellThrough) => Enqueue(new LiveStock(update, sellThrough));

    public Task PublishOrder(OrderUpdate update) => Enqueue(new LiveOrder(update));

    public Task PublishQueue(QueueProgress progress) => Enqueue(new LiveQueue(progress));

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        DelayDeactivation(TimeSpan.FromDays(365));
        // On a timer rather than when a batch finds the list old: a relay that was idle for a
        // while must not send its next batch with a list from before a host joined, and reading
        // in the background keeps the registry out of every batch's path.
        this.RegisterGrainTimer(static (relay, _) => relay.ReadHosts(), this,
            new GrainTimerCreationOptions(_options.HostListRefresh, _options.HostListRefresh) { Interleave = true });
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Updates gathered for a batch still go out; the timer that would have sent them does not outlive the activation.
        if (!_flushing && _pending.Count > 0)
        {
            await Flush();
        }
    }

    private Task Enqueue(LiveItem item)
    {
        _pending.Add(item);
        if (_flushing)
        {
            return Task.CompletedTask; // the flush in progress sends it after the batches before it
        }

        if (_pending.Count >= _options.MaxBatchSize)
        {
            ScheduleFlush(TimeSpan.Zero);
        }
        else if (!_flushScheduled)
        {
            ScheduleFlush(_options.BatchInterval);
        }

        return Task.CompletedTask;
    }

    private void ScheduleFlush(TimeSpan due)
    {
        // Interleaved, so updates keep arriving while a flush waits for a first host list.
        _flushTimer ??= this.RegisterGrainTimer(static (relay, _) => relay.Flush(), this,
            new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan) { Interleave = true });
        _flushTimer.Change(due, Timeout.InfiniteTimeSpan);
        _flushScheduled = true;
    }

    private async Task Flush()
    {
        _flushScheduled = false;
        _flushing = true;
        try
        {
            while (_pending.Count > 0)
            {
                if (_hosts.Current.Count == 0)
                {
                    // The only wait in a batch's path, and on the registry, never on a host: with
                    // no host known there is nowhere to send it yet (a new relay, or no API host).
                    await ReadHosts();
                }

                var count = Math.Min(_pending.Count, _options.MaxBatchSize);
                var batch = new LiveBatch(_pending.GetRange(0, count));
                _pending.RemoveRange(0, count);
                Send(batch);
            }
        }
        finally
        {
            _flushing = false;
        }
    }

    /// <summary>
    /// Hands <paramref name="batch"/> to every host. One-way: each call returns once Orleans has
    /// taken the message, whatever the host does with it, so a slow or dead host holds up neither
    /// the other hosts nor the next batch.
    /// </summary>
    private void Send(LiveBatch batch)
    {
        var hosts = _hosts.Current;
        if (hosts.Count == 0)
        {
            LogNoHost(batch.Items.Count);
            return;
        }

        foreach (var host in hosts)
        {
            try
            {
                var sent = host.OnBatch(batch);
                if (!sent.IsCompletedSuccessfully)
                {
                    _ = Observed(sent, batch.Items.Count);
                }
            }
            catch (Exception ex)
            {
                LogHostFailed(ex, batch.Items.Count); // the other hosts still get it
            }
        }
    }

    private async Task Observed(Task sent, int count)
    {
        try
        {
            await sent;
        }
        catch (Exception ex)
        {
            LogHostFailed(ex, count);
        }
    }

    /// <summary>The read in flight, or a new one: at most one at a time, shared by the timer and a flush.</summary>
    private Task ReadHosts() => _reading.IsCompleted ? _reading = ReadHostsOnce() : _reading;

    private async Task ReadHostsOnce()
    {
        var startedAt = _wallClock.GetUtcNow();
        try
        {
            var read = await GrainFactory.GetGrain<ISaleFeedHostsGrain>(0).GetHosts();
            _hosts.Apply(read, startedAt);
        }
        catch (Exception ex)
        {
            LogHostListUnreadable(ex); // keep the hosts this relay has, until the next read
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A live batch of {Count} updates could not be handed to an API host")]
    private partial void LogHostFailed(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the live feed's host list")]
    private partial void LogHostListUnreadable(Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "No API host takes live updates; {Count} were not sent")]
    private partial void LogNoHost(int count);
}
