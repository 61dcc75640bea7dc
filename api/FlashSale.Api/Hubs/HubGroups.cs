namespace FlashSale.Api.Hubs;

/// <summary>The SignalR groups: one per lot, one per seller, one per shopper.</summary>
public static class HubGroups
{
    public static string Lot(string lotId) => "lot:" + lotId;

    public static string Seller(string sellerId) => "seller:" + sellerId;

    public static string Shopper(string shopperId) => "shopper:" + shopperId;

    /// <summary>A seller's order desk: <c>order</c> messages of the orders with the seller's shipments.</summary>
    public static string SellerOrders(string sellerId) => "seller-orders:" + sellerId;

    /// <summary>An agent's service point: <c>order</c> messages of the orders going there.</summary>
    public static string AgentParcels(string agentId) => "agent-parcels:" + agentId;
}
