namespace FlashSale.Api.Hubs;

/// <summary>The SignalR groups: one per lot, one per seller, one per shopper.</summary>
public static class HubGroups
{
    public static string Lot(string lotId) => "lot:" + lotId;

    public static string Seller(string sellerId) => "seller:" + sellerId;

    public static string Shopper(string shopperId) => "shopper:" + shopperId;
}
