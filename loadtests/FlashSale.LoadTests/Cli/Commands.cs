using System.ComponentModel;
using FlashSale.LoadTests.Harness;
using FlashSale.LoadTests.Reports;
using FlashSale.LoadTests.Scenarios;
using Spectre.Console;
using Spectre.Console.Cli;

namespace FlashSale.LoadTests.Cli;

public sealed class OpeningSurgeSettings : RunSettings
{
    [CommandOption("--shoppers <N>")]
    [DefaultValue(20_000)]
    public int Shoppers { get; init; } = 20_000;

    [CommandOption("--quantity <N>")]
    [DefaultValue(1_000)]
    public int Quantity { get; init; } = 1_000;

    [CommandOption("--limit <N>")]
    [Description("Per-shopper limit; each shopper holds this many.")]
    [DefaultValue(1)]
    public int Limit { get; init; } = 1;

    [CommandOption("--arrival <SECONDS>")]
    [Description("All shoppers arrive within this many seconds.")]
    [DefaultValue(3.0)]
    public double ArrivalSeconds { get; init; } = 3;

    [CommandOption("--payment-method <METHOD>")]
    [Description("cash-on-delivery (no payment step) or a sandbox method such as wallet (adds the pay step).")]
    [DefaultValue(PaymentMethods.CashOnDelivery)]
    public string PaymentMethod { get; init; } = PaymentMethods.CashOnDelivery;

    [CommandOption("--checkout-attempts <N>")]
    [Description("Tries per checkout: a 503, a timeout or a 409 idempotency-key-in-flight is retried with the same Idempotency-Key after Retry-After, as the contract allows; 1 never retries.")]
    [DefaultValue(4)]
    public int CheckoutAttempts { get; init; } = 4;

    public override ValidationResult Validate()
    {
        var basic = base.Validate();
        return !basic.Successful ? basic
            : CheckoutAttempts is < 1 or > 20 ? ValidationResult.Error("--checkout-attempts must be 1 to 20.")
            : ValidationResult.Success();
    }
}

[Description("N shoppers arrive within seconds at one lot: hold, checkout, pay; then the audit.")]
public sealed class OpeningSurgeCommand : ScenarioCommand<OpeningSurgeSettings>
{
    protected override string Title => "opening surge";

    protected override Task<RunReport> RunAsync(OpeningSurgeSettings s, IProgressSink progress, CancellationToken cancellation) =>
        OpeningSurge.RunAsync(new OpeningSurgeOptions
        {
            Target = s.Target,
            Shoppers = s.Shoppers,
            Quantity = s.Quantity,
            PerShopperLimit = s.Limit,
            Arrival = Seconds(s.ArrivalSeconds),
            PaymentMethod = s.PaymentMethod,
            CheckoutAttempts = s.CheckoutAttempts,
        }, progress, cancellation);
}

public sealed class UssdSettings : RunSettings
{
    [CommandOption("--handsets <N>")]
    [DefaultValue(5_000)]
    public int Handsets { get; init; } = 5_000;

    [CommandOption("--quantity <N>")]
    [DefaultValue(500)]
    public int Quantity { get; init; } = 500;

    [CommandOption("--arrival <SECONDS>")]
    [Description("All handsets dial within this many seconds.")]
    [DefaultValue(5.0)]
    public double ArrivalSeconds { get; init; } = 5;

    public override ValidationResult Validate()
    {
        var basic = base.Validate();
        return !basic.Successful ? basic
            : Handsets is < 1 or > 1_000_000 ? ValidationResult.Error("--handsets must be 1 to 1,000,000 (each is a number of its own).")
            : Quantity < 1 ? ValidationResult.Error("--quantity must be at least 1.")
            : ArrivalSeconds <= 0 ? ValidationResult.Error("--arrival must be more than 0 seconds.")
            : ValidationResult.Success();
    }
}

[Description("N feature phones dial the USSD menu at a sale's opening (Development target: the sandbox gateway): menu, lot, hold, cash on delivery; per-step p99; then the audit.")]
public sealed class UssdCommand : ScenarioCommand<UssdSettings>
{
    protected override string Title => "ussd";

    protected override Task<RunReport> RunAsync(UssdSettings s, IProgressSink progress, CancellationToken cancellation) =>
        Ussd.RunAsync(new UssdOptions
        {
            Target = s.Target,
            Handsets = s.Handsets,
            Quantity = s.Quantity,
            Arrival = Seconds(s.ArrivalSeconds),
        }, progress, cancellation);
}

public sealed class HotLotSettings : RunSettings
{
    [CommandOption("--mode <MODE>")]
    [Description("ramp (open model, rising rate until latency breaks; reports the knee) or closed (fixed concurrency; reports the ceiling).")]
    [DefaultValue(HotLotMode.Ramp)]
    public HotLotMode Mode { get; init; } = HotLotMode.Ramp;

    [CommandOption("--shoppers <N>")]
    [DefaultValue(2_000)]
    public int Shoppers { get; init; } = 2_000;

    [CommandOption("--lots <N>")]
    [Description("1 for the hot lot; more spreads the shoppers over that many lots, to compare.")]
    [DefaultValue(1)]
    public int Lots { get; init; } = 1;

    [CommandOption("--live-holds <N>")]
    [Description("Extra shoppers who each hold one unit before the measurement, and keep it.")]
    [DefaultValue(0)]
    public int LiveHolds { get; init; }

    [CommandOption("--start-rate <PER_SECOND>")]
    [DefaultValue(500.0)]
    public double StartRate { get; init; } = 500;

    [CommandOption("--rate-step <PER_SECOND>")]
    [DefaultValue(500.0)]
    public double RateStep { get; init; } = 500;

    [CommandOption("--max-rate <PER_SECOND>")]
    [DefaultValue(20_000.0)]
    public double MaxRate { get; init; } = 20_000;

    [CommandOption("--stage <SECONDS>")]
    [DefaultValue(5.0)]
    public double StageSeconds { get; init; } = 5;

    [CommandOption("--knee-p99 <MS>")]
    [DefaultValue(100.0)]
    public double KneeP99Ms { get; init; } = 100;

    [CommandOption("--break-p99 <MS>")]
    [DefaultValue(500.0)]
    public double BreakP99Ms { get; init; } = 500;

    [CommandOption("--concurrency <N>")]
    [DefaultValue(64)]
    public int Concurrency { get; init; } = 64;

    [CommandOption("--duration <SECONDS>")]
    [DefaultValue(15.0)]
    public double DurationSeconds { get; init; } = 15;

    [CommandOption("--warm-up <SECONDS>")]
    [DefaultValue(2.0)]
    public double WarmUpSeconds { get; init; } = 2;
}

[Description("Sustained holds and releases on one lot: a rising open rate until latency breaks (the knee), or a closed-loop ceiling.")]
public sealed class HotLotCommand : ScenarioCommand<HotLotSettings>
{
    protected override string Title => "hot lot";

    protected override Task<RunReport> RunAsync(HotLotSettings s, IProgressSink progress, CancellationToken cancellation) =>
        HotLot.RunAsync(new HotLotOptions
        {
            Target = s.Target,
            Mode = s.Mode,
            Shoppers = s.Shoppers,
            LiveHolds = s.LiveHolds,
            Lots = s.Lots,
            StartRate = s.StartRate,
            RateStep = s.RateStep,
            MaxRate = s.MaxRate,
            StageDuration = Seconds(s.StageSeconds),
            KneeP99 = TimeSpan.FromMilliseconds(s.KneeP99Ms),
            BreakP99 = TimeSpan.FromMilliseconds(s.BreakP99Ms),
            Concurrency = s.Concurrency,
            Duration = Seconds(s.DurationSeconds),
            WarmUp = Seconds(s.WarmUpSeconds),
        }, progress, cancellation);
}

public sealed class MarketplaceSettings : RunSettings
{
    [CommandOption("--lots <N>")]
    [DefaultValue(50)]
    public int Lots { get; init; } = 50;

    [CommandOption("--quantity <N>")]
    [Description("Units per lot.")]
    [DefaultValue(300)]
    public int Quantity { get; init; } = 300;

    [CommandOption("--limit <N>")]
    [DefaultValue(4)]
    public int Limit { get; init; } = 4;

    [CommandOption("--shoppers <N>")]
    [DefaultValue(2_000)]
    public int Shoppers { get; init; } = 2_000;

    [CommandOption("--zipf <S>")]
    [DefaultValue(1.1)]
    public double Zipf { get; init; } = 1.1;

    [CommandOption("--agents <N>")]
    [Description("Village agents, each a service point where orders are picked up.")]
    [DefaultValue(3)]
    public int Agents { get; init; } = 3;

    [CommandOption("--mix <WEIGHTS>")]
    [DefaultValue(MarketplaceOptions.DefaultMix)]
    public string Mix { get; init; } = MarketplaceOptions.DefaultMix;

    [CommandOption("--rate <PER_SECOND>")]
    [DefaultValue(300.0)]
    public double Rate { get; init; } = 300;

    [CommandOption("--duration <SECONDS>")]
    [DefaultValue(30.0)]
    public double DurationSeconds { get; init; } = 30;

    [CommandOption("--warm-up <SECONDS>")]
    [DefaultValue(2.0)]
    public double WarmUpSeconds { get; init; } = 2;

    [CommandOption("--payment-method <METHOD>")]
    [DefaultValue(PaymentMethods.CashOnDelivery)]
    public string PaymentMethod { get; init; } = PaymentMethods.CashOnDelivery;

    [CommandOption("--watchers <K>")]
    [Description("SignalR watchers, each on one lot drawn by the lots' Zipf popularity, split across the --url nodes and connected before the run; adds stock staleness p50/p90/p99/max and a check that every watcher ends on its lot's final version. 0: none.")]
    [DefaultValue(0)]
    public int Watchers { get; init; }

    public override ValidationResult Validate()
    {
        var basic = base.Validate();
        return !basic.Successful ? basic
            : Lots < 1 ? ValidationResult.Error("--lots must be at least 1.")
            : Watchers < 0 ? ValidationResult.Error("--watchers must be 0 or more.")
            : ValidationResult.Success();
    }
}

[Description("Many lots with Zipf popularity; a weighted mix of browse, hold, checkout, pay, abandon, ship and handover; the audit checks the seller's ledger. --watchers adds live-stock watchers on the lots and their staleness.")]
public sealed class MarketplaceCommand : ScenarioCommand<MarketplaceSettings>
{
    protected override string Title => "marketplace";

    protected override Task<RunReport> RunAsync(MarketplaceSettings s, IProgressSink progress, CancellationToken cancellation) =>
        Marketplace.RunAsync(new MarketplaceOptions
        {
            Target = s.Target,
            Lots = s.Lots,
            QuantityPerLot = s.Quantity,
            PerShopperLimit = s.Limit,
            Shoppers = s.Shoppers,
            ZipfExponent = s.Zipf,
            Agents = s.Agents,
            Mix = s.Mix,
            Rate = s.Rate,
            Duration = Seconds(s.DurationSeconds),
            WarmUp = Seconds(s.WarmUpSeconds),
            PaymentMethod = s.PaymentMethod,
            Watchers = s.Watchers,
        }, progress, cancellation);
}

public sealed class WatchersSettings : RunSettings
{
    [CommandOption("--watchers <K>")]
    [DefaultValue(1_000)]
    public int Watchers { get; init; } = 1_000;

    [CommandOption("--rate <PER_SECOND>")]
    [Description("Hold requests per second on the watched lot during the surge.")]
    [DefaultValue(500.0)]
    public double Rate { get; init; } = 500;

    [CommandOption("--duration <SECONDS>")]
    [DefaultValue(20.0)]
    public double DurationSeconds { get; init; } = 20;

    [CommandOption("--shoppers <N>")]
    [DefaultValue(1_000)]
    public int Shoppers { get; init; } = 1_000;

    [CommandOption("--server-pid <PID>")]
    [Description("The server's process id, to report its CPU.")]
    public int? ServerPid { get; init; }
}

[Description("K SignalR watchers on one lot during a surge: messages per second, staleness p50/p99, CPU.")]
public sealed class WatchersCommand : ScenarioCommand<WatchersSettings>
{
    protected override string Title => "watchers";

    protected override Task<RunReport> RunAsync(WatchersSettings s, IProgressSink progress, CancellationToken cancellation) =>
        Watchers.RunAsync(new WatchersOptions
        {
            Target = s.Target,
            Watchers = s.Watchers,
            Rate = s.Rate,
            Duration = Seconds(s.DurationSeconds),
            Shoppers = s.Shoppers,
            ServerPid = s.ServerPid,
        }, progress, cancellation);
}

public sealed class BaselinesSettings : RunSettings
{
    [CommandOption("--redis-lua <URL>")]
    [Description("The Redis-Lua baseline server (loadtests/FlashSale.RedisLuaBaseline) to compare with --url.")]
    public string? RedisLua { get; init; }

    [CommandOption("--durable <URL>")]
    [Description("A FlashSale API node of the Redis-durable cluster.")]
    public string? Durable { get; init; }

    [CommandOption("--redis-lua-durable <URL>")]
    [Description("A Redis-Lua baseline server whose Redis fsyncs every write, to compare with --durable.")]
    public string? RedisLuaDurable { get; init; }

    [CommandOption("--concurrency <N>")]
    [DefaultValue(64)]
    public int Concurrency { get; init; } = 64;

    [CommandOption("--duration <SECONDS>")]
    [DefaultValue(15.0)]
    public double DurationSeconds { get; init; } = 15;

    [CommandOption("--warm-up <SECONDS>")]
    [DefaultValue(3.0)]
    public double WarmUpSeconds { get; init; } = 3;

    [CommandOption("--shoppers <N>")]
    [DefaultValue(200)]
    public int Shoppers { get; init; } = 200;

    public override ValidationResult Validate()
    {
        var basic = base.Validate();
        if (!basic.Successful)
        {
            return basic;
        }

        foreach (var url in new[] { RedisLua, Durable, RedisLuaDurable }.OfType<string>())
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (!AllowRemote && !IsLoopback(uri)))
            {
                return ValidationResult.Error($"{url} is not a loopback http URL (add --allow-remote for another machine).");
            }
        }

        return ValidationResult.Success();
    }
}

[Description("Side by side in one run: the trivial endpoint, the FlashSale hot lot and the Redis-Lua baseline, with their ratios.")]
public sealed class BaselinesCommand : ScenarioCommand<BaselinesSettings>
{
    protected override string Title => "baselines";

    protected override Task<RunReport> RunAsync(BaselinesSettings s, IProgressSink progress, CancellationToken cancellation)
    {
        var targets = new List<BaselineTarget> { new("flashsale", s.Nodes[0], true) { Nodes = s.Nodes } };
        if (s.RedisLua is { } lua)
        {
            targets.Add(new BaselineTarget("redis-lua", new Uri(lua), false));
        }

        if (s.Durable is { } durable)
        {
            targets.Add(new BaselineTarget("flashsale-durable", new Uri(durable), true));
        }

        if (s.RedisLuaDurable is { } luaDurable)
        {
            targets.Add(new BaselineTarget("redis-lua-durable", new Uri(luaDurable), false));
        }

        return Baselines.RunAsync(new BaselinesOptions
        {
            Targets = targets,
            Concurrency = s.Concurrency,
            Duration = Seconds(s.DurationSeconds),
            WarmUp = Seconds(s.WarmUpSeconds),
            Shoppers = s.Shoppers,
            Connections = s.Connections,
        }, progress, cancellation);
    }
}

public sealed class CompareSettings : CommandSettings
{
    [CommandArgument(0, "<BEFORE>")]
    [Description("A run's JSON report.")]
    public string Before { get; init; } = "";

    [CommandArgument(1, "<AFTER>")]
    [Description("Another run's JSON report.")]
    public string After { get; init; } = "";
}

[Description("Compares two JSON reports step by step and figure by figure.")]
public sealed class CompareCommand : Command<CompareSettings>
{
    public override int Execute(CommandContext context, CompareSettings settings, CancellationToken cancellation)
    {
        var before = ReportWriter.Read(settings.Before);
        var after = ReportWriter.Read(settings.After);
        var table = new Table().Border(TableBorder.Rounded).Title($"{Markup.Escape(before.Scenario)} → {Markup.Escape(after.Scenario)}")
            .AddColumns("step / figure", "before", "after", "after ÷ before");
        foreach (var step in after.Steps)
        {
            if (before.Steps.FirstOrDefault(s => s.Name == step.Name) is not { } old)
            {
                continue;
            }

            Row(table, $"{step.Name} req/s", old.RequestsPerSecond, step.RequestsPerSecond);
            Row(table, $"{step.Name} p50 ms", old.Latency.P50, step.Latency.P50);
            Row(table, $"{step.Name} p99 ms", old.Latency.P99, step.Latency.P99);
            Row(table, $"{step.Name} failed %", old.FailedPercent, step.FailedPercent);
        }

        foreach (var (name, value) in after.Metrics)
        {
            if (before.Metrics.TryGetValue(name, out var old))
            {
                Row(table, name, old, value);
            }
        }

        AnsiConsole.Write(table);
        return ExitCodes.Passed;
    }

    private static void Row(Table table, string name, double before, double after) =>
        table.AddRow(Markup.Escape(name), F(before), F(after), before == 0 ? "" : (after / before).ToString("0.00×", System.Globalization.CultureInfo.InvariantCulture));

    private static string F(double value) => value.ToString("#,0.##", System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class RenderSettings : CommandSettings
{
    [CommandArgument(0, "<REPORT>")]
    [Description("A run's JSON report.")]
    public string Report { get; init; } = "";

    [CommandOption("--reports <DIR>")]
    [Description("Where to write the Markdown and HTML (default: beside the JSON).")]
    public string? Reports { get; init; }
}

[Description("Writes the Markdown and HTML reports again from a run's JSON (after the renderer changed, or for a run from another machine).")]
public sealed class RenderCommand : Command<RenderSettings>
{
    public override int Execute(CommandContext context, RenderSettings settings, CancellationToken cancellation)
    {
        var report = ReportWriter.Read(settings.Report);
        var directory = settings.Reports ?? Path.GetDirectoryName(Path.GetFullPath(settings.Report))!;
        foreach (var path in ReportWriter.Write(report, directory))
        {
            AnsiConsole.MarkupLineInterpolated($"[grey]{path}[/]");
        }

        return ExitCodes.Passed;
    }
}
