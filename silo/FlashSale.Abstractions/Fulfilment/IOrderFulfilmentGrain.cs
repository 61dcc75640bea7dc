using FlashSale.Common;
using FlashSale.Orders;

namespace FlashSale.Fulfilment;

/// <summary>
/// The fulfilment side of an order (key: the order id). The order grain implements it, so each
/// move runs in the order's own turn beside its payment: a shipment cannot be cancelled while a
/// payment settles, and a handover cannot race a cancel. Every refusal changes nothing.
/// </summary>
public interface IOrderFulfilmentGrain : IGrainWithStringKey
{
    /// <summary>The shopper sets (or changes) where the order goes; only before any shipment is packed.</summary>
    Task<Outcome<Order>> SetDelivery(string shopperId, OrderDelivery delivery);

    /// <summary>Seller moves on the seller's own shipment; a seller with no shipment in the order gets not-found.</summary>
    Task<Outcome<Order>> Pack(string sellerId);

    Task<Outcome<Order>> Ship(string sellerId, string? trackingId);

    /// <summary>Home delivery: the seller handed it over (and took the cash, for cash on delivery).</summary>
    Task<Outcome<Order>> Deliver(string sellerId);

    /// <summary>Before shipping: the stock returns to the lots and a paid order is refunded, once.</summary>
    Task<Outcome<Order>> CancelBySeller(string sellerId, string reason);

    /// <summary>Unlocks the pickup code after too many wrong tries.</summary>
    Task<Outcome<Order>> ResetPickupCode(string sellerId);

    /// <summary>The agent of the order's point received the parcel(s).</summary>
    Task<Outcome<Order>> Arrived(string agentId);

    /// <summary>The agent hands the order over against its pickup code.</summary>
    Task<Outcome<Order>> Handover(string agentId, string pickupCode);

    /// <summary>Written before an agent's cash collection is applied, so the ledger knows who holds the cash.</summary>
    Task NoteCashCollector(string agentId);
}

/// <summary>The orders holding stock of one lot that reached fulfilment (key: lot id), in the order they got there.</summary>
public interface ILotOrdersGrain : IGrainWithStringKey
{
    /// <summary>Idempotent.</summary>
    Task Add(string orderId);

    /// <summary>Up to <paramref name="count"/> order ids from position <paramref name="from"/>.</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<IReadOnlyList<string>> Page(int from, int count);
}

/// <summary>The parcels sent to one agent's point (key: agent id), in the order they were shipped.</summary>
public interface IAgentParcelsGrain : IGrainWithStringKey
{
    /// <summary>Idempotent.</summary>
    Task Add(string orderId);

    [Orleans.Concurrency.AlwaysInterleave]
    Task<IReadOnlyList<string>> List();
}
