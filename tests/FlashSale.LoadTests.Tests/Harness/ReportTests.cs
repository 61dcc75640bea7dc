using FlashSale.LoadTests.Harness;
using FlashSale.LoadTests.Reports;

namespace FlashSale.LoadTests.Tests.Harness;

public sealed class ReportTests
{
    private static readonly RunReport Sample = new()
    {
        Scenario = "hot-lot",
        Target = "http://127.0.0.1:5080/",
        StartedAt = new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero),
        MeasuredSeconds = 10,
        Machine = new MachineInfo("test", 2, "Linux", ".NET 10", 1.5, true),
        Steps =
        [
            new StepReport("hold", 1000, 900, 90, 10, 100, 90, new LatencySummary(2, 1.5, 2, 3, 8, 20, 25),
                [new OutcomeCount("ok", OutcomeKind.Ok, 900), new OutcomeCount("sold-out", OutcomeKind.Expected, 90), new OutcomeCount("timeout", OutcomeKind.Failed, 10)],
                20_000, 300_000, [new PercentilePoint(50, 1.5), new PercentilePoint(99, 8), new PercentilePoint(100, 25)]),
        ],
        Series = [new SeriesPoint("hold", 1, 1, 0, 100, 90, 9, 1, 1.4, 7.5, 20), new SeriesPoint("hold", 2, 1, 0, 110, 100, 9, 1, 1.6, 8.5, 25)],
        Metrics = new Dictionary<string, double> { ["knee.offered_per_s"] = 2000 },
        Audit = new AuditReport(false, [new AuditCheck("sold never above quantity", false, 1, ["lot_x: sold 11 of 10 <script>"])], new Dictionary<string, long> { ["lots"] = 1 }),
        Thresholds = [new ThresholdResult("hold:p99<5ms", false, 8, "hold p99 = 8")],
    };

    [Fact]
    public void Json_round_trips_for_comparing_runs()
    {
        var directory = Directory.CreateTempSubdirectory("flashsale-report-").FullName;
        try
        {
            var paths = ReportWriter.Write(Sample, directory);
            var read = ReportWriter.Read(paths.Single(p => p.EndsWith(".json", StringComparison.Ordinal)));

            Assert.Equal(Sample.Steps.Single(), read.Steps.Single() with { Outcomes = Sample.Steps[0].Outcomes, Distribution = Sample.Steps[0].Distribution });
            Assert.Equal(Sample.Steps[0].Outcomes, read.Steps[0].Outcomes);
            Assert.Equal(2000, read.Metrics["knee.offered_per_s"]);
            Assert.False(read.AuditPassed);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Compare_and_render_read_the_json_of_earlier_runs()
    {
        var directory = Directory.CreateTempSubdirectory("flashsale-report-").FullName;
        try
        {
            var before = ReportWriter.Write(Sample, Path.Combine(directory, "before")).Single(p => p.EndsWith(".json", StringComparison.Ordinal));
            var after = ReportWriter.Write(Sample with { Metrics = new Dictionary<string, double> { ["knee.offered_per_s"] = 2400 } }, Path.Combine(directory, "after"))
                .Single(p => p.EndsWith(".json", StringComparison.Ordinal));
            File.Delete(Path.ChangeExtension(after, ".html"));

            Assert.Equal(0, await LoadTestProgram.CreateApp().RunAsync(["compare", before, after]));
            Assert.Equal(0, await LoadTestProgram.CreateApp().RunAsync(["render", after]));
            Assert.True(File.Exists(Path.ChangeExtension(after, ".html")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void The_html_page_is_self_contained_and_escapes_what_it_shows()
    {
        var html = HtmlReport.Render(Sample);

        Assert.Equal(3, html.Split("<svg").Length - 1); // throughput, latency over time, distribution
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("FAILED", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_markdown_report_has_the_step_table_and_the_outcomes_by_kind()
    {
        var markdown = MarkdownReport.Render(Sample);

        Assert.Contains("| hold | 1,000 | 100 | 900 | 90 | 10 | 1.50 | 3.00 | 8.00 | 20.00 | 25.00 |", markdown, StringComparison.Ordinal);
        Assert.Contains("sold-out 90 (expected)", markdown, StringComparison.Ordinal);
        Assert.Contains("- [ ] sold never above quantity", markdown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hold:p99<10ms", true)]
    [InlineData("hold:p99<5ms", false)]
    [InlineData("hold:p99<0.01s", true)]
    [InlineData("hold:rps>=100", true)]
    [InlineData("hold:error-rate<2%", true)]
    [InlineData("hold:error-rate<1%", false)] // 10 of 1,000 is 1%, not under it
    [InlineData("hold:error-rate<0.5%", false)]
    [InlineData("*:failed<=10", true)]
    [InlineData("metric:knee.offered_per_s>=2000", true)]
    [InlineData("metric:no.such.figure>1", false)]
    [InlineData("checkout:p99<1000ms", false)]
    public void Thresholds_judge_steps_and_figures(string rule, bool passes)
    {
        var results = Thresholds.Evaluate([rule], Sample);

        Assert.Equal(passes, results.All(r => r.Passed));
    }

    [Fact]
    public void A_threshold_that_cannot_be_read_is_refused()
    {
        Assert.Throws<FormatException>(() => Thresholds.Evaluate(["hold p99 under 5"], Sample));
        Assert.Throws<FormatException>(() => Thresholds.Evaluate(["hold:latency<5ms"], Sample));
    }
}
