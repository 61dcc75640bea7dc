using System.Text.Json;
using FlashSale.LoadTests.Cli;
using FlashSale.LoadTests.Reports;
using FlashSale.LoadTests.Tests.Infrastructure;

namespace FlashSale.LoadTests.Tests.Scenarios;

/// <summary>The command line as an engineer runs it: exit codes, thresholds and the reports it writes.</summary>
[Collection(LoadTargetsCollection.Name)]
public sealed class CommandLineTests(KestrelApi api) : IDisposable
{
    private readonly string _reports = Directory.CreateTempSubdirectory("flashsale-loadtest-reports-").FullName;

    [Fact]
    public async Task A_failed_threshold_exits_1_and_the_reports_are_written()
    {
        var exit = await LoadTestProgram.CreateApp().RunAsync(
        [
            "hot-lot", "--url", api.Url.ToString(), "--mode", "closed", "--concurrency", "4", "--duration", "1", "--warm-up", "0",
            "--shoppers", "10", "--quiet", "--reports", _reports,
            "--threshold", "hold:rps>1000000000", // no server answers a billion holds a second
            "--threshold", "*:error-rate<100%",
        ]);

        Assert.Equal(ExitCodes.ThresholdFailed, exit);
        var report = ReportWriter.Read(Path.Combine(_reports, "hot-lot.json"));
        Assert.Equal([false, true], report.Thresholds.Select(t => t.Passed).Distinct().Order());
        Assert.True(report.AuditPassed);
        var html = await File.ReadAllTextAsync(Path.Combine(_reports, "hot-lot.html"));
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal);
        Assert.Contains("| hold |", await File.ReadAllTextAsync(Path.Combine(_reports, "hot-lot.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_that_meets_its_thresholds_exits_0()
    {
        var exit = await LoadTestProgram.CreateApp().RunAsync(
        [
            "opening-surge", "--url", api.Url.ToString(), "--shoppers", "50", "--quantity", "10", "--arrival", "0.5",
            "--quiet", "--reports", _reports, "--threshold", "hold:count>=50", "--threshold", "metric:lot.sold<=10",
        ]);

        Assert.Equal(ExitCodes.Passed, exit);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_reports, "opening-surge.json")));
        Assert.True(json.RootElement.GetProperty("audit").GetProperty("passed").GetBoolean());
    }

    [Fact]
    public async Task Several_nodes_in_url_share_the_load_and_the_report_names_them_all()
    {
        var node = api.Url.ToString().TrimEnd('/');
        var exit = await LoadTestProgram.CreateApp().RunAsync(
        [
            "hot-lot", "--url", $"{node}, {node}/", "--mode", "closed", "--concurrency", "4", "--duration", "1", "--warm-up", "0",
            "--shoppers", "10", "--quiet", "--reports", _reports,
        ]);

        Assert.Equal(0, exit);
        var report = ReportWriter.Read(Path.Combine(_reports, "hot-lot.json"));
        Assert.True(report.AuditPassed);
        Assert.Equal($"{api.Url}, {api.Url}", report.Target);
    }

    [Fact]
    public async Task A_target_off_this_machine_is_refused_without_allow_remote()
    {
        var exit = await LoadTestProgram.CreateApp().RunAsync(["hot-lot", "--url", "http://192.0.2.10:5080", "--quiet"]);

        Assert.NotEqual(ExitCodes.Passed, exit);
    }

    [Fact]
    public async Task A_threshold_that_cannot_be_read_is_refused_before_any_load()
    {
        var exit = await LoadTestProgram.CreateApp().RunAsync(["hot-lot", "--url", api.Url.ToString(), "--quiet", "--reports", _reports, "--threshold", "hold p99 under 5"]);

        Assert.NotEqual(ExitCodes.Passed, exit);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_reports));
    }

    [Theory]
    [InlineData("--watchers", "-1")]
    [InlineData("--lots", "0")]
    public async Task A_marketplace_with_negative_watchers_or_no_lots_is_refused_before_any_load(string option, string value)
    {
        var exit = await LoadTestProgram.CreateApp().RunAsync(["marketplace", "--url", api.Url.ToString(), "--quiet", "--reports", _reports, option, value]);

        Assert.NotEqual(ExitCodes.Passed, exit);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_reports));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("21")]
    public async Task An_opening_surge_with_checkout_attempts_out_of_range_is_refused_before_any_load(string attempts)
    {
        var exit = await LoadTestProgram.CreateApp().RunAsync(["opening-surge", "--url", api.Url.ToString(), "--quiet", "--reports", _reports, "--checkout-attempts", attempts]);

        Assert.NotEqual(ExitCodes.Passed, exit);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_reports));
    }

    public void Dispose() => Directory.Delete(_reports, recursive: true);
}
