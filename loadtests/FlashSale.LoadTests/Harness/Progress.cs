namespace FlashSale.LoadTests.Harness;

public sealed record ProgressStep(string Name, double PerSecond, double P99, long Ok, long Expected, long Failed);

public sealed record ProgressSnapshot(string Phase, double MeasuredSeconds, long InFlight, long Iterations, IReadOnlyList<ProgressStep> Steps);

/// <summary>Where live progress goes: the console for a person, nowhere for a test.</summary>
public interface IProgressSink
{
    void OnPhase(string phase);

    void OnSample(ProgressSnapshot snapshot);

    void Message(string text);
}

public sealed class SilentProgress : IProgressSink
{
    public static SilentProgress Instance { get; } = new();

    public void OnPhase(string phase)
    {
    }

    public void OnSample(ProgressSnapshot snapshot)
    {
    }

    public void Message(string text)
    {
    }
}
