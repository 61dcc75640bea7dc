using FlashSale.LoadTests.Harness;
using static FlashSale.LoadTests.Scenarios.ScenarioKit;

namespace FlashSale.LoadTests.Scenarios;

/// <summary>A server to measure: FlashSale (whose trivial endpoint is measured too) or the Redis-Lua baseline.</summary>
public sealed record BaselineTarget(string Name, Uri Url, bool IsFlashSale)
{
    /// <summary>Every API node of the target, <see cref="Url"/> first (a cluster loaded through all its API nodes).</summary>
    public IReadOnlyList<Uri> Nodes { get; init; } = [Url];
}

public sealed record BaselinesOptions
{
    public IReadOnlyList<BaselineTarget> Targets { get; init; } = [new("flashsale", new Uri(TargetOptions.DefaultUrl), true)];

    public int Concurrency { get; init; } = 64;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Shoppers on the hot lot; the live holds are these (each keeps 1 or 2 units).</summary>
    public int Shoppers { get; init; } = 200;

    public int Connections { get; init; } = 512;
}

/// <summary>
/// The side-by-side baselines, measured by the same harness in the same run, one target after
/// another at the same closed concurrency: each FlashSale server's trivial endpoint
/// (<c>GET /ping</c>: the HTTP ceiling of this machine through the same pipeline), the same hot-lot
/// hold loop on FlashSale, and the same loop on the Redis-Lua baseline. The ratios are computed
/// from figures of this one run.
/// </summary>
public static class Baselines
{
    public static async Task<RunReport> RunAsync(BaselinesOptions options, IProgressSink progress, CancellationToken cancellation = default)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var steps = new List<StepReport>();
        var series = new List<SeriesPoint>();
        var checks = new List<AuditCheck>();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        double seconds = 0;
        foreach (var target in options.Targets)
        {
            var targetOptions = new TargetOptions { Nodes = target.Nodes, Connections = options.Connections };
            if (target.IsFlashSale)
            {
                progress.Message($"{target.Name}: trivial endpoint and probes");
                var probes = await ProbesAsync(targetOptions, options, progress, cancellation);
                steps.AddRange(probes.Steps.Select(s => s with { Name = $"{target.Name} {s.Name}" }));
                series.AddRange(probes.Series.Select(p => p with { Step = $"{target.Name} {p.Step}", AtSeconds = p.AtSeconds + seconds }));
                foreach (var probe in probes.Steps)
                {
                    metrics[$"{target.Name}.{probe.Name.Replace(' ', '_')}_per_s"] = probe.OkPerSecond;
                }

                seconds += probes.MeasuredSeconds;
            }

            progress.Message($"{target.Name}: hot lot");
            var hot = await HotLot.RunAsync(new HotLotOptions
            {
                Target = targetOptions,
                Mode = HotLotMode.Closed,
                Concurrency = options.Concurrency,
                Duration = options.Duration,
                WarmUp = options.WarmUp,
                Shoppers = Math.Max(options.Shoppers, options.Concurrency),
            }, progress, cancellation);
            steps.AddRange(hot.Steps.Select(s => s with { Name = $"{target.Name} {s.Name}" }));
            series.AddRange(hot.Series.Select(p => p with { Step = $"{target.Name} {p.Step}", AtSeconds = p.AtSeconds + seconds }));
            seconds += hot.MeasuredSeconds;
            metrics[$"{target.Name}.hold_requests_per_s"] = hot.Steps.Where(s => s.Name is HotLot.HoldStep or HotLot.ReleaseStep).Sum(s => s.OkPerSecond);
            if (hot.Audit is { } audit)
            {
                checks.AddRange(audit.Checks.Select(c => c with { Name = $"{target.Name}: {c.Name}" }));
                foreach (var (key, value) in audit.Counts)
                {
                    counts[$"{target.Name} {key}"] = value;
                }
            }
        }

        AddRatios(options.Targets, metrics);
        return new RunReport
        {
            Scenario = "baselines",
            Target = string.Join(", ", options.Targets.Select(t => $"{t.Name}={string.Join(" + ", t.Nodes)}")),
            StartedAt = startedAt,
            MeasuredSeconds = seconds,
            Machine = MachineInfo.Current(),
            Options = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["concurrency"] = S($"{options.Concurrency}"),
                ["duration"] = S($"{options.Duration.TotalSeconds}s per target"),
                ["warm-up"] = S($"{options.WarmUp.TotalSeconds}s"),
                ["shoppers"] = S($"{options.Shoppers}"),
            },
            Steps = steps,
            Series = series,
            Metrics = metrics,
            Audit = new AuditReport(checks.All(c => c.Passed), checks, counts),
            Notes =
            [
                "Targets run one after another at the same closed concurrency; the ratios compare figures of this one run.",
                "Hold requests are PUT /api/cart/items/{lotId} on one hot lot, raising or lowering a shopper's hold by one unit; each is one request, like a ping.",
                "The load generator runs on the same machine as the servers and takes part of its CPU: every figure is a floor for what a separate client machine would see.",
            ],
        };
    }

    /// <summary>
    /// hot lot ÷ trivial endpoint for each FlashSale target, and FlashSale ÷ Redis-Lua for each
    /// pair named <c>X</c> and <c>redis-lua-X</c> (or <c>flashsale</c> and <c>redis-lua</c>).
    /// </summary>
    private static void AddRatios(IReadOnlyList<BaselineTarget> targets, Dictionary<string, double> metrics)
    {
        foreach (var target in targets.Where(t => t.IsFlashSale))
        {
            var holds = metrics[$"{target.Name}.hold_requests_per_s"];
            if (metrics.TryGetValue($"{target.Name}.ping_per_s", out var ping) && ping > 0)
            {
                metrics[$"ratio.{target.Name}.hot_lot_vs_ping"] = holds / ping;
            }

            var suffix = target.Name.StartsWith("flashsale", StringComparison.Ordinal) ? target.Name["flashsale".Length..] : "-" + target.Name;
            if (metrics.TryGetValue($"redis-lua{suffix}.hold_requests_per_s", out var lua) && lua > 0)
            {
                metrics[$"ratio.{target.Name}.vs_redis-lua{suffix}"] = holds / lua;
            }
        }
    }

    /// <summary>
    /// The trivial endpoint, then two probes that take the hold apart, each its own run at the
    /// same concurrency: an anonymous lot read (HTTP and one grain call) and a cart read (adds the
    /// bearer token's validation). What a hold costs beyond the cart read is its decision and writes.
    /// </summary>
    private static async Task<RunResult> ProbesAsync(TargetOptions target, BaselinesOptions options, IProgressSink progress, CancellationToken cancellation)
    {
        using var client = target.CreateClient();
        var seller = await client.SignUpSeller("Probe farm", cancellation);
        var lot = await client.CreateLot(seller, "Probe lot", 1_000, 1, 100, cancellation);
        var shoppers = await client.SignUpShoppers(Math.Max(options.Shoppers, options.Concurrency), 32, cancellation);
        var probes = new (string Name, Func<IterationContext, Task> Iteration)[]
        {
            ("ping", ctx => ctx.Step("ping", client.Ping)),
            ("lot read", ctx => ctx.Step("lot read", async ct => (await client.GetLot(lot.LotId, ct)).Outcome)),
            ("cart read", ctx => ctx.Step("cart read", ct => client.GetCartOutcome(shoppers[(int)(ctx.Index % shoppers.Count)], ct))),
        };
        var steps = new List<StepReport>();
        var series = new List<SeriesPoint>();
        double seconds = 0;
        long iterations = 0;
        foreach (var (name, iteration) in probes)
        {
            var result = await ScenarioRunner.RunAsync(new ScenarioDefinition
            {
                Name = name,
                WarmUp = options.WarmUp,
                Simulations = [new LoadSimulation.KeepConstant(options.Concurrency, options.Duration)],
                Iteration = iteration,
            }, progress, cancellation);
            steps.AddRange(result.Steps);
            series.AddRange(result.Series.Select(p => p with { AtSeconds = p.AtSeconds + seconds }));
            seconds += result.MeasuredSeconds;
            iterations += result.Iterations;
        }

        return new RunResult(steps, [], series, seconds, iterations, null);
    }
}
