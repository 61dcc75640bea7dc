using System.Globalization;
using System.Text;
using FlashSale.LoadTests.Harness;

namespace FlashSale.LoadTests.Reports;

public static class MarkdownReport
{
    public static string Render(RunReport report)
    {
        var md = new StringBuilder();
        Line(md, $"# {report.Scenario}");
        Line(md, $"");
        Line(md, $"Target `{report.Target}`, started {report.StartedAt:yyyy-MM-dd HH:mm:ss} UTC, measured {report.MeasuredSeconds:0.0} s.");
        Line(md, $"Machine: {report.Machine.Describe()}");
        Line(md, $"");
        Line(md, $"**Result: {(report.AuditPassed && report.ThresholdsPassed ? "passed" : "FAILED")}** (audit {(report.Audit is null ? "not run" : report.AuditPassed ? "passed" : "failed")}, thresholds {(report.Thresholds.Count == 0 ? "none" : report.ThresholdsPassed ? "passed" : "failed")})");
        Line(md, $"");
        if (report.Options.Count > 0)
        {
            Line(md, $"Options: {string.Join(", ", report.Options.Select(o => $"`{o.Key}={o.Value}`"))}");
            Line(md, $"");
        }

        Line(md, $"## Steps");
        Line(md, $"");
        Line(md, $"| step | requests | req/s | ok | expected | failed | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | bytes in | bytes out |");
        Line(md, $"|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var s in report.Steps)
        {
            Line(md, $"| {s.Name} | {s.Count:N0} | {s.RequestsPerSecond:N0} | {s.Ok:N0} | {s.Expected:N0} | {s.Failed:N0} | {s.Latency.P50:0.00} | {s.Latency.P90:0.00} | {s.Latency.P99:0.00} | {s.Latency.P999:0.00} | {s.Latency.Max:0.00} | {s.BytesReceived:N0} | {s.BytesSent:N0} |");
        }

        Line(md, $"");
        Line(md, $"Outcomes by kind (expected answers such as `sold-out` are business answers, not errors):");
        Line(md, $"");
        foreach (var s in report.Steps)
        {
            Line(md, $"- {s.Name}: {string.Join(", ", s.Outcomes.Select(o => $"{o.Label} {o.Count:N0} ({o.Kind.ToString().ToLowerInvariant()})"))}");
        }

        if (report.Stages.Count > 1)
        {
            Line(md, $"");
            Line(md, $"## Stages");
            Line(md, $"");
            Line(md, $"| # | load | offered/s | step | done/s | failed | p50 ms | p99 ms | max ms |");
            Line(md, $"|---:|---|---:|---|---:|---:|---:|---:|---:|");
            foreach (var stage in report.Stages)
            {
                foreach (var s in stage.Steps)
                {
                    Line(md, $"| {stage.Index + 1} | {stage.Load} | {(stage.OfferedRate is { } r ? r.ToString("N0", CultureInfo.InvariantCulture) : "")} | {s.Name} | {s.PerSecond:N0} | {s.Failed:N0} | {s.P50:0.00} | {s.P99:0.00} | {s.Max:0.00} |");
                }
            }
        }

        if (report.Metrics.Count > 0)
        {
            Line(md, $"");
            Line(md, $"## Figures");
            Line(md, $"");
            Line(md, $"| figure | value |");
            Line(md, $"|---|---:|");
            foreach (var (name, value) in report.Metrics)
            {
                Line(md, $"| {name} | {value:0.###} |");
            }
        }

        if (report.Audit is { } audit)
        {
            Line(md, $"");
            Line(md, $"## Audit: {(audit.Passed ? "passed" : "FAILED")}");
            Line(md, $"");
            foreach (var check in audit.Checks)
            {
                Line(md, $"- [{(check.Passed ? "x" : " ")}] {check.Name} ({check.Checked:N0} checked)");
                foreach (var violation in check.Violations)
                {
                    Line(md, $"  - {violation}");
                }
            }

            Line(md, $"");
            Line(md, $"{string.Join(", ", audit.Counts.Select(c => $"{c.Key}: {c.Value:N0}"))}");
        }

        if (report.Thresholds.Count > 0)
        {
            Line(md, $"");
            Line(md, $"## Thresholds");
            Line(md, $"");
            foreach (var t in report.Thresholds)
            {
                Line(md, $"- [{(t.Passed ? "x" : " ")}] `{t.Expression}`: {t.Detail}");
            }
        }

        if (report.Notes.Count > 0)
        {
            Line(md, $"");
            Line(md, $"## Notes");
            Line(md, $"");
            foreach (var note in report.Notes)
            {
                Line(md, $"- {note}");
            }
        }

        return md.ToString();
    }

    private static void Line(StringBuilder md, FormattableString text) => md.AppendLine(text.ToString(CultureInfo.InvariantCulture));
}
