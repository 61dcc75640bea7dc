using FlashSale.LoadTests.Harness;
using FlashSale.LoadTests.Sale;
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

        var staleness = new StockStaleness();
        var placements = Enumerable.Range(0, options.Watchers).Select(i => new WatcherPlacement(options.Target.Nodes[i % options.Target.Nodes.Count], lot.LotId)).ToList();
        await using var watchers = await WatcherGroup.Connect(placements, staleness.Record, options.ConnectParallelism, progress, cancellation);

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
        staleness.Start();
        var result = await ScenarioRunner.RunAsync(scenario, progress, cancellation);
        var surgeSeconds = staleness.Elapsed;
        var (machineCpu, harnessCpu, serverCpu) = cpu.Read();

        progress.Message("waiting for every watcher to see the final state");
        var final = await client.ReadLot(lot.LotId, cancellation) ?? throw new InvalidOperationException("The watched lot could not be read.");
        var finalVersions = new Dictionary<string, long>(StringComparer.Ordinal) { [lot.LotId] = final.Version };

        // A watcher still behind when the bound passes fails the final-state check below.
        _ = await watchers.WaitForVersions(finalVersions, options.SettleBound, cancellation);
        staleness.Stop();

        progress.Message("auditing");
        var audit = await SaleAudit.RunAsync(client, ledger, hasOrders: false, cancellation);
        var finalState = watchers.FinalVersionCheck(finalVersions, "every watcher received the lot's final state");
        audit = audit with
        {
            Passed = audit.Passed && finalState.Passed,
            Checks = [.. audit.Checks, finalState],
        };

        var metrics = new Dictionary<string, double>(StringComparer.Ordinal) { ["watchers"] = options.Watchers };
        foreach (var (name, value) in staleness.Figures(options.Watchers, surgeSeconds))
        {
            metrics[name] = value;
        }

        metrics["cpu.machine_percent_of_all_cores"] = machineCpu;
        metrics["cpu.harness_percent_of_one_core"] = harnessCpu;
        metrics["lot.final_version"] = final.Version;
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
            Series = [.. report.Series, .. staleness.Series()],
        };
    }
}
