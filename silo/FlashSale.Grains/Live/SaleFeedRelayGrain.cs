using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace FlashSale.Live;

/// <summary>
/// A silo's push notifier (GPSTracker's pattern): every lot, order and waiting room on this silo
/// publishes here, locally, and this relay sends the updates to one API host in batches, so no
/// single grain carries the whole sale's live traffic.
/// <list type="bullet">
/// <item>One activation per silo: one lot's updates come from one activation on one silo, so they
/// arrive here in order, and batches leave one at a time (the next only once a host has taken the
/// last), so they reach the hosts in that order too.</item>
/// <item>A batch is sent <see cref="LiveStockOptions.BatchInterval"/> after its first update, or at
/// once when it reaches <see cref="LiveStockOptions.MaxBatchSize"/>; whatever arrives while one is
/// in flight goes in the next, right after it.</item>
/// <item>Each batch goes to one host: the first in this silo's order of preference, a stable hash
/// of the silo and the host (rendezvous hashing), so different silos prefer different hosts and a
/// host joining or leaving moves only its own share. A host that fails the batch is dropped from
/// this relay's list (and from the registry, until it renews) and the next host gets the batch.</item>
/// <item>The host list is read from <see cref="ISaleFeedHostsGrain"/> when it is older than
/// <see cref="LiveStockOptions.HostListRefresh"/> or empty, never per update.</item>
/// </list>
/// Orleans does not promise message order, and messages that reach a worker while it is still
/// activating were seen to be handled out of order; so the relay activates once per silo and stays
/// (no idle removal, no collection), and a message's version (or its whole state) lets watchers
/// drop anything older, as before.
/// </summary>
[StatelessWorker(1, removeIdleWorkers: false)]
internal sealed partial class SaleFeedRelayGrain : Grain, ISaleFeedRelayGrain
{
    private readonly LiveStockOptions _options;
    private readonly TimeProvider _wallClock;
    private readonly string _silo;
    private readonly ILogger<SaleFeedRelayGrain> _logger;
    private readonly List<LiveItem> _pending = [];
    private List<ISaleFeedObserver> _hosts = [];
    private DateTimeOffset _hostsReadAt = DateTimeOffset.MinValue;
    private IGrainTimer? _flushTimer;
    private bool _flushScheduled;
    private bool _flushing;

    /// <param name="wallClock">
    /// Real time, like the lots' publication pacing: the host list's age is not engine time, which
    /// tests move by minutes.
    /// </param>
    public SaleFeedRelayGrain(
        IOptions<LiveStockOptions> options,
        TimeProvider wallClock,
        ILocalSiloDetails silo,
        ILogger<SaleFeedRelayGrain> logger)
    {
        _options = options.Value;
        _wallClock = wallClock;
        _silo = silo.SiloAddress.ToString();
        _logger = logger;
    }

    public Task PublishStock(StockUpdate update, SellThroughUpdate sellThrough) => Enqueue(new LiveStock(update, sellThrough));

    public Task PublishOrder(OrderUpdate update) => Enqueue(new LiveOrder(update));

    public Task PublishQueue(QueueProgress progress) => Enqueue(new LiveQueue(progress));

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        DelayDeactivation(TimeSpan.FromDays(365));
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

    /// <summary>
    /// This silo's order of preference over <paramref name="hosts"/>: highest stable hash of
    /// (silo, host) first, so the order is the same on every read and differs from silo to silo.
    /// </summary>
    internal static List<ISaleFeedObserver> PreferenceOrder(string silo, IEnumerable<ISaleFeedObserver> hosts) =>
        hosts
            .Select(host => (Host: host, Id: host.GetGrainId().ToString()))
            .OrderByDescending(h => StableHash(silo, h.Id))
            .ThenBy(h => h.Id, StringComparer.Ordinal)
            .Select(h => h.Host)
            .ToList();

    /// <summary>FNV-1a: the same on every process and run, unlike <see cref="string.GetHashCode()"/>.</summary>
    private static ulong StableHash(string silo, string host)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in silo + "|" + host)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    private Task Enqueue(LiveItem item)
    {
        _pending.Add(item);
        if (_flushing)
        {
            return Task.CompletedTask; // the flush in progress sends it right after the batch in flight
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
        // Interleaved, so updates keep arriving while a batch is with a host.
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
                var count = Math.Min(_pending.Count, _options.MaxBatchSize);
                var batch = new LiveBatch(_pending.GetRange(0, count));
                _pending.RemoveRange(0, count);
                await Send(batch);
            }
        }
        finally
        {
            _flushing = false;
        }
    }

    /// <summary>
    /// Hands <paramref name="batch"/> to the first host that takes it. Each host is tried at most
    /// once per batch, so a host the registry still lists after failing is not retried in a loop.
    /// </summary>
    private async Task Send(LiveBatch batch)
    {
        List<ISaleFeedObserver> failed = [];
        while (true)
        {
            if (_hosts.Count == 0 || _wallClock.GetUtcNow() - _hostsReadAt >= _options.HostListRefresh)
            {
                await ReadHosts(failed);
            }

            if (_hosts.Count == 0)
            {
                LogNoHost(batch.Items.Count);
                return;
            }

            var host = _hosts[0];
            try
            {
                await host.OnBatch(batch);
                return;
            }
            catch (Exception ex)
            {
                LogHostFailed(ex, batch.Items.Count);
                _hosts.Remove(host);
                failed.Add(host);
                // Other silos' relays stop choosing it at their next read; a host that is alive
                // subscribes again at its next renewal.
                GrainFactory.GetGrain<ISaleFeedHostsGrain>(0).Unsubscribe(host).Ignore();
            }
        }
    }

    private async Task ReadHosts(List<ISaleFeedObserver> failed)
    {
        try
        {
            var read = await GrainFactory.GetGrain<ISaleFeedHostsGrain>(0).GetHosts();
            _hosts = PreferenceOrder(_silo, read.Hosts.Where(host => !failed.Contains(host)));
        }
        catch (Exception ex)
        {
            LogHostListUnreadable(ex); // keep the list this relay has, until the next refresh
        }

        _hostsReadAt = _wallClock.GetUtcNow();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An API host did not take a live batch of {Count} updates; trying the next")]
    private partial void LogHostFailed(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the live feed's host list")]
    private partial void LogHostListUnreadable(Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "No API host takes live updates; {Count} were not sent")]
    private partial void LogNoHost(int count);
}
