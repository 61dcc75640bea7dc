using System.Globalization;
using System.Net;
using System.Text;
using FlashSale.LoadTests.Harness;

namespace FlashSale.LoadTests.Reports;

/// <summary>
/// One HTML file with everything inline (no script, no stylesheet, no font from elsewhere): the
/// tables of the Markdown report and SVG charts of throughput and latency over time and of the
/// latency distribution, so the page opens from a CI artifact or an e-mail as it is.
/// </summary>
public static class HtmlReport
{
    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"];

    public static string Render(RunReport report)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(E(report.Scenario)).Append(" · FlashSale load test</title><style>")
            .Append("body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:1100px}table{border-collapse:collapse;margin:1rem 0}")
            .Append("td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:right}td:first-child,th:first-child{text-align:left}")
            .Append(".pass{color:#2a7d2a}.fail{color:#b00020;font-weight:bold}svg{background:#fafafa;border:1px solid #ddd;margin:.5rem 0}")
            .Append("</style></head><body>");
        html.Append("<h1>").Append(E(report.Scenario)).Append("</h1>");
        html.Append(F($"<p>Target <code>{E(report.Target)}</code>, started {report.StartedAt:yyyy-MM-dd HH:mm:ss} UTC, measured {report.MeasuredSeconds:0.0} s. ")
            + E(report.Machine.Describe()) + "</p>");
        var passed = report.AuditPassed && report.ThresholdsPassed;
        html.Append("<p class=\"").Append(passed ? "pass" : "fail").Append("\">Result: ").Append(passed ? "passed" : "FAILED").Append("</p>");

        html.Append("<h2>Steps</h2><table><tr><th>step</th><th>requests</th><th>req/s</th><th>ok</th><th>expected</th><th>failed</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th><th>p99.9 ms</th><th>max ms</th><th>bytes in</th></tr>");
        foreach (var s in report.Steps)
        {
            html.Append(F($"<tr><td>{E(s.Name)}</td><td>{s.Count:N0}</td><td>{s.RequestsPerSecond:N0}</td><td>{s.Ok:N0}</td><td>{s.Expected:N0}</td><td>{s.Failed:N0}</td><td>{s.Latency.P50:0.00}</td><td>{s.Latency.P90:0.00}</td><td>{s.Latency.P99:0.00}</td><td>{s.Latency.P999:0.00}</td><td>{s.Latency.Max:0.00}</td><td>{s.BytesReceived:N0}</td></tr>"));
        }

        html.Append("</table><ul>");
        foreach (var s in report.Steps)
        {
            html.Append("<li>").Append(E(s.Name)).Append(": ")
                .Append(E(string.Join(", ", s.Outcomes.Select(o => F($"{o.Label} {o.Count:N0} ({o.Kind.ToString().ToLowerInvariant()})")))))
                .Append("</li>");
        }

        html.Append("</ul>");

        var steps = report.Steps.Select(s => s.Name).ToList();
        var counted = steps.Concat(report.Series.Select(p => p.Step)).Distinct(StringComparer.Ordinal).ToList(); // e.g. the watchers' stock messages
        html.Append("<h2>Throughput over time</h2>");
        html.Append(LineChart("per second", "s", counted.Select(step => (step, report.Series.Where(p => p.Step == step && p.Seconds > 0).Select(p => (p.AtSeconds, p.Count / p.Seconds)).ToList())).ToList()));
        html.Append("<h2>Latency over time</h2>");
        html.Append(LineChart("ms (solid p50, dashed p99)", "s",
            steps.SelectMany(step => new[]
            {
                (step + " p50", report.Series.Where(p => p.Step == step && p.Count > 0).Select(p => (p.AtSeconds, p.P50)).ToList()),
                (step + " p99", report.Series.Where(p => p.Step == step && p.Count > 0).Select(p => (p.AtSeconds, p.P99)).ToList()),
            }).ToList(), dashedEverySecond: true));
        html.Append("<h2>Latency distribution</h2>");
        html.Append(DistributionChart(report.Steps));

        if (report.Stages.Count > 1)
        {
            html.Append("<h2>Stages</h2><table><tr><th>#</th><th>load</th><th>offered/s</th><th>step</th><th>done/s</th><th>failed</th><th>p50 ms</th><th>p99 ms</th><th>max ms</th></tr>");
            foreach (var stage in report.Stages)
            {
                foreach (var s in stage.Steps)
                {
                    html.Append(F($"<tr><td>{stage.Index + 1}</td><td>{E(stage.Load)}</td><td>{(stage.OfferedRate is { } r ? r.ToString("N0", CultureInfo.InvariantCulture) : "")}</td><td>{E(s.Name)}</td><td>{s.PerSecond:N0}</td><td>{s.Failed:N0}</td><td>{s.P50:0.00}</td><td>{s.P99:0.00}</td><td>{s.Max:0.00}</td></tr>"));
                }
            }

            html.Append("</table>");
        }

        if (report.Metrics.Count > 0)
        {
            html.Append("<h2>Figures</h2><table><tr><th>figure</th><th>value</th></tr>");
            foreach (var (name, value) in report.Metrics)
            {
                html.Append(F($"<tr><td>{E(name)}</td><td>{value:0.###}</td></tr>"));
            }

            html.Append("</table>");
        }

        if (report.Audit is { } audit)
        {
            html.Append("<h2>Audit: <span class=\"").Append(audit.Passed ? "pass\">passed" : "fail\">FAILED").Append("</span></h2><ul>");
            foreach (var check in audit.Checks)
            {
                html.Append("<li class=\"").Append(check.Passed ? "pass" : "fail").Append("\">").Append(check.Passed ? "✔ " : "✘ ")
                    .Append(E(check.Name)).Append(F($" ({check.Checked:N0} checked)"));
                if (check.Violations.Count > 0)
                {
                    html.Append("<ul>").Append(string.Concat(check.Violations.Select(v => "<li>" + E(v) + "</li>"))).Append("</ul>");
                }

                html.Append("</li>");
            }

            html.Append("</ul><p>").Append(E(string.Join(", ", audit.Counts.Select(c => F($"{c.Key}: {c.Value:N0}"))))).Append("</p>");
        }

        if (report.Thresholds.Count > 0)
        {
            html.Append("<h2>Thresholds</h2><ul>");
            foreach (var t in report.Thresholds)
            {
                html.Append("<li class=\"").Append(t.Passed ? "pass" : "fail").Append("\"><code>").Append(E(t.Expression)).Append("</code>: ").Append(E(t.Detail)).Append("</li>");
            }

            html.Append("</ul>");
        }

        if (report.Notes.Count > 0)
        {
            html.Append("<h2>Notes</h2><ul>").Append(string.Concat(report.Notes.Select(n => "<li>" + E(n) + "</li>"))).Append("</ul>");
        }

        if (report.Options.Count > 0)
        {
            html.Append("<h2>Options</h2><p>").Append(E(string.Join(", ", report.Options.Select(o => o.Key + "=" + o.Value)))).Append("</p>");
        }

        return html.Append("</body></html>").ToString();
    }

    private static string LineChart(string yLabel, string xUnit, IReadOnlyList<(string Name, List<(double X, double Y)> Points)> series, bool dashedEverySecond = false)
    {
        const double width = 960, height = 300, left = 70, right = 220, top = 15, bottom = 35;
        var all = series.SelectMany(s => s.Points).ToList();
        if (all.Count == 0)
        {
            return "<p>(no data)</p>";
        }

        var maxX = Math.Max(all.Max(p => p.X), 1);
        var maxY = NiceCeiling(all.Max(p => p.Y));
        double Px(double x) => left + ((width - left - right) * x / maxX);
        double Py(double y) => height - bottom - ((height - top - bottom) * y / maxY);
        var svg = new StringBuilder(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-size=\"11\">"));
        Axes(svg, width, height, left, right, top, bottom, maxX, maxY, yLabel, xUnit, Px, Py);
        for (var i = 0; i < series.Count; i++)
        {
            var (name, points) = series[i];
            var color = Palette[(dashedEverySecond ? i / 2 : i) % Palette.Length];
            var dash = dashedEverySecond && i % 2 == 1 ? " stroke-dasharray=\"5,3\"" : "";
            svg.Append(F($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.8\"{dash} points=\""))
                .Append(string.Join(" ", points.Select(p => F($"{Px(p.X):0.#},{Py(p.Y):0.#}"))))
                .Append("\"/>");
            svg.Append(F($"<line x1=\"{width - right + 10}\" y1=\"{top + 8 + (i * 16)}\" x2=\"{width - right + 30}\" y2=\"{top + 8 + (i * 16)}\" stroke=\"{color}\" stroke-width=\"2\"{dash}/>"))
                .Append(F($"<text x=\"{width - right + 35}\" y=\"{top + 12 + (i * 16)}\">{E(name)}</text>"));
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>Latency by percentile, the x axis spaced by the number of nines (50, 90, 99, 99.9…), as HdrHistogram plots do.</summary>
    private static string DistributionChart(IReadOnlyList<StepReport> steps)
    {
        const double width = 960, height = 300, left = 70, right = 220, top = 15, bottom = 35;
        var withData = steps.Where(s => s.Distribution.Count > 0).ToList();
        if (withData.Count == 0)
        {
            return "<p>(no data)</p>";
        }

        static double Nines(double percentile) => -Math.Log10(Math.Max(1e-5, 1 - (percentile / 100)));
        var maxX = Nines(99.999);
        var maxY = NiceCeiling(withData.Max(s => s.Distribution.Max(p => p.Milliseconds)));
        double Px(double x) => left + ((width - left - right) * Math.Min(x, maxX) / maxX);
        double Py(double y) => height - bottom - ((height - top - bottom) * y / maxY);
        var svg = new StringBuilder(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-size=\"11\">"));
        svg.Append(F($"<line x1=\"{left}\" y1=\"{height - bottom}\" x2=\"{width - right}\" y2=\"{height - bottom}\" stroke=\"#444\"/><line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{height - bottom}\" stroke=\"#444\"/>"));
        foreach (var p in new[] { 0.0, 50, 90, 99, 99.9, 99.99 })
        {
            svg.Append(F($"<text x=\"{Px(Nines(p)):0.#}\" y=\"{height - bottom + 15}\" text-anchor=\"middle\">p{p}</text>"));
        }

        for (var i = 0; i <= 4; i++)
        {
            var y = maxY * i / 4;
            svg.Append(F($"<text x=\"{left - 5}\" y=\"{Py(y) + 4:0.#}\" text-anchor=\"end\">{y:0.##}</text><line x1=\"{left}\" y1=\"{Py(y):0.#}\" x2=\"{width - right}\" y2=\"{Py(y):0.#}\" stroke=\"#e4e4e4\"/>"));
        }

        svg.Append(F($"<text x=\"12\" y=\"{top + 10}\">ms</text>"));
        for (var i = 0; i < withData.Count; i++)
        {
            var color = Palette[i % Palette.Length];
            svg.Append(F($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.8\" points=\""))
                .Append(string.Join(" ", withData[i].Distribution.Where(p => p.Percentile < 100).Select(p => F($"{Px(Nines(p.Percentile)):0.#},{Py(p.Milliseconds):0.#}"))))
                .Append("\"/>");
            svg.Append(F($"<line x1=\"{width - right + 10}\" y1=\"{top + 8 + (i * 16)}\" x2=\"{width - right + 30}\" y2=\"{top + 8 + (i * 16)}\" stroke=\"{color}\" stroke-width=\"2\"/>"))
                .Append(F($"<text x=\"{width - right + 35}\" y=\"{top + 12 + (i * 16)}\">{E(withData[i].Name)}</text>"));
        }

        return svg.Append("</svg>").ToString();
    }

    private static void Axes(StringBuilder svg, double width, double height, double left, double right, double top, double bottom, double maxX, double maxY, string yLabel, string xUnit, Func<double, double> px, Func<double, double> py)
    {
        svg.Append(F($"<line x1=\"{left}\" y1=\"{height - bottom}\" x2=\"{width - right}\" y2=\"{height - bottom}\" stroke=\"#444\"/><line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{height - bottom}\" stroke=\"#444\"/>"));
        for (var i = 0; i <= 4; i++)
        {
            var y = maxY * i / 4;
            svg.Append(F($"<text x=\"{left - 5}\" y=\"{py(y) + 4:0.#}\" text-anchor=\"end\">{y:#,0.##}</text><line x1=\"{left}\" y1=\"{py(y):0.#}\" x2=\"{width - right}\" y2=\"{py(y):0.#}\" stroke=\"#e4e4e4\"/>"));
            var x = maxX * i / 4;
            svg.Append(F($"<text x=\"{px(x):0.#}\" y=\"{height - bottom + 15}\" text-anchor=\"middle\">{x:0.#} {xUnit}</text>"));
        }

        svg.Append(F($"<text x=\"12\" y=\"{top + 10}\">{E(yLabel)}</text>"));
    }

    private static double NiceCeiling(double value)
    {
        if (value <= 0 || double.IsNaN(value))
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        return new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(v => v >= value);
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
