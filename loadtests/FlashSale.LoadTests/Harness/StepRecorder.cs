using System.Collections.Concurrent;
using HdrHistogram;

namespace FlashSale.LoadTests.Harness;

/// <summary>
/// The statistics of one step. Writers (any thread) record into a HdrHistogram
/// <see cref="Recorder"/> and into cumulative counters; the runner's sampler takes interval
/// histograms once a second. The recorder's histograms are <see cref="LongConcurrentHistogram"/>:
/// a <see cref="Recorder"/> guards only the swap between writers and the reader, so with many
/// writers a plain <see cref="LongHistogram"/> loses increments and its total stops matching its
/// buckets, and its enumerator then throws. Counters are never reset: a sample is the difference between two
/// readings, so a writer racing with the sampler is counted in one interval or the next, never lost.
/// </summary>
public sealed class StepRecorder
{
    /// <summary>Latencies are recorded in microseconds, from 1 µs to 5 minutes, 3 significant digits.</summary>
    public const long HighestMicroseconds = 300_000_000;

    private readonly Recorder _recorder = new(1, HighestMicroseconds, 3, (id, low, high, digits) => new LongConcurrentHistogram(id, low, high, digits));
    private readonly ConcurrentDictionary<string, OutcomeCounter> _outcomes = new(StringComparer.Ordinal);
    private long _ok;
    private long _expected;
    private long _failed;
    private long _bytesSent;
    private long _bytesReceived;

    public StepRecorder(string name, int order)
    {
        Name = name;
        Order = order;
    }

    public string Name { get; }

    /// <summary>First-use order, so tables list steps as the scenario runs them.</summary>
    public int Order { get; }

    public void Record(StepOutcome outcome, long elapsedMicroseconds)
    {
        _recorder.RecordValue(Math.Clamp(elapsedMicroseconds, 1, HighestMicroseconds));
        switch (outcome.Kind)
        {
            case OutcomeKind.Ok:
                Interlocked.Increment(ref _ok);
                break;
            case OutcomeKind.Expected:
                Interlocked.Increment(ref _expected);
                break;
            default:
                Interlocked.Increment(ref _failed);
                break;
        }

        Interlocked.Add(ref _bytesSent, outcome.BytesSent);
        Interlocked.Add(ref _bytesReceived, outcome.BytesReceived);
        _outcomes.GetOrAdd(outcome.Label, static (_, kind) => new OutcomeCounter(kind), outcome.Kind).Increment();
    }

    internal StepCounters ReadCounters() => new(
        Interlocked.Read(ref _ok), Interlocked.Read(ref _expected), Interlocked.Read(ref _failed),
        Interlocked.Read(ref _bytesSent), Interlocked.Read(ref _bytesReceived),
        _outcomes.ToDictionary(o => o.Key, o => (o.Value.Kind, o.Value.Count), StringComparer.Ordinal));

    /// <summary>The latencies recorded since the last call (the HdrHistogram interval pattern).</summary>
    internal HistogramBase TakeInterval() => _recorder.GetIntervalHistogram();

    private sealed class OutcomeCounter(OutcomeKind kind)
    {
        private long _count;

        public OutcomeKind Kind { get; } = kind;

        public long Count => Interlocked.Read(ref _count);

        public void Increment() => Interlocked.Increment(ref _count);
    }
}

/// <summary>A reading of a step's cumulative counters.</summary>
internal sealed record StepCounters(long Ok, long Expected, long Failed, long BytesSent, long BytesReceived, Dictionary<string, (OutcomeKind Kind, long Count)> Outcomes)
{
    public static StepCounters Zero { get; } = new(0, 0, 0, 0, 0, new Dictionary<string, (OutcomeKind, long)>(StringComparer.Ordinal));

    public long Total => Ok + Expected + Failed;

    public StepCounters Minus(StepCounters earlier) => new(
        Ok - earlier.Ok, Expected - earlier.Expected, Failed - earlier.Failed,
        BytesSent - earlier.BytesSent, BytesReceived - earlier.BytesReceived,
        Outcomes.ToDictionary(
            o => o.Key,
            o => (o.Value.Kind, o.Value.Count - (earlier.Outcomes.TryGetValue(o.Key, out var e) ? e.Count : 0)),
            StringComparer.Ordinal));

    public StepCounters Plus(StepCounters other)
    {
        var outcomes = new Dictionary<string, (OutcomeKind Kind, long Count)>(Outcomes, StringComparer.Ordinal);
        foreach (var (label, value) in other.Outcomes)
        {
            outcomes[label] = (value.Kind, value.Count + (outcomes.TryGetValue(label, out var mine) ? mine.Count : 0));
        }

        return new(Ok + other.Ok, Expected + other.Expected, Failed + other.Failed, BytesSent + other.BytesSent, BytesReceived + other.BytesReceived, outcomes);
    }
}
