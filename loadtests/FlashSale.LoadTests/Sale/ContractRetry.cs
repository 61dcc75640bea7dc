using FlashSale.LoadTests.Harness;

namespace FlashSale.LoadTests.Sale;

/// <summary>
/// When the contract says a client may try again, and how long it waits: an <c>unavailable</c>
/// answer (503, "a retry may succeed") after its <c>Retry-After</c>; a request that got no answer
/// in time, whose outcome the client cannot know; and a 409 <c>idempotency-key-in-flight</c>, the
/// answer to a retry that came while the first try still ran (the surge's checkouts met it after
/// their 503s), whose outcome is not known yet either.
/// </summary>
public static class ContractRetry
{
    /// <summary>The wait when the answer named none (a timeout), and the bounds on one it named.</summary>
    public static readonly TimeSpan DefaultDelay = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan ShortestDelay = TimeSpan.FromMilliseconds(100);

    public static readonly TimeSpan LongestDelay = TimeSpan.FromSeconds(5);

    public static bool MayRetry(StepOutcome outcome) =>
        outcome.StatusCode == 503 || outcome.Label == "timeout"
        || (outcome.StatusCode == 409 && outcome.Label.EndsWith(" idempotency-key-in-flight", StringComparison.Ordinal));

    public static TimeSpan Delay(StepOutcome outcome) => outcome.RetryAfter is { } asked
        ? TimeSpan.FromTicks(Math.Clamp(asked.Ticks, ShortestDelay.Ticks, LongestDelay.Ticks))
        : DefaultDelay;
}
