namespace FlashSale.Fulfilment;

/// <summary>Fulfilment settings (<c>FlashSale:Fulfilment</c>).</summary>
public sealed class FulfilmentOptions
{
    public const string Section = "FlashSale:Fulfilment";

    /// <summary>Wrong pickup codes an agent may try on one order before the seller must reset it (1 to 100, checked at start).</summary>
    public int MaxWrongPickupCodes { get; set; } = 5;
}
