using System.Diagnostics;

namespace FlashSale.LoadTests.Harness;

/// <summary>
/// A scenario: an iteration made of named async steps, and the load that drives it. Every run is
/// bounded: by its phases' durations, by <see cref="MaxIterations"/>, and by
/// <see cref="DrainTimeout"/> for what is still in flight when the last phase ends.
/// </summary>
public sealed record ScenarioDefinition
{
    public required string Name { get; init; }

    public required Func<IterationContext, Task> Iteration { get; init; }

    public required IReadOnlyList<LoadSimulation> Simulations { get; init; }

    /// <summary>
    /// Load before measuring, whose statistics are dropped: the first phase's load (its target
    /// copies or rate) for this long.
    /// </summary>
    public TimeSpan WarmUp { get; init; }

    /// <summary>
    /// Called once, when warm-up ends and the measured window begins (at the start if there is no
    /// warm-up): a scenario that measures something beside its steps (live-stock staleness)
    /// starts counting then, so that its figures cover the same window as the steps'.
    /// </summary>
    public Action? MeasuringBegins { get; init; }

    /// <summary>No more iterations start after this many (warm-up included).</summary>
    public long? MaxIterations { get; init; }

    /// <summary>
    /// Open models: at most this many iterations run at once. An iteration that waits for a slot
    /// still has its latency counted from its intended start.
    /// </summary>
    public int MaxInFlight { get; init; } = 10_000;

    /// <summary>How long iterations in flight may finish after the last phase; then they are cancelled.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Asked after each measured phase; false stops the run (the hot lot stops once latency breaks).</summary>
    public Func<StageReport, bool>? ContinueAfterStage { get; init; }
}

/// <summary>One iteration of a scenario: runs its steps and records each one's latency and outcome.</summary>
public sealed class IterationContext
{
    private readonly RunRecorder _recorder;
    private readonly bool _measured;
    private long? _intendedStart;

    internal IterationContext(RunRecorder recorder, long index, long? intendedStart, bool measured, CancellationToken cancellation)
    {
        _recorder = recorder;
        _measured = measured; // an iteration started in warm-up is never counted, even if it ends later
        Index = index;
        _intendedStart = intendedStart;
        Cancellation = cancellation;
    }

    public long Index { get; }

    public CancellationToken Cancellation { get; }

    /// <summary>
    /// Runs one step and records it. In an open model the first step's clock starts at the
    /// iteration's intended start, not when it was actually sent: a system that stalls cannot hide
    /// the stall by delaying the requests it would have received (coordinated omission).
    /// </summary>
    public async Task<StepOutcome> Step(string name, Func<CancellationToken, Task<StepOutcome>> action)
    {
        var start = _intendedStart ?? Stopwatch.GetTimestamp();
        _intendedStart = null;
        StepOutcome outcome;
        try
        {
            outcome = await action(Cancellation);
        }
        catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
        {
            outcome = StepOutcome.Fail("cancelled-at-end");
        }
        catch (Exception ex)
        {
            outcome = StepOutcome.Fail("exception:" + ex.GetType().Name);
        }

        if (_measured)
        {
            _recorder.Step(name).Record(outcome, (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }

        return outcome;
    }

    /// <summary>Records a step that could not be sent at all (counted as failed, with the time it waited).</summary>
    public void Unsent(string name, string label)
    {
        var start = _intendedStart ?? Stopwatch.GetTimestamp();
        if (_measured)
        {
            _recorder.Step(name).Record(StepOutcome.Fail(label), (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }
    }
}
