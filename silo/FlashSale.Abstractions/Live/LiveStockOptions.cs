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

    /// <summary>How long a host's subscription lasts without renewal; hosts renew at a third of it.</summary>
    public TimeSpan HostSubscriptionLifetime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Held units that expire within this window count as "expiring soon" for the seller.</summary>
    public TimeSpan ExpiringSoonWindow { get; set; } = TimeSpan.FromMinutes(1);
}
