using FlashSale.Common;
using Orleans.Concurrency;

namespace FlashSale.Orders;

/// <summary>
/// One order. It holds its stock as reservations in the lots until it is paid, cancelled or
/// reaches its payment deadline. The order calls lots and never calls back into a cart, so
/// the call graph cart → order → lot has no cycle and cannot deadlock.
/// </summary>
public interface IOrderGrain : IGrainWithStringKey
{
    /// <summary>Creates the order from the shopper's holds. Idempotent: a retry returns the order.</summary>
    Task<Outcome<Order>> Place(PlaceOrder command);

    [AlwaysInterleave]
    Task<Order?> Get();

    Task<Outcome<Order>> Cancel(string shopperId);

    /// <summary>
    /// The money arrived. Within the deadline the reserved stock is sold. After the deadline the
    /// stock went back on sale and is never sold twice: with <paramref name="mayRetakeStock"/>
    /// (the cart found the shopper's limit allows it) the order takes the same quantities again
    /// from what is available, all lots or none; otherwise, or if any lot has too little, the
    /// payment is refunded. A cancelled order is refunded. Idempotent; the path is recorded.
    /// </summary>
    Task<Outcome<Order>> ConfirmPayment(string paymentId, long amountMinor, string currency, bool mayRetakeStock);

    /// <summary>An attempt to pay failed: the order keeps awaiting payment until its deadline.</summary>
    Task<Outcome<Order>> RecordPaymentFailure(string paymentId);

    /// <summary>How the order's payment was settled (paid, retaken after the deadline, refunded), once it was.</summary>
    [AlwaysInterleave]
    Task<PaymentSettlement?> GetSettlement();

    /// <summary>
    /// A presale order whose deposit is paid asks its lot for its share of the declared harvest
    /// (or learns that the window closed undeclared) and applies it: refunded, or awaiting the
    /// balance with the unallocated units' deposit refunded. Idempotent; any other order is answered as is.
    /// </summary>
    Task<Outcome<Order>> CollectHarvest();

    /// <summary>
    /// The seller of a presale order the harvest cut short offers it <paramref name="quantity"/>
    /// units of another of the seller's declared harvests (another grade): the units are reserved
    /// for the shopper until the order's balance is due (or, for an order refunded whole, for the
    /// lot's balance window). One offer at a time; the same offer again is answered as is.
    /// </summary>
    Task<Outcome<Order>> OfferSubstitute(string sellerId, string lotId, int quantity);

    /// <summary>The shopper takes the offer up (through the cart, which then counts the new order): answers the new order, awaiting its payment.</summary>
    Task<Outcome<Order>> TakeSubstitute(string shopperId, string paymentMethod);

    /// <summary>The shopper says no: the reserved units go back to their lot. Idempotent.</summary>
    Task<Outcome<Order>> DeclineSubstitute(string shopperId);

    /// <summary>Expires the order when its payment deadline has passed; driven by its timer.</summary>
    Task ExpireIfDue();
}
