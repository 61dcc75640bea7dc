namespace FlashSale.Tests.Infrastructure;

/// <summary>
/// Waits for something that happens asynchronously (a timer's call, a deactivation), checking
/// often and giving up after a generous bound. The bound only stops a broken test from hanging;
/// it is never what a test asserts.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    public static async Task True(Func<bool> condition, string? because = null)
    {
        using var cancellation = new CancellationTokenSource(Bound);
        while (!condition())
        {
            if (cancellation.IsCancellationRequested)
            {
                Assert.Fail(because ?? "the condition never became true");
            }

            await Task.Delay(10, CancellationToken.None);
        }
    }

    public static async Task<T> Value<T>(Func<Task<T?>> probe)
        where T : class
    {
        using var cancellation = new CancellationTokenSource(Bound);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (cancellation.IsCancellationRequested)
            {
                Assert.Fail("no value arrived");
            }

            await Task.Delay(10, CancellationToken.None);
        }
    }
}
