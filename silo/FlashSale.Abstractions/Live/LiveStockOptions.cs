using Microsoft.Extensions.Options;

namespace FlashSale.Live;

public sealed class LiveStockOptions
{
    public const string Section = "FlashSale:LiveStock";

    /// <summary>
    /// The least time between two publications of one lot (the contract: at most 10 a second).
    /// The newest state after a burst is published at most one interval after the burst's first
    /// change was published.
    /// </summary>
    public TimeSpan PublishInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long a host's subscription lasts without renewal; hosts renew at a third of it. It is
    /// also how long relays may go on sending to an API host that died without a word (until its
    /// subscription lapses, plus one <see cref="HostListRefresh"/>), and how long a relay keeps a
    /// host that a restarted registry does not list yet.
    /// </summary>
    public TimeSpan HostSubscriptionLifetime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Held units that expire within this window count as "expiring soon" for the seller.</summary>
    public TimeSpan ExpiringSoonWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a silo's relay gathers updates before it sends them to an API host as one batch:
    /// the delay batching adds to an update. It must stay small beside
    /// <see cref="PublishInterval"/> (at most a quarter of it), so batching never becomes the pace
    /// watchers see.
    /// </summary>
    public TimeSpan BatchInterval { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>A batch holding this many updates is sent at once, without waiting for <see cref="BatchInterval"/>.</summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>
    /// How often a silo's relay reads the host list again, in the background (and at once while
    /// its list is empty). Shorter than <see cref="HostSubscriptionLifetime"/>, so a relay sees a
    /// host's departure before the registry forgets it. It bounds how long a host that left
    /// still gets batches, and how long a new API host waits before it serves
    /// (<see cref="HostJoinDelay"/>).
    /// </summary>
    public TimeSpan HostListRefresh { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a new API host of a cluster waits after subscribing before it takes connections:
    /// by then every relay has read a host list that names it (one refresh for the next read to
    /// start, one more for it to land), so a watcher never joins a lot's group on a host that
    /// relays do not yet send to.
    /// </summary>
    public TimeSpan HostJoinDelay() => HostListRefresh * 2;

    /// <summary>The failure a host refuses to start with, or empty.</summary>
    public string Invalidity() =>
        PublishInterval <= TimeSpan.Zero
            ? $"{Section}:PublishInterval must be positive."
            : HostSubscriptionLifetime < TimeSpan.FromSeconds(3)
                ? $"{Section}:HostSubscriptionLifetime must be at least 3 seconds (hosts renew at a third of it)."
                : BatchInterval <= TimeSpan.Zero || BatchInterval * 4 > PublishInterval
                    ? $"{Section}:BatchInterval must be positive and at most a quarter of PublishInterval ({PublishInterval.TotalMilliseconds} ms)."
                    : MaxBatchSize is < 1 or > 10_000
                        ? $"{Section}:MaxBatchSize must be 1 to 10000."
                        : HostListRefresh <= TimeSpan.Zero || HostListRefresh >= HostSubscriptionLifetime
                            ? $"{Section}:HostListRefresh must be positive and shorter than HostSubscriptionLifetime."
                            : "";
}

/// <summary>Refuses a host's start with <see cref="LiveStockOptions"/> it could not keep (with <c>ValidateOnStart</c>).</summary>
public sealed class LiveStockOptionsValidation : IValidateOptions<LiveStockOptions>
{
    public ValidateOptionsResult Validate(string? name, LiveStockOptions options) =>
        options.Invalidity() is { Length: > 0 } failure ? ValidateOptionsResult.Fail(failure) : ValidateOptionsResult.Success;
}
