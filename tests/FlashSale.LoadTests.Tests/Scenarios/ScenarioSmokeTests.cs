using FlashSale.LoadTests.Harness;
using FlashSale.LoadTests.Reports;
using FlashSale.LoadTests.Scenarios;
using FlashSale.LoadTests.Tests.Infrastructure;

namespace FlashSale.LoadTests.Tests.Scenarios;

/// <summary>
/// A short smoke of each scenario (seconds, small N) against a real server, ending with the audit.
/// These prove the harness and the engine's invariants, never performance: no assertion is on a
/// latency or a rate.
/// </summary>
[Collection(LoadTargetsCollection.Name)]
public sealed class ScenarioSmokeTests(KestrelApi api, RedisLuaBaselineServer baseline)
{
    private TargetOptions FlashSale => new() { Url = api.Url, Connections = 64 };

    [Fact]
    public async Task Opening_surge_sells_the_lot_once_and_the_audit_passes()
    {
        var report = await OpeningSurge.RunAsync(new OpeningSurgeOptions
        {
            Target = FlashSale,
            Shoppers = 300,
            Quantity = 100,
            Arrival = TimeSpan.FromSeconds(1),
        }, SilentProgress.Instance);

        AssertAudited(report);
        var hold = report.Steps.Single(s => s.Name == "hold");
        Assert.Equal(300, hold.Count);
        Assert.Contains(hold.Outcomes, o => o.Label == "sold-out" && o.Kind == OutcomeKind.Expected);
        Assert.Equal(hold.Ok, report.Steps.Single(s => s.Name == "checkout").Ok);
        Assert.Equal(report.Metrics["lot.sold"], report.Metrics["orders"]);
        Assert.Equal(100, report.Metrics["lot.sold"]); // exactly the lot, checked by the audit too
        Assert.Equal(300, report.Metrics["hold.answered"]);
        Assert.Equal(0, report.Metrics["http.5xx"]);
        Assert.Contains(report.Audit!.Checks, c => c.Name == "every shopper's hold was answered" && c.Passed);
        Assert.DoesNotContain(report.Steps, s => s.Name == "pay"); // cash on delivery has no payment step
    }

    [Fact]
    public async Task Ussd_handsets_walk_the_menu_to_cash_on_delivery_sell_the_lot_once_and_the_audit_passes()
    {
        var report = await Ussd.RunAsync(new UssdOptions
        {
            Target = FlashSale,
            Handsets = 60,
            Quantity = 20,
            Arrival = TimeSpan.FromSeconds(1),
        }, SilentProgress.Instance);

        AssertAudited(report);
        Assert.Equal(["dial", "live-lots", "lot", "quantity", "hold", "pay-how", "checkout"], report.Steps.Select(s => s.Name));
        Assert.Equal(60, report.Steps.Single(s => s.Name == "dial").Count);
        Assert.Equal(20, report.Metrics["lot.sold"]); // exactly the lot, checked against the orders found by the audit too
        Assert.Equal(20, report.Audit!.Counts["orders found"]);
        Assert.Equal(0, report.Metrics["http.5xx"]);
        Assert.Contains(report.Audit.Checks, c => c.Name.StartsWith("every order a handset was told of exists", StringComparison.Ordinal) && c.Passed && c.Checked > 0);
    }

    [Fact]
    public async Task Hot_lot_ramp_reports_each_stage_and_the_audit_passes()
    {
        var options = new HotLotOptions
        {
            Target = FlashSale,
            Shoppers = 100,
            WarmUp = TimeSpan.FromMilliseconds(300),
            StartRate = 100,
            RateStep = 100,
            MaxRate = 200,
            StageDuration = TimeSpan.FromSeconds(1),
            BreakP99 = TimeSpan.FromSeconds(30), // a smoke runs on a busy machine: it must not stop early
            BreakBelowShare = 0,
        };

        var report = await HotLot.RunAsync(options, SilentProgress.Instance);

        AssertAudited(report);
        Assert.Equal([100.0, 200.0], report.Stages.Select(s => s.OfferedRate!.Value));
        Assert.All(report.Stages, s => Assert.Contains(s.Steps, step => step.Name == HotLot.HoldStep));
        Assert.Contains(report.Steps, s => s.Name == HotLot.ReleaseStep);
        Assert.True(report.Metrics["hold_requests_per_s"] > 0);
    }

    [Fact]
    public async Task Hot_lot_with_live_holds_keeps_every_one_of_them()
    {
        var report = await HotLot.RunAsync(new HotLotOptions
        {
            Target = FlashSale,
            Mode = HotLotMode.Closed,
            Shoppers = 20,
            LiveHolds = 200,
            Concurrency = 8,
            Duration = TimeSpan.FromSeconds(1),
            WarmUp = TimeSpan.Zero,
        }, SilentProgress.Instance);

        AssertAudited(report);
        Assert.True(report.Audit!.Counts["holds audited"] >= 200);
    }

    [Fact]
    public async Task Hot_lot_spread_over_lots_keeps_each_lot_s_invariant()
    {
        var report = await HotLot.RunAsync(new HotLotOptions
        {
            Target = FlashSale,
            Mode = HotLotMode.Closed,
            Shoppers = 30,
            Lots = 3,
            Concurrency = 6,
            Duration = TimeSpan.FromSeconds(1),
            WarmUp = TimeSpan.Zero,
        }, SilentProgress.Instance);

        AssertAudited(report);
        Assert.Equal(3, report.Audit!.Counts["lots"]);
    }

    [Fact]
    public async Task Marketplace_mixes_actions_over_zipf_lots_and_the_audit_passes()
    {
        var report = await Marketplace.RunAsync(new MarketplaceOptions
        {
            Target = FlashSale,
            Lots = 5,
            QuantityPerLot = 20,
            Shoppers = 60,
            Rate = 150,
            Duration = TimeSpan.FromSeconds(2),
            WarmUp = TimeSpan.Zero,
        }, SilentProgress.Instance);

        AssertAudited(report);
        Assert.Contains(report.Steps, s => s.Name == "browse");
        Assert.Contains(report.Steps, s => s.Name == "hold");
        Assert.Contains(report.Steps, s => s.Name == "checkout" && s.Ok > 0);
        Assert.DoesNotContain(report.Metrics.Keys, k => k.StartsWith("watchers", StringComparison.Ordinal) || k.StartsWith("staleness", StringComparison.Ordinal)); // no watchers unless asked
        Assert.DoesNotContain(report.Series, p => p.Step == "stock messages");
    }

    [Fact]
    public async Task Marketplace_with_watchers_reports_their_staleness_and_every_watcher_ends_on_its_lot_s_final_version()
    {
        // Two entries for the one in-process node, so that the watchers are split across "nodes" as in a cluster run.
        var report = await Marketplace.RunAsync(new MarketplaceOptions
        {
            Target = FlashSale with { Nodes = [api.Url, api.Url] },
            Lots = 5,
            QuantityPerLot = 20,
            Shoppers = 60,
            Rate = 150,
            Duration = TimeSpan.FromSeconds(2),
            WarmUp = TimeSpan.FromMilliseconds(300),
            Watchers = 20,
        }, SilentProgress.Instance);

        AssertAudited(report);
        var finalState = Assert.Single(report.Audit!.Checks, c => c.Name == "every watcher received its lot's final state");
        Assert.True(finalState.Passed);
        Assert.Equal(20, finalState.Checked);
        Assert.Contains(report.Audit.Checks, c => c.Name == "the seller's ledger equals its paid orders" && c.Passed);
        Assert.Equal(20, report.Metrics["watchers"]);
        Assert.Equal(20, report.Metrics["watchers_connected"]);
        Assert.InRange(report.Metrics["watched_lots"], 1, 5);
        Assert.True(report.Metrics["messages"] > 0); // holds on the watched lots change their stock
        Assert.True(report.Metrics["messages_per_watcher_per_s"] > 0);
        foreach (var figure in new[] { "staleness.p50_ms", "staleness.p90_ms", "staleness.p99_ms", "staleness.max_ms", "cpu.harness_percent_of_one_core" })
        {
            Assert.True(report.Metrics.ContainsKey(figure), figure);
        }

        Assert.True(report.Metrics["staleness.p50_ms"] <= report.Metrics["staleness.p99_ms"]);
        Assert.True(report.Metrics["staleness.p99_ms"] <= report.Metrics["staleness.max_ms"]);
        Assert.Contains(report.Series, p => p.Step == "stock messages" && p.Count > 0);
        Assert.Equal("20", report.Options["watchers"]);
        var markdown = MarkdownReport.Render(report);
        Assert.Contains("staleness.p99_ms", markdown, StringComparison.Ordinal);
        Assert.Contains("every watcher received its lot's final state", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Marketplace_ships_and_hands_over_and_the_sellers_ledger_matches_the_orders()
    {
        // Weighted towards the last mile, so that a two-second run moves orders all the way to collected.
        var report = await Marketplace.RunAsync(new MarketplaceOptions
        {
            Target = FlashSale,
            Lots = 3,
            QuantityPerLot = 200,
            Shoppers = 40,
            Rate = 150,
            Duration = TimeSpan.FromSeconds(2),
            WarmUp = TimeSpan.Zero,
            Mix = "hold=30,checkout=25,ship=25,handover=20",
        }, SilentProgress.Instance);

        AssertAudited(report);
        foreach (var step in new[] { "pack", "ship", "arrived", "pickup-code", "handover" })
        {
            Assert.Contains(report.Steps, s => s.Name == step && s.Ok > 0);
        }

        Assert.Contains(report.Audit!.Checks, c => c.Name == "the seller's ledger equals its paid orders" && c.Passed);
        Assert.Contains(report.Audit.Checks, c => c.Name == "every shipment the harness moved is where it was told" && c.Passed && c.Checked > 0);
        Assert.True(report.Audit.Counts["paid orders in the ledger"] > 0);
    }

    [Fact]
    public async Task Watchers_all_end_on_the_lot_s_final_state()
    {
        var report = await Watchers.RunAsync(new WatchersOptions
        {
            Target = FlashSale,
            Watchers = 20,
            Rate = 100,
            Duration = TimeSpan.FromSeconds(2),
            Shoppers = 50,
            ServerPid = Environment.ProcessId,
        }, SilentProgress.Instance);

        AssertAudited(report);
        Assert.Contains(report.Audit!.Checks, c => c.Name.Contains("final state", StringComparison.Ordinal) && c.Passed);
        Assert.True(report.Metrics["messages"] > 0);
        Assert.True(report.Metrics.ContainsKey("staleness.p99_ms"));
        Assert.True(report.Metrics.ContainsKey("cpu.server_percent_of_one_core"));
    }

    [Fact]
    public async Task The_redis_lua_baseline_answers_the_same_hold_routes_and_the_audit_passes()
    {
        var report = await HotLot.RunAsync(new HotLotOptions
        {
            Target = new TargetOptions { Url = baseline.Url, Connections = 64 },
            Mode = HotLotMode.Closed,
            Shoppers = 30,
            LiveHolds = 20,
            Concurrency = 8,
            Duration = TimeSpan.FromSeconds(1),
            WarmUp = TimeSpan.Zero,
        }, SilentProgress.Instance);

        AssertAudited(report);
        Assert.Contains(report.Steps, s => s.Name == HotLot.HoldStep && s.Ok > 0);
    }

    [Fact]
    public async Task Baselines_measure_every_target_in_one_run_and_give_the_ratios()
    {
        var report = await Baselines.RunAsync(new BaselinesOptions
        {
            Targets = [new BaselineTarget("flashsale", api.Url, true), new BaselineTarget("redis-lua", baseline.Url, false)],
            Concurrency = 8,
            Duration = TimeSpan.FromSeconds(1),
            WarmUp = TimeSpan.FromMilliseconds(200),
            Shoppers = 16,
        }, SilentProgress.Instance);

        AssertAudited(report);
        Assert.Contains(report.Steps, s => s.Name == "flashsale ping" && s.Ok > 0);
        Assert.Contains(report.Steps, s => s.Name == "flashsale lot read" && s.Ok > 0);
        Assert.Contains(report.Steps, s => s.Name == "flashsale cart read" && s.Ok > 0);
        Assert.Contains(report.Steps, s => s.Name == "redis-lua hold" && s.Ok > 0);
        Assert.True(report.Metrics["ratio.flashsale.hot_lot_vs_ping"] > 0);
        Assert.True(report.Metrics["ratio.flashsale.vs_redis-lua"] > 0);
    }

    private static void AssertAudited(RunReport report)
    {
        Assert.NotNull(report.Audit);
        var failures = report.Audit.Checks.Where(c => !c.Passed).SelectMany(c => c.Violations.Prepend(c.Name)).ToList();
        Assert.True(report.Audit.Passed, "audit failed:\n" + string.Join("\n", failures));
        Assert.NotEmpty(report.Audit.Checks);
        Assert.DoesNotContain(report.Steps, s => s.Failed > 0 && s.Outcomes.Any(o => o.Kind == OutcomeKind.Failed && o.Label.StartsWith("http-5", StringComparison.Ordinal)));
    }
}
