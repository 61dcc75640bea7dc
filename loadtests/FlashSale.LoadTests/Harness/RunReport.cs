namespace FlashSale.LoadTests.Harness;

/// <summary>
/// Everything a run measured, as written to JSON for comparing runs, and rendered to Markdown
/// and HTML. Latencies are in milliseconds; rates per second of the measured time.
/// </summary>
public sealed record RunReport
{
    public required string Scenario { get; init; }

    public required string Target { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required double MeasuredSeconds { get; init; }

    public required MachineInfo Machine { get; init; }

    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<StepReport> Steps { get; init; } = [];

    public IReadOnlyList<StageReport> Stages { get; init; } = [];

    public IReadOnlyList<SeriesPoint> Series { get; init; } = [];

    /// <summary>Scenario-specific figures: the knee, staleness percentiles, ratios between targets.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    public IReadOnlyList<string> Notes { get; init; } = [];

    public AuditReport? Audit { get; init; }

    public IReadOnlyList<ThresholdResult> Thresholds { get; init; } = [];

    public bool AuditPassed => Audit is null || Audit.Passed;

    public bool ThresholdsPassed => Thresholds.All(t => t.Passed);
}

public sealed record MachineInfo(string Host, int Cores, string Os, string Runtime, double LoadAverage1m, bool ServerGc)
{
    public static MachineInfo Current() => new(
        Environment.MachineName, Environment.ProcessorCount, System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription, ReadLoadAverage(), System.Runtime.GCSettings.IsServerGC);

    /// <summary>The 1-minute load average at the start: on a shared machine it says how much else was running.</summary>
    private static double ReadLoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return double.NaN;
        }
    }
}

public sealed record LatencySummary(double Mean, double P50, double P75, double P90, double P99, double P999, double Max);

public sealed record OutcomeCount(string Label, OutcomeKind Kind, long Count);

/// <summary>One point of the latency distribution: the latency at this percentile.</summary>
public sealed record PercentilePoint(double Percentile, double Milliseconds);

public sealed record StepReport(
    string Name,
    long Count,
    long Ok,
    long Expected,
    long Failed,
    double RequestsPerSecond,
    double OkPerSecond,
    LatencySummary Latency,
    IReadOnlyList<OutcomeCount> Outcomes,
    long BytesSent,
    long BytesReceived,
    IReadOnlyList<PercentilePoint> Distribution)
{
    public double FailedPercent => Count == 0 ? 0 : 100.0 * Failed / Count;
}

/// <summary>One load phase: what was offered and what came of it, per step.</summary>
public sealed record StageReport(int Index, string Load, double? OfferedRate, int? Copies, double Seconds, IReadOnlyList<StageStep> Steps);

public sealed record StageStep(string Name, long Count, long Failed, double PerSecond, double P50, double P99, double Max);

/// <summary>One sampling interval (about a second) of one step.</summary>
public sealed record SeriesPoint(string Step, double AtSeconds, double Seconds, int Stage, long Count, long Ok, long Expected, long Failed, double P50, double P99, double Max);

public sealed record ThresholdResult(string Expression, bool Passed, double Actual, string Detail);

public sealed record AuditReport(bool Passed, IReadOnlyList<AuditCheck> Checks, IReadOnlyDictionary<string, long> Counts);

public sealed record AuditCheck(string Name, bool Passed, long Checked, IReadOnlyList<string> Violations);
