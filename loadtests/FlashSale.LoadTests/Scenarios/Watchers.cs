using System.Collections.Concurrent;
using System.Diagnostics;
using FlashSale.LoadTests.Harness;
using FlashSale.LoadTests.Sale;
using HdrHistogram;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using static FlashSale.LoadTests.Scenarios.ScenarioKit;

namespace FlashSale.LoadTests.Scenarios;

public sealed record WatchersOptions
{
    public TargetOptions Target { get; init; } = new();

    public int Watchers { get; init; } = 1_000;

    /// <summary>Hold requests per second on the watched lot during the surge (open model).</summary>
    public double Rate { get; init; } = 500;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);

    public int Shoppers { get; init; } = 1_000;

    /// <summary>The server's process id, to report its CPU; the machine's and the harness's CPU are reported anyway.</summary>
    public int? ServerPid { get; init; }

    public int ConnectParallelism { get; init; } = 50;

    /// <summary>After the surge, how long every watcher has to receive the lot's final version.</summary>
    public TimeSpan SettleBound { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// K SignalR watchers on one lot during a surge of holds (the live-stock benchmark). Each
/// <c>stock</c> message's staleness is its receipt time minus its <c>committedAt</c>; the harness
/// runs on the same machine as the server, so both read one clock. The audit adds a check that
/// every watcher ends on the lot's final version, as the contract promises after a burst.
/// </summary>
public static class Watchers
{
    public static async Task<RunReport> RunAsync(WatchersOptions options, IProgressSink progress, CancellationToken cancellation = default)
    {
        var startedAt = DateTimeOffset.UtcNow;
        using var client = options.Target.CreateClient();
        var ledger = new SaleLedger();
        var (_, lot) = await CreateSellerAndLot(client, ledger, "Honey pears (watched)", 1_000_000, 2, cancellation);
        var pool = new ShopperPool(await SignUp(client, ledger, options.Shoppers, options.Target, progress, cancellation));

        var staleness = new LongConcurrentHistogram(1, StepRecorder.HighestMicroseconds, 3);
        var perSecond = new ConcurrentDictionary<long, long>();
        var measuring = 0;
        long measureStart = 0;
        progress.Message(S($"connecting {options.Watchers:N0} watchers"));
        var watchers = new Watcher[options.Watchers];
        try
        {
            await Parallel.ForAsync(0, options.Watchers, new ParallelOptions { MaxDegreeOfParallelism = options.ConnectParallelism, CancellationToken = cancellation }, async (i, ct) =>
            {
                watchers[i] = await Watcher.Connect(options.Target.Nodes[i % options.Target.Nodes.Count], lot.LotId, message =>
                {
                    if (Volatile.Read(ref measuring) == 0)
                    {
                        return;
                    }

                    var micros = (long)(DateTimeOffset.UtcNow - message.CommittedAt).TotalMicroseconds;
                    staleness.RecordValue(Math.Clamp(micros, 1, StepRecorder.HighestMicroseconds));
                    perSecond.AddOrUpdate((long)Stopwatch.GetElapsedTime(Volatile.Read(ref measureStart)).TotalSeconds, 1, (_, n) => n + 1);
                }, ct);
            });

            var scenario = new ScenarioDefinition
            {
                Name = "watchers",
                Simulations = [new LoadSimulation.Inject(options.Rate, options.Duration)],
                DrainTimeout = options.Target.RequestTimeout + TimeSpan.FromSeconds(2),
                Iteration = async ctx =>
                {
                    var shopper = await pool.Take(ctx.Cancellation);
                    try
                    {
                        var held = shopper.Snapshot().Holds.GetValueOrDefault(lot.LotId);
                        var quantity = held == 1 ? 2 : 1;
                        var outcome = await ctx.Step(quantity > held ? HotLot.HoldStep : HotLot.ReleaseStep, ct => client.SetHold(shopper.Identity, lot.LotId, quantity, ct));
                        shopper.HoldAnswered(lot.LotId, quantity, outcome);
                    }
                    finally
                    {
                        pool.Return(shopper);
                    }
                },
            };

            var cpu = new CpuMeter(options.ServerPid);
            Volatile.Write(ref measureStart, Stopwatch.GetTimestamp());
            Volatile.Write(ref measuring, 1);
            var result = await ScenarioRunner.RunAsync(scenario, progress, cancellation);
            var surgeSeconds = Stopwatch.GetElapsedTime(Volatile.Read(ref measureStart)).TotalSeconds;
            var (machineCpu, harnessCpu, serverCpu) = cpu.Read();

            progress.Message("waiting for every watcher to see the final state");
            var final = await client.ReadLot(lot.LotId, cancellation) ?? throw new InvalidOperationException("The watched lot could not be read.");
            var converged = await WaitForVersion(watchers, final.Version, options.SettleBound, cancellation);
            Volatile.Write(ref measuring, 0);

            progress.Message("auditing");
            var audit = await SaleAudit.RunAsync(client, ledger, hasOrders: false, cancellation);
            var lagging = watchers.Where(w => w.LastVersion < final.Version).Take(5).Select(w => S($"a watcher ended at version {w.LastVersion}, the lot is at {final.Version}")).ToList();
            audit = audit with
            {
                Passed = audit.Passed && converged,
                Checks = [.. audit.Checks, new AuditCheck("every watcher received the lot's final state", converged, watchers.Length, lagging)],
            };

            var messages = staleness.TotalCount;
            var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["watchers"] = options.Watchers,
                ["messages"] = messages,
                ["messages_per_s"] = messages / surgeSeconds,
                ["messages_per_watcher_per_s"] = messages / surgeSeconds / options.Watchers,
                ["staleness.p50_ms"] = staleness.GetValueAtPercentile(50) / 1000.0,
                ["staleness.p90_ms"] = staleness.GetValueAtPercentile(90) / 1000.0,
                ["staleness.p99_ms"] = staleness.GetValueAtPercentile(99) / 1000.0,
                ["staleness.max_ms"] = messages == 0 ? 0 : staleness.GetMaxValue() / 1000.0,
                ["cpu.machine_percent_of_all_cores"] = machineCpu,
                ["cpu.harness_percent_of_one_core"] = harnessCpu,
                ["lot.final_version"] = final.Version,
            };
            if (serverCpu is { } server)
            {
                metrics["cpu.server_percent_of_one_core"] = server;
            }

            var report = Report("watchers", options.Target, startedAt, result, audit,
                new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["watchers"] = S($"{options.Watchers}"),
                    ["rate"] = S($"{options.Rate}/s"),
                    ["duration"] = S($"{options.Duration.TotalSeconds}s"),
                    ["server-pid"] = options.ServerPid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
                },
                metrics,
                [
                    "Staleness = receipt time − the stock message's committedAt, on one machine's clock. The lot stamps committedAt when it publishes: for a change folded into a paced trailing publication (at most 10 a second per lot, by contract), the time it waited for that publication is not in the figure.",
                    "CPU: the harness (1,000+ SignalR clients) shares the machine with the server, so the machine figure is both.",
                ]);
            return report with
            {
                Series = [.. report.Series, .. perSecond.OrderBy(p => p.Key).Select(p => new SeriesPoint("stock messages", p.Key, 1, 0, p.Value, p.Value, 0, 0, 0, 0, 0))],
            };
        }
        finally
        {
            await Task.WhenAll(watchers.Where(w => w is not null).Select(w => w.DisposeAsync().AsTask()));
        }
    }

    private static async Task<bool> WaitForVersion(Watcher[] watchers, long version, TimeSpan bound, CancellationToken cancellation)
    {
        var started = Stopwatch.GetTimestamp();
        while (watchers.Any(w => w.LastVersion < version))
        {
            if (Stopwatch.GetElapsedTime(started) > bound)
            {
                return false;
            }

            await Task.Delay(50, cancellation);
        }

        return true;
    }

    private sealed class Watcher : IAsyncDisposable
    {
        private readonly HubConnection _hub;
        private long _lastVersion = -1;

        private Watcher(HubConnection hub) => _hub = hub;

        public long LastVersion => Interlocked.Read(ref _lastVersion);

        public static async Task<Watcher> Connect(Uri baseAddress, string lotId, Action<StockMessage> received, CancellationToken cancellation)
        {
            var hub = new HubConnectionBuilder()
                .WithUrl(new Uri(baseAddress, "/hubs/sale"), o =>
                {
                    o.Transports = HttpTransportType.WebSockets;
                    o.SkipNegotiation = true;
                })
                .Build();
            var watcher = new Watcher(hub);
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
            await hub.StartAsync(cancellation);
            await hub.InvokeAsync("WatchLot", lotId, cancellation);
            return watcher;
        }

        public ValueTask DisposeAsync() => _hub.DisposeAsync();
    }
}
