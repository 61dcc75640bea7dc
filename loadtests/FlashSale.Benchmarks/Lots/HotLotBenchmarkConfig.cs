using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Mathematics.OutlierDetection;

namespace FlashSale.Benchmarks.Lots;

/// <summary>
/// A short, in-process run: a few minutes in all on a 2-core machine.
/// </summary>
public sealed class HotLotBenchmarkConfig : ManualConfig
{
    public HotLotBenchmarkConfig()
    {
        AddJob(Job.Default
            .WithId("InProcess")
            // In process, so that BenchmarkDotNet does not generate and build a project of its
            // own (which would rebuild the referenced projects outside --artifacts-path, beside
            // other builds of this solution), and so the journal columns can read the counters.
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(10)
            // One invocation is already a thousand grain calls; the default unroll of 16 would
            // only stretch each iteration.
            .WithUnrollFactor(1)
            // A journal snapshot lands in one iteration now and then. It is part of the cost per
            // hold (amortized by design), so slow iterations are kept, not dropped as outliers.
            .WithOutlierMode(OutlierMode.DontRemove)
            // The process runs with the server GC (see the project file); the job says so too,
            // or the in-process validator would refuse it.
            .WithGcServer(true));

        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(CategoriesColumn.Default);

        // The machines this runs on are shared: other builds steal CPU in bursts, which inflates
        // the mean. The median and the fastest iteration show what the lot costs when left alone.
        AddColumn(StatisticColumn.Median, StatisticColumn.Min);
        AddColumn(HotLotActivityColumn.All);

        // Each category (concurrent, sequential) has its own baseline at 100 live holds, so the
        // Ratio column reads "time per hold at 100,000 live holds ÷ time per hold at 100".
        AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory);
    }
}
