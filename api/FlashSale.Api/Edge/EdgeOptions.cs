using System.ComponentModel.DataAnnotations;

namespace FlashSale.Api.Edge;

/// <summary>
/// Answers at the edge (<see cref="LotEdgeCache"/>): how long a host trusts what it knows of a
/// sold-out or ended lot, and when it starts to.
/// </summary>
public sealed class EdgeOptions
{
    public const string Section = "FlashSale:Edge";

    /// <summary>
    /// Whether this host answers increases of sold-out and ended lots itself. Null means on in the
    /// embedded mode (this host sees every hold of the lot) and off in a cluster, where a shopper
    /// may take a hold through another node that this one never hears of.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>
    /// How long a view of the lot is trusted after the read that produced it began: a shopper is
    /// never told <c>sold-out</c> at the edge when the lot has had stock for longer than this.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10")]
    public TimeSpan Freshness { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Refusals of the lot's own (<c>sold-out</c>, <c>sale-not-live</c>) this host must have passed
    /// on before it starts answering for the lot. Below a surge, asking the lot costs little, and
    /// a host that never engages answers exactly as the lot does.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int EngageAfterRefusals { get; set; } = 16;

    /// <summary>
    /// The most holders a view may list. A lot held by more shoppers than this is always asked,
    /// so the host's memory per lot stays bounded.
    /// </summary>
    [Range(0, 1_000_000)]
    public int MaxHolders { get; set; } = 10_000;
}
