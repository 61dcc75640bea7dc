namespace FlashSale.Lots;

/// <summary>Where a lot stands in its sale; serialized in kebab case (<c>sold-out</c>).</summary>
public enum LotStatus
{
    Scheduled,
    Live,
    Paused,
    SoldOut,
    Ended,
}
