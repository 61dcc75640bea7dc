using FlashSale.LoadTests.Harness;
using FlashSale.LoadTests.Sale;
using static FlashSale.LoadTests.Scenarios.ScenarioKit;

namespace FlashSale.LoadTests.Scenarios;

public enum HotLotMode
{
    /// <summary>Open model: the rate rises stage by stage until latency breaks; reports the knee.</summary>
    Ramp,

    /// <summary>Closed model: a fixed number of copies as fast as the target answers; reports the ceiling.</summary>
    Closed,
}

public sealed record HotLotOptions
{
    public TargetOptions Target { get; init; } = new();

    public HotLotMode Mode { get; init; } = HotLotMode.Ramp;

    /// <summary>Shoppers taking turns on the lot; each keeps a hold of 1 or 2 units between turns.</summary>
    public int Shoppers { get; init; } = 2_000;

    /// <summary>Extra shoppers who each hold one unit before the measurement and keep it: the lot's live holds.</summary>
    public int LiveHolds { get; init; }

    public int Quantity { get; init; } = 1_000_000;

    /// <summary>
    /// 1 for the hot lot. More spreads the same shoppers over that many lots (shopper i on lot
    /// i mod N): the comparison that shows whether the one lot's grain is the bottleneck.
    /// </summary>
    public int Lots { get; init; } = 1;

    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(2);

    public double StartRate { get; init; } = 500;

    public double RateStep { get; init; } = 500;

    public double MaxRate { get; init; } = 20_000;

    public TimeSpan StageDuration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The knee is the highest stage whose p99 is within this and that kept up with its rate.</summary>
    public TimeSpan KneeP99 { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The ramp stops after a stage whose p99 passes this, or that fell well behind its rate.</summary>
    public TimeSpan BreakP99 { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>"Well behind": a stage that completed less than this share of its offered rate (0 never stops for it).</summary>
    public double BreakBelowShare { get; init; } = 0.8;

    public int Concurrency { get; init; } = 64;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(15);

    public int MaxInFlight { get; init; } = 5_000;
}

/// <summary>
/// One hot lot: shoppers take turns setting their hold to 1 or 2 units through
/// <c>PUT /api/cart/items/{lotId}</c>, so every request is a hold decision on the same lot (an
/// increase takes a unit, a decrease returns one). "Hold requests per second" counts both. In
/// ramp mode the offered rate rises stage by stage until latency breaks, and the knee is the last
/// rate the lot sustained with a p99 under the knee bound.
/// </summary>
public static class HotLot
{
    public const string HoldStep = "hold";
    public const string ReleaseStep = "release";

    public static async Task<RunReport> RunAsync(HotLotOptions options, IProgressSink progress, CancellationToken cancellation = default, string scenarioName = "hot-lot")
    {
        var startedAt = DateTimeOffset.UtcNow;
        using var client = options.Target.CreateClient();
        var ledger = new SaleLedger();
        var (seller, lot) = await CreateSellerAndLot(client, ledger, "Gannan navel oranges (hot lot)", options.Quantity, 2, cancellation);
        var lotIds = new List<string> { lot.LotId };
        for (var i = 1; i < options.Lots; i++)
        {
            var more = await client.CreateLot(seller, S($"Gannan navel oranges ({i})"), options.Quantity, 2, 6800, cancellation);
            ledger.AddLot(more);
            lotIds.Add(more.LotId);
        }

        var shoppers = await SignUp(client, ledger, options.Shoppers, options.Target, progress, cancellation);
        var lotOf = shoppers.Select((s, i) => (s, i)).ToDictionary(x => x.s, x => lotIds[x.i % lotIds.Count]);
        if (options.LiveHolds > 0)
        {
            await PrefillHolds(client, ledger, lot.LotId, options, progress, cancellation);
        }

        var pool = new ShopperPool(shoppers);
        var scenario = new ScenarioDefinition
        {
            Name = scenarioName,
            WarmUp = options.WarmUp,
            Simulations = Simulations(options),
            MaxInFlight = options.MaxInFlight,
            DrainTimeout = options.Target.RequestTimeout + TimeSpan.FromSeconds(2),
            ContinueAfterStage = options.Mode == HotLotMode.Ramp ? stage => !Broke(stage, options) : null,
            Iteration = async ctx =>
            {
                var shopper = await pool.Take(ctx.Cancellation);
                try
                {
                    var lotId = lotOf[shopper];
                    var held = shopper.Snapshot().Holds.GetValueOrDefault(lotId);
                    var quantity = held == 1 ? 2 : 1;
                    var outcome = await ctx.Step(quantity > held ? HoldStep : ReleaseStep, ct => client.SetHold(shopper.Identity, lotId, quantity, ct));
                    shopper.HoldAnswered(lotId, quantity, outcome);
                }
                finally
                {
                    pool.Return(shopper);
                }
            },
        };

        var result = await ScenarioRunner.RunAsync(scenario, progress, cancellation);
        progress.Message("auditing");
        var audit = await SaleAudit.RunAsync(client, ledger, hasOrders: false, cancellation);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["hold_requests_per_s"] = result.Steps.Where(s => s.Name is HoldStep or ReleaseStep).Sum(s => s.RequestsPerSecond),
            ["live_holds_at_start"] = options.LiveHolds,
        };
        var notes = new List<string>
        {
            "Each request is one PUT /api/cart/items/{lotId} on the same lot: 'hold' raises a shopper's hold from 0 or 1 to 1 or 2, 'release' lowers it from 2 to 1.",
        };
        if (options.Mode == HotLotMode.Ramp)
        {
            AddKnee(result.Stages, options, metrics, notes);
        }

        return Report(scenarioName, options.Target, startedAt, result, audit, Describe(options), metrics, notes);
    }

    /// <summary>A stage broke when its p99 passed the break bound or it completed under the break share (80%) of what was offered.</summary>
    public static bool Broke(StageReport stage, HotLotOptions options) =>
        P99(stage) > options.BreakP99.TotalMilliseconds || (stage.OfferedRate is { } offered && Done(stage) < options.BreakBelowShare * offered);

    /// <summary>The knee: the highest offered rate that completed at least 95% of its requests per second with p99 within the knee bound.</summary>
    public static StageReport? Knee(IEnumerable<StageReport> stages, HotLotOptions options) =>
        stages.Where(s => s.OfferedRate is { } offered && Done(s) >= 0.95 * offered && P99(s) <= options.KneeP99.TotalMilliseconds)
            .MaxBy(s => s.OfferedRate);

    private static void AddKnee(IReadOnlyList<StageReport> stages, HotLotOptions options, Dictionary<string, double> metrics, List<string> notes)
    {
        if (Knee(stages, options) is { } knee)
        {
            metrics["knee.offered_per_s"] = knee.OfferedRate!.Value;
            metrics["knee.done_per_s"] = Done(knee);
            metrics["knee.p99_ms"] = P99(knee);
            notes.Add(S($"Knee: {knee.OfferedRate:N0} hold requests/s offered, {Done(knee):N0}/s done, p99 {P99(knee):0.0} ms (bound {options.KneeP99.TotalMilliseconds} ms)."));
        }
        else
        {
            notes.Add(S($"No stage kept p99 within {options.KneeP99.TotalMilliseconds} ms at 95% of its rate: the knee is below {options.StartRate:N0}/s."));
        }

        if (stages.Count > 0 && Broke(stages[^1], options))
        {
            var broke = stages[^1];
            metrics["broke.offered_per_s"] = broke.OfferedRate ?? 0;
            metrics["broke.done_per_s"] = Done(broke);
            metrics["broke.p99_ms"] = P99(broke);
            notes.Add(S($"Latency broke at {broke.OfferedRate:N0}/s offered: {Done(broke):N0}/s done, p99 {P99(broke):0.0} ms."));
        }

        if (stages.Count > 0)
        {
            metrics["max_done_per_s"] = stages.Max(Done);
        }
    }

    private static double Done(StageReport stage) => stage.Steps.Where(s => s.Name is HoldStep or ReleaseStep).Sum(s => s.PerSecond);

    private static double P99(StageReport stage) => stage.Steps.Where(s => s.Name is HoldStep or ReleaseStep).Select(s => s.P99).DefaultIfEmpty(0).Max();

    private static List<LoadSimulation> Simulations(HotLotOptions options)
    {
        if (options.Mode == HotLotMode.Closed)
        {
            return [new LoadSimulation.KeepConstant(options.Concurrency, options.Duration)];
        }

        var stages = new List<LoadSimulation>();
        for (var rate = options.StartRate; rate <= options.MaxRate + 1e-9; rate += options.RateStep)
        {
            stages.Add(new LoadSimulation.Inject(rate, options.StageDuration));
        }

        return stages;
    }

    private static async Task PrefillHolds(SaleClient client, SaleLedger ledger, string lotId, HotLotOptions options, IProgressSink progress, CancellationToken cancellation)
    {
        var holders = await SignUp(client, ledger, options.LiveHolds, options.Target, progress, cancellation);
        progress.Message(S($"placing {options.LiveHolds:N0} live holds"));
        long failed = 0;
        await Parallel.ForEachAsync(holders, new ParallelOptions { MaxDegreeOfParallelism = options.Target.SetupParallelism, CancellationToken = cancellation }, async (holder, ct) =>
        {
            var outcome = await client.SetHold(holder.Identity, lotId, 1, ct);
            holder.HoldAnswered(lotId, 1, outcome);
            if (!outcome.IsOk)
            {
                Interlocked.Increment(ref failed);
            }
        });
        if (failed > 0)
        {
            throw new InvalidOperationException(S($"{failed} of {options.LiveHolds} setup holds failed"));
        }
    }

    private static Dictionary<string, string> Describe(HotLotOptions options)
    {
        var described = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["mode"] = options.Mode.ToString().ToLowerInvariant(),
            ["shoppers"] = S($"{options.Shoppers}"),
            ["live-holds"] = S($"{options.LiveHolds}"),
            ["lots"] = S($"{options.Lots}"),
            ["warm-up"] = S($"{options.WarmUp.TotalSeconds}s"),
            ["connections"] = S($"{options.Target.Connections}"),
        };
        if (options.Mode == HotLotMode.Ramp)
        {
            described["rates"] = S($"{options.StartRate}..{options.MaxRate} step {options.RateStep}/s, {options.StageDuration.TotalSeconds}s each");
            described["knee-p99"] = S($"{options.KneeP99.TotalMilliseconds}ms");
            described["break-p99"] = S($"{options.BreakP99.TotalMilliseconds}ms");
        }
        else
        {
            described["concurrency"] = S($"{options.Concurrency}");
            described["duration"] = S($"{options.Duration.TotalSeconds}s");
        }

        return described;
    }
}
