using System.Collections.Concurrent;
using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace FlashSale.Benchmarks.Lots;

/// <summary>
/// Summary columns from the lot's journal counters over a case. The benchmarks run in process,
/// so what a case's cleanup recorded is still here when the summary is drawn; run out of
/// process, these columns would show "?". Every call measured here writes exactly one event,
/// so "per event" is also "per call". Cases are told apart by method and journal.
/// </summary>
public sealed class HotLotActivityColumn : IColumn
{
    private static readonly ConcurrentDictionary<string, JournalActivity> ActivityByCase = new(StringComparer.Ordinal);

    private readonly Func<JournalActivity, string> _format;

    private HotLotActivityColumn(string name, string legend, Func<JournalActivity, string> format)
    {
        ColumnName = name;
        Legend = legend;
        _format = format;
    }

    public static IColumn[] All { get; } =
    [
        new HotLotActivityColumn("Events/write", "Events carried by one journal append (group commit batches changes decided while a write is in flight)", a => a.EventsPerAppend.ToString("0.0", CultureInfo.InvariantCulture)),
        new HotLotActivityColumn("Journal µs/event", "Time inside journal appends (serialization, snapshots included) per event written", a => a.AppendMicrosecondsPerEvent.ToString("0.00", CultureInfo.InvariantCulture)),
        new HotLotActivityColumn("Snapshot µs/event", "The part of Journal µs/event spent writing snapshots (amortized compaction)", a => a.SnapshotMicrosecondsPerEvent.ToString("0.00", CultureInfo.InvariantCulture)),
        new HotLotActivityColumn("Snapshots", "Journal compactions during the case, with their average size in holds", a => a.Snapshots == 0 ? "0" : string.Create(CultureInfo.InvariantCulture, $"{a.Snapshots} × {a.HoldsPerSnapshot:0} holds")),
    ];

    public string Id => nameof(HotLotActivityColumn) + "." + ColumnName;

    public string ColumnName { get; }

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend { get; }

    /// <summary>Keeps what the journal did during one case (a benchmark method with one journal).</summary>
    public static void Record(string benchmarkMethod, LotJournalUnderTest journal, JournalActivity activity) =>
        ActivityByCase[CaseKey(benchmarkMethod, journal)] = activity;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        benchmarkCase.Parameters[nameof(HotLotHoldBenchmarks.Journal)] is LotJournalUnderTest journal
        && ActivityByCase.TryGetValue(CaseKey(benchmarkCase.Descriptor.WorkloadMethod.Name, journal), out var activity)
            ? _format(activity)
            : "?";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    public override string ToString() => ColumnName;

    private static string CaseKey(string benchmarkMethod, LotJournalUnderTest journal) => $"{benchmarkMethod}/{journal}";
}
