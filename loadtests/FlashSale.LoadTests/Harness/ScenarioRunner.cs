using System.Diagnostics;

namespace FlashSale.LoadTests.Harness;

/// <summary>What a run produced, before the scenario adds its audit and figures.</summary>
public sealed record RunResult(
    IReadOnlyList<StepReport> Steps,
    IReadOnlyList<StageReport> Stages,
    IReadOnlyList<SeriesPoint> Series,
    double MeasuredSeconds,
    long Iterations,
    string? StoppedBecause);

/// <summary>Runs a scenario's phases one after another, samples once a second, and drains at the end.</summary>
public static class ScenarioRunner
{
    private static readonly TimeSpan ControlTick = TimeSpan.FromMilliseconds(20);

    public static async Task<RunResult> RunAsync(ScenarioDefinition scenario, IProgressSink progress, CancellationToken cancellation = default)
    {
        var run = new Run(scenario, progress, cancellation);
        return await run.ExecuteAsync();
    }

    private sealed class Run(ScenarioDefinition scenario, IProgressSink progress, CancellationToken cancellation)
    {
        private readonly RunRecorder _recorder = new();
        private readonly CancellationTokenSource _abort = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        private readonly SemaphoreSlim _openSlots = new(scenario.MaxInFlight, scenario.MaxInFlight);
        private readonly List<Task?> _workers = [];
        private volatile int _closedTarget;
        private long _started;
        private long _inFlight;
        private string _phase = "starting";

        public async Task<RunResult> ExecuteAsync()
        {
            using var samplerStop = new CancellationTokenSource();
            var sampler = SampleLoopAsync(samplerStop.Token);
            var stages = new List<StageReport>();
            string? stoppedBecause = null;
            try
            {
                var phases = new List<(LoadSimulation Simulation, int Stage)>();
                if (scenario.WarmUp > TimeSpan.Zero && scenario.Simulations.Count > 0)
                {
                    phases.Add((WarmUpOf(scenario.Simulations[0], scenario.WarmUp), -1));
                }

                phases.AddRange(scenario.Simulations.Select((s, i) => (s, i)));
                double previousRate = 0;
                var previousCopies = 0;
                foreach (var (simulation, stage) in phases)
                {
                    if (stage >= 0 && !_recorder.Measuring)
                    {
                        _recorder.BeginMeasuring();
                        scenario.MeasuringBegins?.Invoke();
                    }

                    _recorder.EnterStage(stage);
                    _phase = (stage < 0 ? "warm-up: " : $"phase {stage + 1}/{scenario.Simulations.Count}: ") + simulation.Describe();
                    progress.OnPhase(_phase);
                    var (offered, copies) = await RunPhaseAsync(simulation, previousRate, previousCopies);
                    (previousRate, previousCopies) = (simulation.IsOpen ? offered ?? 0 : 0, copies ?? 0);
                    if (stage < 0)
                    {
                        continue;
                    }

                    _recorder.Sample();
                    var report = _recorder.StageReport(stage, simulation, offered, copies);
                    stages.Add(report);
                    if (cancellation.IsCancellationRequested)
                    {
                        stoppedBecause = "cancelled";
                        break;
                    }

                    if (LimitReached)
                    {
                        stoppedBecause = $"reached {scenario.MaxIterations} iterations";
                        break;
                    }

                    if (scenario.ContinueAfterStage is { } next && !next(report))
                    {
                        stoppedBecause = $"stopped after phase {stage + 1}: {report.Load}";
                        break;
                    }
                }
            }
            finally
            {
                _closedTarget = 0;
                _phase = "draining";
                progress.OnPhase(_phase);
                await DrainAsync();
                await samplerStop.CancelAsync();
                await sampler;
                _recorder.Sample();
                _abort.Dispose();
            }

            return new RunResult(_recorder.StepReports(), stages, _recorder.Series, _recorder.MeasuredSeconds, Interlocked.Read(ref _started), stoppedBecause);
        }

        private bool LimitReached => scenario.MaxIterations is { } max && Interlocked.Read(ref _started) >= max;

        private static LoadSimulation WarmUpOf(LoadSimulation first, TimeSpan during) => first switch
        {
            LoadSimulation.RampingConstant r => new LoadSimulation.KeepConstant(r.Copies, during),
            LoadSimulation.KeepConstant k => k with { During = during },
            LoadSimulation.Inject i => i with { During = during },
            LoadSimulation.RampingInject r => new LoadSimulation.Inject(r.RatePerSecond, during),
            _ => new LoadSimulation.Pause(during),
        };

        private async Task<(double? Offered, int? Copies)> RunPhaseAsync(LoadSimulation simulation, double previousRate, int previousCopies)
        {
            var start = Stopwatch.GetTimestamp();
            var during = simulation.During;
            switch (simulation)
            {
                case LoadSimulation.KeepConstant keep:
                    await ClosedAsync(start, during, _ => keep.Copies);
                    return (null, keep.Copies);
                case LoadSimulation.RampingConstant ramp:
                    await ClosedAsync(start, during, t => (int)Math.Round(previousCopies + ((ramp.Copies - previousCopies) * Math.Min(1, t / during.TotalSeconds))));
                    return (null, ramp.Copies);
                case LoadSimulation.Inject inject:
                    _closedTarget = 0;
                    await OpenAsync(start, during, inject.RatePerSecond, inject.RatePerSecond);
                    return (inject.RatePerSecond, null);
                case LoadSimulation.RampingInject ramp:
                    _closedTarget = 0;
                    await OpenAsync(start, during, previousRate, ramp.RatePerSecond);
                    return (ramp.RatePerSecond, null);
                default:
                    _closedTarget = 0;
                    await WaitUntil(start, during);
                    return (null, null);
            }
        }

        private async Task ClosedAsync(long start, TimeSpan during, Func<double, int> copiesAt)
        {
            while (!_abort.IsCancellationRequested && !LimitReached)
            {
                var elapsed = Stopwatch.GetElapsedTime(start);
                if (elapsed >= during)
                {
                    return;
                }

                _closedTarget = Math.Max(0, copiesAt(elapsed.TotalSeconds));
                for (var slot = 0; slot < _closedTarget; slot++)
                {
                    if (slot == _workers.Count)
                    {
                        _workers.Add(null);
                    }

                    if (_workers[slot] is null or { IsCompleted: true })
                    {
                        var mine = slot;
                        _workers[slot] = Task.Run(() => WorkerAsync(mine));
                    }
                }

                await Delay(ControlTick);
            }
        }

        private async Task WorkerAsync(int slot)
        {
            while (slot < _closedTarget && !_abort.IsCancellationRequested && TryStart(out var index))
            {
                Interlocked.Increment(ref _inFlight);
                try
                {
                    await IterateAsync(index, intendedStart: null, _recorder.Measuring);
                }
                finally
                {
                    Interlocked.Decrement(ref _inFlight);
                }
            }
        }

        /// <summary>
        /// Starts iterations at their intended instants: the k-th arrival of a phase is due when the
        /// phase's cumulative arrivals N(t) reach k, where the rate moves linearly from
        /// <paramref name="fromRate"/> to <paramref name="toRate"/> (N(t) = r0·t + (r1 − r0)·t²/2D).
        /// </summary>
        private async Task OpenAsync(long start, TimeSpan during, double fromRate, double toRate)
        {
            var d = during.TotalSeconds;
            long issued = 0;
            while (!_abort.IsCancellationRequested && !LimitReached)
            {
                var t = Math.Min(Stopwatch.GetElapsedTime(start).TotalSeconds, d);
                var due = (long)Math.Floor(OpenSchedule.Arrivals(t, d, fromRate, toRate));
                while (issued < due && TryStart(out var index))
                {
                    issued++;
                    var intended = start + (long)(OpenSchedule.ArrivalTime(issued, d, fromRate, toRate) * Stopwatch.Frequency);
                    var measured = _recorder.Measuring; // read here, in order with the phase changes
                    Interlocked.Increment(ref _inFlight); // counted before it is queued, so the drain cannot miss it
                    _ = Task.Run(() => OpenIterationAsync(index, intended, measured));
                }

                if (t >= d)
                {
                    return;
                }

                await Delay(TimeSpan.FromMilliseconds(1));
            }
        }

        private async Task OpenIterationAsync(long index, long intendedStart, bool measured)
        {
            try
            {
                try
                {
                    await _openSlots.WaitAsync(_abort.Token);
                }
                catch (OperationCanceledException)
                {
                    new IterationContext(_recorder, index, intendedStart, measured, _abort.Token).Unsent("(not sent)", "no-slot-before-end");
                    return;
                }

                try
                {
                    await IterateAsync(index, intendedStart, measured);
                }
                finally
                {
                    _openSlots.Release();
                }
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        private bool TryStart(out long index)
        {
            index = Interlocked.Increment(ref _started);
            if (scenario.MaxIterations is { } max && index > max)
            {
                Interlocked.Decrement(ref _started);
                return false;
            }

            return true;
        }

        private async Task IterateAsync(long index, long? intendedStart, bool measured)
        {
            try
            {
                await scenario.Iteration(new IterationContext(_recorder, index, intendedStart, measured, _abort.Token));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !_abort.IsCancellationRequested)
            {
                _recorder.Step("(iteration)").Record(StepOutcome.Fail("exception:" + ex.GetType().Name), 1);
            }
            catch (OperationCanceledException)
            {
                // cancelled at the end of the drain; its steps recorded themselves
            }
        }

        /// <summary>Lets in-flight iterations finish within the drain timeout, then cancels the rest.</summary>
        private async Task DrainAsync()
        {
            var start = Stopwatch.GetTimestamp();
            while (Interlocked.Read(ref _inFlight) > 0 && Stopwatch.GetElapsedTime(start) < scenario.DrainTimeout)
            {
                await Task.Delay(20, CancellationToken.None);
            }

            await _abort.CancelAsync();
            var after = Stopwatch.GetTimestamp();
            while (Interlocked.Read(ref _inFlight) > 0 && Stopwatch.GetElapsedTime(after) < TimeSpan.FromSeconds(5))
            {
                await Task.Delay(20, CancellationToken.None);
            }

            await Task.WhenAll(_workers.Where(w => w is not null).Select(w => w!.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default)));
        }

        private async Task SampleLoopAsync(CancellationToken stop)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            try
            {
                while (await timer.WaitForNextTickAsync(stop))
                {
                    var points = _recorder.Sample();
                    progress.OnSample(new ProgressSnapshot(_phase, _recorder.MeasuredSeconds, Interlocked.Read(ref _inFlight), Interlocked.Read(ref _started),
                        points.Select(p =>
                        {
                            var totals = _recorder.Totals(p.Step);
                            return new ProgressStep(p.Step, p.Seconds > 0 ? p.Count / p.Seconds : 0, p.P99, totals.Ok, totals.Expected, totals.Failed);
                        }).ToList()));
                }
            }
            catch (OperationCanceledException)
            {
                // the run ended
            }
        }

        private async Task WaitUntil(long start, TimeSpan during)
        {
            while (!_abort.IsCancellationRequested && Stopwatch.GetElapsedTime(start) < during)
            {
                await Delay(ControlTick);
            }
        }

        private async Task Delay(TimeSpan delay)
        {
            try
            {
                await Task.Delay(delay, _abort.Token);
            }
            catch (OperationCanceledException)
            {
                // stopping
            }
        }
    }
}

/// <summary>
/// When an open model's arrivals are due. The rate moves linearly from r0 to r1 over a phase of
/// d seconds, so the arrivals by time t are N(t) = r0·t + (r1 − r0)·t²/2d, and the k-th arrival is
/// due at the t where N(t) = k.
/// </summary>
internal static class OpenSchedule
{
    public static double Arrivals(double t, double d, double r0, double r1) => (r0 * t) + ((r1 - r0) * t * t / (2 * d));

    public static double ArrivalTime(long k, double d, double r0, double r1)
    {
        if (Math.Abs(r1 - r0) < 1e-9)
        {
            return k / r0;
        }

        var a = (r1 - r0) / (2 * d);
        return (-r0 + Math.Sqrt(Math.Max(0, (r0 * r0) + (4 * a * k)))) / (2 * a);
    }
}
