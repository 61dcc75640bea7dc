using System.Globalization;

namespace FlashSale.LoadTests.Harness;

/// <summary>
/// One phase of load, chained one after another as NBomber chains its simulations. Closed models
/// keep a number of copies of the scenario looping (a new iteration starts when one ends); open
/// models start iterations at a rate whatever the system does, and measure each iteration's first
/// step from its intended start, so a stall shows in the latencies instead of lowering the rate.
/// </summary>
public abstract record LoadSimulation(TimeSpan During)
{
    public abstract bool IsOpen { get; }

    public abstract string Describe();

    /// <summary>Closed: copies ramp linearly from the previous phase's copies to <paramref name="Copies"/>.</summary>
    public sealed record RampingConstant(int Copies, TimeSpan During) : LoadSimulation(During)
    {
        public override bool IsOpen => false;

        public override string Describe() => Invariant($"ramp to {Copies} copies over {During.TotalSeconds:0.#} s");
    }

    /// <summary>Closed: <paramref name="Copies"/> copies loop for the whole phase.</summary>
    public sealed record KeepConstant(int Copies, TimeSpan During) : LoadSimulation(During)
    {
        public override bool IsOpen => false;

        public override string Describe() => Invariant($"{Copies} copies for {During.TotalSeconds:0.#} s");
    }

    /// <summary>Open: <paramref name="RatePerSecond"/> iterations start each second, evenly spaced.</summary>
    public sealed record Inject(double RatePerSecond, TimeSpan During) : LoadSimulation(During)
    {
        public override bool IsOpen => true;

        public override string Describe() => Invariant($"inject {RatePerSecond:0.#}/s for {During.TotalSeconds:0.#} s");
    }

    /// <summary>Open: the rate moves linearly from the previous phase's rate to <paramref name="RatePerSecond"/>.</summary>
    public sealed record RampingInject(double RatePerSecond, TimeSpan During) : LoadSimulation(During)
    {
        public override bool IsOpen => true;

        public override string Describe() => Invariant($"ramp inject to {RatePerSecond:0.#}/s over {During.TotalSeconds:0.#} s");
    }

    /// <summary>No new iterations; those in flight finish.</summary>
    public sealed record Pause(TimeSpan During) : LoadSimulation(During)
    {
        public override bool IsOpen => false;

        public override string Describe() => Invariant($"pause {During.TotalSeconds:0.#} s");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
