namespace FlashSale.Lots;

/// <summary>Bounds on what a seller may put in a lot; the API and the grain both enforce them.</summary>
public static class LotLimits
{
    public const int MaxQuantity = 1_000_000;
    public const int MaxTextLength = 200;

    /// <summary>Keeps price × quantity well inside a 64-bit total.</summary>
    public const long MaxPriceMinor = 1_000_000_000_000;

    /// <summary>The heaviest share a seller may weigh for one order: a million units of a tonne each.</summary>
    public const long MaxPackedGrams = 1_000_000_000_000;
}
