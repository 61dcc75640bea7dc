using System.Collections.Concurrent;
using System.Diagnostics;
using HdrHistogram;

namespace FlashSale.LoadTests.Harness;

/// <summary>
/// The statistics of one run: every step's recorder, and the sampler that turns their intervals
/// into a time series, per-stage totals and whole-run totals. Warm-up intervals are taken and
/// dropped, so the measured figures start clean.
/// </summary>
internal sealed class RunRecorder
{
    private static readonly double[] DistributionPercentiles =
        [0, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 92.5, 95, 96, 97, 98, 99, 99.5, 99.9, 99.95, 99.99, 100];

    private readonly ConcurrentDictionary<string, StepRecorder> _steps = new(StringComparer.Ordinal);
    private readonly Lock _sampling = new();
    private readonly Dictionary<string, StepCounters> _lastCounters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StepCounters> _measuredCounters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HistogramBase> _measuredLatency = new(StringComparer.Ordinal);
    private readonly Dictionary<(int Stage, string Step), StepCounters> _stageCounters = [];
    private readonly Dictionary<(int Stage, string Step), HistogramBase> _stageLatency = [];
    private readonly Dictionary<int, double> _stageSeconds = [];
    private readonly List<SeriesPoint> _series = [];
    private int _order;
    private long _lastSample = Stopwatch.GetTimestamp();
    private long _measureStart;
    private double _measuredSeconds;
    private int _stage = -1;

    private volatile bool _measuring;

    public bool Measuring => _measuring;

    public StepRecorder Step(string name) => _steps.GetOrAdd(name, n => new StepRecorder(n, Interlocked.Increment(ref _order)));

    /// <summary>Ends warm-up: what was recorded until now is dropped.</summary>
    public void BeginMeasuring()
    {
        lock (_sampling)
        {
            Sample();
            _measuring = true;
            _measureStart = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>Closes the current stage's interval and attributes what follows to <paramref name="stage"/>.</summary>
    public void EnterStage(int stage)
    {
        lock (_sampling)
        {
            Sample();
            _stage = stage;
        }
    }

    /// <summary>Takes one interval from every step. Called about once a second and at every stage boundary.</summary>
    public IReadOnlyList<SeriesPoint> Sample()
    {
        lock (_sampling)
        {
            var now = Stopwatch.GetTimestamp();
            var seconds = Stopwatch.GetElapsedTime(_lastSample, now).TotalSeconds;
            _lastSample = now;
            var points = new List<SeriesPoint>();
            foreach (var step in _steps.Values.OrderBy(s => s.Order))
            {
                var interval = step.TakeInterval();
                var counters = step.ReadCounters();
                var delta = counters.Minus(_lastCounters.GetValueOrDefault(step.Name, StepCounters.Zero));
                _lastCounters[step.Name] = counters;
                if (!Measuring)
                {
                    continue;
                }

                Accumulate(_measuredLatency, step.Name, interval);
                _measuredCounters[step.Name] = _measuredCounters.GetValueOrDefault(step.Name, StepCounters.Zero).Plus(delta);
                Accumulate(_stageLatency, (_stage, step.Name), interval);
                _stageCounters[(_stage, step.Name)] = _stageCounters.GetValueOrDefault((_stage, step.Name), StepCounters.Zero).Plus(delta);
                var point = new SeriesPoint(
                    step.Name, Stopwatch.GetElapsedTime(_measureStart, now).TotalSeconds, seconds, _stage,
                    delta.Total, delta.Ok, delta.Expected, delta.Failed,
                    Ms(interval, 50), Ms(interval, 99), interval.TotalCount == 0 ? 0 : interval.GetMaxValue() / 1000.0);
                _series.Add(point);
                points.Add(point);
            }

            if (Measuring)
            {
                _measuredSeconds += seconds;
                _stageSeconds[_stage] = _stageSeconds.GetValueOrDefault(_stage) + seconds;
            }

            return points;
        }
    }

    public double MeasuredSeconds
    {
        get
        {
            lock (_sampling)
            {
                return _measuredSeconds;
            }
        }
    }

    public IReadOnlyList<SeriesPoint> Series
    {
        get
        {
            lock (_sampling)
            {
                return _series.ToList();
            }
        }
    }

    /// <summary>The cumulative measured counters of a step, for live progress.</summary>
    public (long Ok, long Expected, long Failed) Totals(string step)
    {
        lock (_sampling)
        {
            var c = _measuredCounters.GetValueOrDefault(step, StepCounters.Zero);
            return (c.Ok, c.Expected, c.Failed);
        }
    }

    public IReadOnlyList<StepReport> StepReports()
    {
        lock (_sampling)
        {
            var seconds = Math.Max(_measuredSeconds, 1e-9);
            return _steps.Values.OrderBy(s => s.Order)
                .Where(s => _measuredCounters.ContainsKey(s.Name))
                .Select(s => ToReport(s.Name, _measuredCounters[s.Name], _measuredLatency[s.Name], seconds))
                .ToList();
        }
    }

    public StageReport StageReport(int stage, LoadSimulation simulation, double? offeredRate, int? copies)
    {
        lock (_sampling)
        {
            var seconds = _stageSeconds.GetValueOrDefault(stage);
            var steps = _steps.Values.OrderBy(s => s.Order)
                .Where(s => _stageCounters.ContainsKey((stage, s.Name)))
                .Select(s =>
                {
                    var c = _stageCounters[(stage, s.Name)];
                    var h = _stageLatency[(stage, s.Name)];
                    return new StageStep(s.Name, c.Total, c.Failed, seconds > 0 ? c.Total / seconds : 0, Ms(h, 50), Ms(h, 99), h.TotalCount == 0 ? 0 : h.GetMaxValue() / 1000.0);
                })
                .ToList();
            return new StageReport(stage, simulation.Describe(), offeredRate, copies, seconds, steps);
        }
    }

    /// <summary>Merges per-step reports of separate runs into one (the baselines put several targets in one report).</summary>
    internal static StepReport ToReport(string name, StepCounters counters, HistogramBase latency, double seconds)
    {
        var summary = latency.TotalCount == 0
            ? new LatencySummary(0, 0, 0, 0, 0, 0, 0)
            : new LatencySummary(latency.GetMean() / 1000.0, Ms(latency, 50), Ms(latency, 75), Ms(latency, 90), Ms(latency, 99), Ms(latency, 99.9), latency.GetMaxValue() / 1000.0);
        var distribution = latency.TotalCount == 0
            ? []
            : DistributionPercentiles.Select(p => new PercentilePoint(p, p >= 100 ? latency.GetMaxValue() / 1000.0 : Ms(latency, p))).ToList();
        return new StepReport(
            name, counters.Total, counters.Ok, counters.Expected, counters.Failed,
            counters.Total / seconds, counters.Ok / seconds, summary,
            counters.Outcomes.Select(o => new OutcomeCount(o.Key, o.Value.Kind, o.Value.Count))
                .Where(o => o.Count > 0).OrderBy(o => o.Kind).ThenByDescending(o => o.Count).ToList(),
            counters.BytesSent, counters.BytesReceived, distribution);
    }

    private static void Accumulate<TKey>(Dictionary<TKey, HistogramBase> into, TKey key, HistogramBase interval)
        where TKey : notnull
    {
        if (!into.TryGetValue(key, out var total))
        {
            into[key] = total = new LongHistogram(1, StepRecorder.HighestMicroseconds, 3);
        }

        total.Add(interval);
    }

    private static double Ms(HistogramBase histogram, double percentile) =>
        histogram.TotalCount == 0 ? 0 : histogram.GetValueAtPercentile(percentile) / 1000.0;
}
