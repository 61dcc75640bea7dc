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

/// <summary>
/// The machine a run measured on. <see cref="LoadBefore"/> and <see cref="LoadAfter"/> are the load
/// averages just before the run began and just after it ended (absent where the system has none).
/// </summary>
public sealed record MachineInfo(string Host, int Cores, string Os, string Runtime, double LoadAverage1m, bool ServerGc,
    LoadAverage? LoadBefore = null, LoadAverage? LoadAfter = null)
{
    /// <summary>Whether the machine was busy when the run began (1-minute load above 1.5 per core): its figures are not comparable.</summary>
    public bool Busy => LoadBefore?.IsBusy(Cores) ?? (!double.IsNaN(LoadAverage1m) && new LoadAverage(LoadAverage1m, 0, 0).IsBusy(Cores));

    public static MachineInfo Current() => new(
        Environment.MachineName, Environment.ProcessorCount, System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription, LoadAverage.Read()?.OneMinute ?? double.NaN, System.Runtime.GCSettings.IsServerGC);

    /// <summary>This machine's facts with the load taken before the run and now, after it.</summary>
    public MachineInfo Around(LoadAverage? before) =>
        this with { LoadBefore = before, LoadAfter = LoadAverage.Read(), LoadAverage1m = before?.OneMinute ?? LoadAverage1m };

    /// <summary>One line for the reports: cores, system, load before and after, and whether it was busy.</summary>
    public string Describe()
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var load = LoadBefore is null
            ? string.Create(invariant, $"load average {LoadAverage1m:0.00}")
            : string.Create(invariant, $"load average (1/5/15 min) {LoadBefore} before, {LoadAfter?.ToString() ?? "unknown"} after");
        return string.Create(invariant, $"{Cores} cores, {Os}, {Runtime}, {load}")
            + (Busy ? string.Create(invariant, $"; BUSY: the 1-minute load was above {LoadAverage.BusyPerCore} per core, so these figures do not compare with an idle machine's.") : ".");
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
