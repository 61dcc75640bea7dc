using HdrHistogram;
using FlashSale.LoadTests.Harness;

namespace FlashSale.LoadTests.Tests.Harness;

/// <summary>
/// The step recorder under the load it meets in a run: many threads recording while the sampler
/// takes intervals. A recorder whose histograms take only one writer loses counts here, and its
/// interval histograms throw from their enumerator (the CI flake of RunnerTests).
/// </summary>
public sealed class StepRecorderTests
{
    [Fact]
    public async Task Many_writers_and_a_sampler_lose_no_latency_and_never_throw()
    {
        const int writers = 8;
        const int recordsPerWriter = 200_000;
        var recorder = new StepRecorder("hold", 1);
        using var start = new Barrier(writers + 1);

        var writing = Enumerable.Range(0, writers).Select(w => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                for (var i = 0; i < recordsPerWriter; i++)
                {
                    // Values spread over many buckets, so writers collide on counts and on totals.
                    recorder.Record(StepOutcome.Ok(), 1 + ((i * 7919L) + w) % 50_000);
                }
            },
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();

        long sampled = 0;
        long intervals = 0;
        start.SignalAndWait();
        var allWritten = Task.WhenAll(writing);
        while (!allWritten.IsCompleted)
        {
            sampled += TakeAndRead(recorder);
            intervals++;
            await Task.Yield();
        }

        await allWritten;
        sampled += TakeAndRead(recorder);

        Assert.True(intervals > 1, "the sampler should have taken intervals while writers recorded");
        Assert.Equal((long)writers * recordsPerWriter, sampled);
        Assert.Equal((long)writers * recordsPerWriter, recorder.ReadCounters().Ok);
    }

    /// <summary>Takes one interval and reads it the way <see cref="RunRecorder"/> does.</summary>
    private static long TakeAndRead(StepRecorder recorder)
    {
        var interval = recorder.TakeInterval();
        if (interval.TotalCount > 0)
        {
            // Both walk the buckets and throw when a racing writer left TotalCount behind them.
            _ = interval.GetMaxValue();
            _ = interval.GetValueAtPercentile(99);
        }

        return interval.TotalCount;
    }
}
