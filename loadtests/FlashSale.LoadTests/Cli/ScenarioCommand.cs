using System.Globalization;
using FlashSale.LoadTests.Harness;
using FlashSale.LoadTests.Reports;
using Spectre.Console;
using Spectre.Console.Cli;

namespace FlashSale.LoadTests.Cli;

/// <summary>The exit codes every scenario command returns.</summary>
public static class ExitCodes
{
    public const int Passed = 0;
    public const int ThresholdFailed = 1;
    public const int AuditFailed = 2;
    public const int RunFailed = 3;
}

/// <summary>
/// Runs a scenario under a hard time bound, with live progress, then evaluates thresholds, writes
/// the reports and prints the final tables. Exit code: 0 passed, 1 a threshold failed, 2 the audit
/// failed, 3 the run itself failed (the target was unreachable, setup was refused).
/// </summary>
public abstract class ScenarioCommand<TSettings> : AsyncCommand<TSettings>
    where TSettings : RunSettings
{
    protected abstract string Title { get; }

    protected abstract Task<RunReport> RunAsync(TSettings settings, IProgressSink progress, CancellationToken cancellation);

    public override async Task<int> ExecuteAsync(CommandContext context, TSettings settings, CancellationToken cancellation)
    {
        var console = AnsiConsole.Console;
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        bound.CancelAfter(TimeSpan.FromSeconds(settings.MaxRunSeconds));
        RunReport report;
        var loadBefore = LoadAverage.Read();
        var live = settings.Quiet ? null : new ConsoleProgress(console, Title);
        try
        {
            report = await RunAsync(settings, (IProgressSink?)live ?? SilentProgress.Instance, bound.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or OperationCanceledException or TimeoutException)
        {
            if (live is not null)
            {
                await live.DisposeAsync();
                live = null;
            }

            console.MarkupLineInterpolated($"[red]The run failed:[/] {ex.Message}");
            return ExitCodes.RunFailed;
        }
        finally
        {
            if (live is not null)
            {
                await live.DisposeAsync();
            }
        }

        report = report with { Machine = report.Machine.Around(loadBefore) };
        if (settings.Label is { } label)
        {
            report = report with { Options = new Dictionary<string, string>(report.Options, StringComparer.Ordinal) { ["label"] = label } };
        }

        report = report with { Thresholds = Harness.Thresholds.Evaluate(settings.Thresholds, report) };
        var directory = settings.Reports ?? Path.Combine("loadtest-reports", $"{TimeProvider.System.GetLocalNow():yyyyMMdd-HHmmss}-{report.Scenario}");
        var paths = ReportWriter.Write(report, directory);
        ConsoleTables.Print(console, report);
        console.MarkupLineInterpolated($"[grey]Reports: {string.Join("  ", paths)}[/]");
        return !report.AuditPassed ? ExitCodes.AuditFailed : !report.ThresholdsPassed ? ExitCodes.ThresholdFailed : ExitCodes.Passed;
    }

    protected static TimeSpan Seconds(double seconds) => TimeSpan.FromSeconds(seconds);
}

/// <summary>The final tables in the console.</summary>
public static class ConsoleTables
{
    public static void Print(IAnsiConsole console, RunReport report)
    {
        var steps = new Table().Border(TableBorder.Rounded).Title($"{report.Scenario}: {report.MeasuredSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s measured against {Markup.Escape(report.Target)}");
        steps.AddColumns("step", "req/s", "ok", "expected", "failed", "p50", "p90", "p99", "p99.9", "max", "bytes in");
        foreach (var s in report.Steps)
        {
            steps.AddRow(
                Markup.Escape(s.Name), N(s.RequestsPerSecond), N(s.Ok), $"[yellow]{N(s.Expected)}[/]", s.Failed > 0 ? $"[red]{N(s.Failed)}[/]" : "0",
                Ms(s.Latency.P50), Ms(s.Latency.P90), Ms(s.Latency.P99), Ms(s.Latency.P999), Ms(s.Latency.Max), N(s.BytesReceived));
        }

        console.Write(steps);
        foreach (var s in report.Steps.Where(s => s.Outcomes.Count > 0))
        {
            console.MarkupLine($"  {Markup.Escape(s.Name)}: " + string.Join(", ", s.Outcomes.Select(o =>
                $"[{(o.Kind == OutcomeKind.Ok ? "green" : o.Kind == OutcomeKind.Expected ? "yellow" : "red")}]{Markup.Escape(o.Label)} {N(o.Count)}[/]")));
        }

        if (report.Stages.Count > 1)
        {
            var stages = new Table().Border(TableBorder.Rounded).Title("stages");
            stages.AddColumns("#", "load", "step", "done/s", "failed", "p50", "p99", "max");
            foreach (var stage in report.Stages)
            {
                foreach (var s in stage.Steps)
                {
                    stages.AddRow((stage.Index + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(stage.Load), Markup.Escape(s.Name), N(s.PerSecond), N(s.Failed), Ms(s.P50), Ms(s.P99), Ms(s.Max));
                }
            }

            console.Write(stages);
        }

        if (report.Metrics.Count > 0)
        {
            var figures = new Table().Border(TableBorder.Rounded).Title("figures").AddColumns("figure", "value");
            foreach (var (name, value) in report.Metrics)
            {
                figures.AddRow(Markup.Escape(name), value.ToString("#,0.###", CultureInfo.InvariantCulture));
            }

            console.Write(figures);
        }

        foreach (var note in report.Notes)
        {
            console.MarkupLineInterpolated($"[grey]· {note}[/]");
        }

        if (report.Audit is { } audit)
        {
            console.MarkupLine(audit.Passed ? "[green]Audit passed[/]" : "[red]Audit FAILED[/]");
            foreach (var check in audit.Checks)
            {
                console.MarkupLineInterpolated($"  {(check.Passed ? "✔" : "✘")} {check.Name} ({check.Checked:N0} checked)");
                foreach (var violation in check.Violations)
                {
                    console.MarkupLineInterpolated($"      [red]{violation}[/]");
                }
            }

            console.MarkupLineInterpolated($"  [grey]{string.Join(", ", audit.Counts.Select(c => $"{c.Key}: {c.Value:N0}"))}[/]");
        }

        foreach (var t in report.Thresholds)
        {
            console.MarkupLineInterpolated($"{(t.Passed ? "✔" : "✘")} threshold {t.Expression}: {t.Detail}");
        }
    }

    private static string N(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Ms(double value) => value.ToString("0.00", CultureInfo.InvariantCulture) + " ms";
}
