namespace FlashSale.Cluster;

/// <summary>The cluster mode's settings (section <c>FlashSale:Cluster</c>).</summary>
public sealed class FlashSaleClusterOptions
{
    public const string Section = "FlashSale:Cluster";

    /// <summary>
    /// The one setting that switches from embedded to cluster: the Redis connection string. With
    /// it, membership, grain state and lot journals all live in Redis.
    /// </summary>
    public const string RedisKey = "FlashSale:Redis";

    public string ServiceId { get; set; } = "flashsale";

    public string ClusterId { get; set; } = "flashsale";

    /// <summary>The address other silos and clients reach this silo at.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// Orleans' connection liveness check: no death vote against a silo that sent a message within
    /// the last MaxProbeTimeout × NumMissedProbesLimit (12 s with this cluster's probes). Off by
    /// default, so a stopped silo is declared dead within seconds (see docs/architecture.md,
    /// "Faults answered honestly").
    /// </summary>
    public bool ConnectionLivenessCheck { get; set; }
}
