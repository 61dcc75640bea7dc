namespace FlashSale;

/// <summary>Names of the grain storage providers the engine expects.</summary>
public static class StorageNames
{
    /// <summary>Carts, orders, idempotency records and the lot catalog.</summary>
    public const string Default = "flashsale";
}
