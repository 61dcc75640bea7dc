using System.ComponentModel.DataAnnotations;

namespace FlashSale.Cluster;

/// <summary>
/// How long an API node waits for the engine (section <c>FlashSale:Engine</c>). A shopper who
/// would wait longer than this for a hold or a checkout is better told 503 <c>unavailable</c> with
/// <c>Retry-After</c> than kept waiting while a silo that stopped answering is declared dead.
/// </summary>
public sealed class EngineCallOptions
{
    public const string Section = "FlashSale:Engine";

    /// <summary>The bound on one API request's wait for the engine; 3 seconds unless set.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:02:00")]
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(3);
}
