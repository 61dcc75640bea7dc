using System.Diagnostics;
using FlashSale.LoadTests.Harness;
using FlashSale.LoadTests.Reports;

namespace FlashSale.LoadTests.Tests.Harness;

/// <summary>
/// The load average the reports carry, and the refusal of loadtests/run-benchmarks.sh on a busy
/// machine (run through bash with a stand-in /proc/loadavg, so it never builds or starts anything).
/// </summary>
public sealed class LoadAverageTests
{
    [Fact]
    public void A_proc_loadavg_line_gives_its_three_averages()
    {
        Assert.Equal(new LoadAverage(0.52, 1.25, 3), LoadAverage.Parse("0.52 1.25 3.00 2/734 91823\n"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0.52 1.25")]
    [InlineData("0,52 1,25 3,00 2/734 91823")]
    [InlineData("-1 0 0 1/1 1")]
    [InlineData("busy busy busy")]
    public void Anything_else_is_no_load_average(string line) => Assert.Null(LoadAverage.Parse(line));

    [Theory]
    [InlineData(3.0, 2, false)] // exactly 1.5 per core is not yet busy
    [InlineData(3.01, 2, true)]
    [InlineData(1.4, 1, false)]
    [InlineData(1.6, 1, true)]
    [InlineData(11.9, 8, false)]
    public void Busy_means_a_one_minute_load_above_one_and_a_half_per_core(double oneMinute, int cores, bool busy) =>
        Assert.Equal(busy, new LoadAverage(oneMinute, 0, 0).IsBusy(cores));

    [Fact]
    public void The_reports_carry_the_load_before_and_after_and_say_when_the_machine_was_busy()
    {
        var busy = Report(new LoadAverage(9.5, 4, 2), new LoadAverage(10.1, 5, 2));
        var idle = Report(new LoadAverage(0.3, 0.2, 0.1), new LoadAverage(1.9, 0.6, 0.2));

        Assert.True(busy.Machine.Busy);
        Assert.False(idle.Machine.Busy);
        Assert.Contains("load average (1/5/15 min) 9.50 4.00 2.00 before, 10.10 5.00 2.00 after; BUSY", MarkdownReport.Render(busy), StringComparison.Ordinal);
        Assert.Contains("BUSY", HtmlReport.Render(busy), StringComparison.Ordinal);
        Assert.DoesNotContain("BUSY", MarkdownReport.Render(idle), StringComparison.Ordinal);
        Assert.Contains("0.30 0.20 0.10 before, 1.90 0.60 0.20 after.", MarkdownReport.Render(idle), StringComparison.Ordinal);

        var directory = Directory.CreateTempSubdirectory("flashsale-load-").FullName;
        try
        {
            var json = ReportWriter.Write(busy, directory).Single(p => p.EndsWith(".json", StringComparison.Ordinal));
            var read = ReportWriter.Read(json);
            Assert.Equal(busy.Machine.LoadBefore, read.Machine.LoadBefore);
            Assert.Equal(busy.Machine.LoadAfter, read.Machine.LoadAfter);
            Assert.True(read.Machine.Busy);
            Assert.Contains("\"busy\": true", File.ReadAllText(json), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("3.01 1.00 0.50 1/100 200", "2", "", 4)]
    [InlineData("0.40 0.30 0.20 1/100 200", "2", "", 0)]
    [InlineData("3.01 1.00 0.50 1/100 200", "2", "--busy-ok", 0)]
    [InlineData("1.60 0.10 0.10 1/100 200", "1", "", 4)]
    public async Task The_benchmark_script_refuses_a_busy_machine_unless_told_busy_ok(string loadavg, string cores, string flag, int exitCode)
    {
        var (code, output) = await CheckMachine(loadavg, cores, flag);

        Assert.True(exitCode == code, output);
        Assert.Contains(loadavg[..14], output, StringComparison.Ordinal);
        if (exitCode != 0)
        {
            Assert.Contains("refusing to benchmark", output, StringComparison.Ordinal);
        }
        else if (flag == "--busy-ok")
        {
            Assert.Contains("BUSY", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_benchmark_script_itself_stops_on_a_busy_machine_before_building_anything()
    {
        var root = RepositoryRoot();
        var loadavg = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(loadavg, "40.00 30.00 20.00 9/900 12345\n");
            var (code, output) = await Bash(root, "loadtests/run-benchmarks.sh opening-surge", loadavg, "2");

            Assert.True(code == 4, output);
            Assert.Contains("refusing to benchmark: load average 40.00 30.00 20.00 on 2 cores", output, StringComparison.Ordinal);
            Assert.DoesNotContain("building", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(loadavg);
        }
    }

    private static RunReport Report(LoadAverage before, LoadAverage after) => new()
    {
        Scenario = "opening-surge",
        Target = "http://127.0.0.1:5080/",
        StartedAt = new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero),
        MeasuredSeconds = 2,
        Machine = new MachineInfo("test", 2, "Linux", ".NET 10", before.OneMinute, true, before, after),
    };

    /// <summary>Sources the script's helper and runs the same check it runs at start.</summary>
    private static async Task<(int Code, string Output)> CheckMachine(string loadavg, string cores, string flag)
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, loadavg + "\n");
            var busyOk = flag == "--busy-ok" ? "true" : "false";
            return await Bash(RepositoryRoot(), $"source loadtests/load-average.sh && check_machine_idle {busyOk} || exit 4", file, cores);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<(int Code, string Output)> Bash(string root, string script, string loadavgFile, string cores)
    {
        var start = new ProcessStartInfo("bash", ["-c", script])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["BENCH_LOADAVG_FILE"] = loadavgFile;
        start.Environment["BENCH_CORES"] = cores;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(bound.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string RepositoryRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "FlashSale.sln")))
        {
            root = root.Parent;
        }

        return root?.FullName ?? throw new InvalidOperationException("FlashSale.sln was not found above the test output.");
    }
}
