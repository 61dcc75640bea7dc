using System.Collections.Concurrent;
using System.Diagnostics;
using FlashSale.LoadTests.Harness;
using FlashSale.LoadTests.Sale;
using FlashSale.LoadTests.Workload;
using HdrHistogram;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using static FlashSale.LoadTests.Scenarios.ScenarioKit;

namespace FlashSale.LoadTests.Scenarios;

/// <summary>One watcher to connect: the API node it connects to and the lot it watches.</summary>
public sealed record WatcherPlacement(Uri Node, string LotId);

/// <summary>
/// A SignalR client on <c>/hubs/sale</c> that watches one lot and keeps the highest
/// <c>stock</c> version it has received. Shared by the scenarios that measure live stock.
/// </summary>
public sealed class Watcher : IAsyncDisposable
{
    private readonly HubConnection _hub;
    private long _lastVersion = -1;

    private Watcher(HubConnection hub, string lotId)
    {
        _hub = hub;
        LotId = lotId;
    }

    public string LotId { get; }

    /// <summary>The highest version received; the hub sends the lot's current state on <c>WatchLot</c>, so a connected watcher has one.</summary>
    public long LastVersion => Interlocked.Read(ref _lastVersion);

    public bool IsConnected => _hub.State == HubConnectionState.Connected;

    public static async Task<Watcher> Connect(Uri baseAddress, string lotId, Action<StockMessage> received, CancellationToken cancellation)
    {
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, "/hubs/sale"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
            })
            .Build();
        var watcher = new Watcher(hub, lotId);
        hub.On<StockMessage>("stock", message =>
        {
            if (message.LotId != lotId)
            {
                return;
            }

            // Keep the highest version seen: an older message can still arrive after a newer one.
            long seen;
            do
            {
                seen = Interlocked.Read(ref watcher._lastVersion);
            }
            while (message.Version > seen && Interlocked.CompareExchange(ref watcher._lastVersion, message.Version, seen) != seen);
            received(message);
        });
        try
        {
            await hub.StartAsync(cancellation);
            await hub.InvokeAsync("WatchLot", lotId, cancellation);
        }
        catch
        {
            await hub.DisposeAsync();
            throw;
        }

        return watcher;
    }

    public ValueTask DisposeAsync() => _hub.DisposeAsync();
}

/// <summary>A scenario's connected watchers: connected together, checked together, closed together.</summary>
public sealed class WatcherGroup : IAsyncDisposable
{
    private readonly Watcher[] _watchers;

    private WatcherGroup(Watcher[] watchers) => _watchers = watchers;

    public IReadOnlyList<Watcher> All => _watchers;

    public int Count => _watchers.Length;

    /// <summary>
    /// Connects one watcher per placement, <paramref name="parallelism"/> at a time, telling
    /// <paramref name="progress"/> how far it got (thousands of connections take a while). If
    /// one fails, those already connected are closed and the failure is thrown.
    /// </summary>
    public static async Task<WatcherGroup> Connect(IReadOnlyList<WatcherPlacement> placements, Action<StockMessage> received, int parallelism, IProgressSink progress, CancellationToken cancellation)
    {
        var watchers = new Watcher[placements.Count];
        if (placements.Count == 0)
        {
            return new WatcherGroup(watchers);
        }

        var connected = 0;
        var reportEvery = Math.Max(1, placements.Count / 10);
        progress.Message(S($"connecting {placements.Count:N0} watchers"));
        try
        {
            await Parallel.ForAsync(0, placements.Count, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellation }, async (i, ct) =>
            {
                watchers[i] = await Watcher.Connect(placements[i].Node, placements[i].LotId, received, ct);
                var done = Interlocked.Increment(ref connected);
                if (done % reportEvery == 0 && done < placements.Count)
                {
                    progress.Message(S($"connecting watchers: {done:N0} of {placements.Count:N0}"));
                }
            });
        }
        catch
        {
            await DisposeAll(watchers);
            throw;
        }

        return new WatcherGroup(watchers);
    }

    /// <summary>Waits until every watcher has received at least its lot's version in <paramref name="finalVersions"/>; false if <paramref name="bound"/> passed first.</summary>
    public async Task<bool> WaitForVersions(IReadOnlyDictionary<string, long> finalVersions, TimeSpan bound, CancellationToken cancellation)
    {
        var started = Stopwatch.GetTimestamp();
        while (_watchers.Any(w => w.LastVersion < finalVersions[w.LotId]))
        {
            if (Stopwatch.GetElapsedTime(started) > bound)
            {
                return false;
            }

            await Task.Delay(50, cancellation);
        }

        return true;
    }

    /// <summary>
    /// The audit check that every watcher ended on (or past) its lot's version as read after the
    /// run. A watcher of a lot that never changed passes: the hub sent it the current state when
    /// it started watching.
    /// </summary>
    public AuditCheck FinalVersionCheck(IReadOnlyDictionary<string, long> finalVersions, string name)
    {
        var lagging = _watchers.Where(w => w.LastVersion < finalVersions[w.LotId]).ToList();
        return new AuditCheck(name, lagging.Count == 0, _watchers.Length,
            lagging.Take(5).Select(w => S($"a watcher of {w.LotId} ended at version {w.LastVersion}, the lot is at {finalVersions[w.LotId]}")).ToList());
    }

    public ValueTask DisposeAsync() => new(DisposeAll(_watchers));

    private static Task DisposeAll(IEnumerable<Watcher?> watchers) =>
        Task.WhenAll(watchers.OfType<Watcher>().Select(w => w.DisposeAsync().AsTask()));
}

/// <summary>Where a scenario's watchers go: which lot each watches and which API node it connects to.</summary>
public static class WatcherPlan
{
    /// <summary>
    /// <paramref name="count"/> watchers, each on a lot drawn from <paramref name="popularity"/>
    /// (the distribution the shoppers pick lots by, so a popular lot has more watchers), and
    /// watcher i on node i mod the node count, so the nodes share the connections evenly.
    /// </summary>
    public static IReadOnlyList<WatcherPlacement> Spread(int count, IReadOnlyList<string> lots, ZipfDistribution popularity, IReadOnlyList<Uri> nodes, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNotEqual(popularity.Count, lots.Count);
        ArgumentOutOfRangeException.ThrowIfZero(nodes.Count);
        return Enumerable.Range(0, count).Select(i => new WatcherPlacement(nodes[i % nodes.Count], lots[popularity.Sample(random)])).ToList();
    }
}

/// <summary>
/// The staleness of <c>stock</c> messages while a measurement runs: receipt time minus the
/// message's <c>committedAt</c> (the harness and the server read one machine's clock), in an
/// HdrHistogram safe for many writers, and the messages received in each second.
/// </summary>
public sealed class StockStaleness
{
    private readonly LongConcurrentHistogram _staleness = new(1, StepRecorder.HighestMicroseconds, 3);
    private readonly ConcurrentDictionary<long, long> _perSecond = new();
    private int _measuring;
    private long _start;

    /// <summary>Messages before this (the state each watcher is sent when it starts watching, warm-up traffic) are not counted.</summary>
    public void Start()
    {
        Volatile.Write(ref _start, Stopwatch.GetTimestamp());
        Volatile.Write(ref _measuring, 1);
    }

    public void Stop() => Volatile.Write(ref _measuring, 0);

    /// <summary>Seconds since <see cref="Start"/>.</summary>
    public double Elapsed => Stopwatch.GetElapsedTime(Volatile.Read(ref _start)).TotalSeconds;

    public long Messages => _staleness.TotalCount;

    /// <summary>Called by every watcher for every message it receives.</summary>
    public void Record(StockMessage message)
    {
        if (Volatile.Read(ref _measuring) == 0)
        {
            return;
        }

        var micros = (long)(DateTimeOffset.UtcNow - message.CommittedAt).TotalMicroseconds;
        _staleness.RecordValue(Math.Clamp(micros, 1, StepRecorder.HighestMicroseconds));
        _perSecond.AddOrUpdate((long)Elapsed, 1, (_, n) => n + 1);
    }

    /// <summary>
    /// The report's figures: messages, their rate over <paramref name="seconds"/> (overall and per
    /// watcher) and staleness p50/p90/p99/max. With no message in the measurement there is no
    /// staleness to report: those figures are left out (a zero would read as perfectly fresh), so a
    /// staleness threshold fails as missing and the final-version check says what went wrong.
    /// </summary>
    public Dictionary<string, double> Figures(int watchers, double seconds)
    {
        var messages = Messages;
        var figures = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["messages"] = messages,
            ["messages_per_s"] = messages / seconds,
            ["messages_per_watcher_per_s"] = watchers == 0 ? 0 : messages / seconds / watchers,
        };
        if (messages > 0)
        {
            figures["staleness.p50_ms"] = _staleness.GetValueAtPercentile(50) / 1000.0;
            figures["staleness.p90_ms"] = _staleness.GetValueAtPercentile(90) / 1000.0;
            figures["staleness.p99_ms"] = _staleness.GetValueAtPercentile(99) / 1000.0;
            figures["staleness.max_ms"] = _staleness.GetMaxValue() / 1000.0;
        }

        return figures;
    }

    /// <summary>Messages received in each second of the measurement, as a report series named "stock messages".</summary>
    public IEnumerable<SeriesPoint> Series() =>
        _perSecond.OrderBy(p => p.Key).Select(p => new SeriesPoint("stock messages", p.Key, 1, 0, p.Value, p.Value, 0, 0, 0, 0, 0));
}
