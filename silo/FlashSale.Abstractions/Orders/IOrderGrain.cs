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

    /// <summary>The payment seam: the money arrived. A payment after the deadline never resells
    /// stock that has gone back on sale; the order is refunded instead.</summary>
    Task<Outcome<Order>> ConfirmPayment(string paymentId, long amountMinor, string currency);

    /// <summary>Expires the order when its payment deadline has passed; driven by its timer.</summary>
    Task ExpireIfDue();
}
