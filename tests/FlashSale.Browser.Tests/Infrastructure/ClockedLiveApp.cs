using Microsoft.Extensions.Time.Testing;

// Each collection starts its own app and Chromium: run one collection at a time, so the two never
// compete for the machine (the slow-3G test times the client, the waiting room counts seconds).
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace FlashSale.Browser.Tests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class ClockedLiveAppCollection : ICollectionFixture<ClockedLiveApp>
{
    public const string Name = "live app in chromium, engine clock in hand";
}

/// <summary>
/// <see cref="LiveApp"/> with the engine's clock a <see cref="FakeTimeProvider"/>, for scenes that
/// span days (a presale's harvest window): a test moves deadlines and windows by advancing it, never
/// by waiting. It starts at the real time, which the browser's countdowns read, and only ever moves
/// forward. The live feed's pacing, the sandbox's webhooks and the tokens keep the real clock, so
/// the pages stay live while the engine's clock stands still.
/// </summary>
public sealed class ClockedLiveApp : LiveApp
{
    public FakeTimeProvider Clock { get; } = StartingNow();

    protected override TimeProvider? EngineClock => Clock;

    private static FakeTimeProvider StartingNow()
    {
        var now = TimeProvider.System.GetUtcNow();
        return new FakeTimeProvider(new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero));
    }
}
