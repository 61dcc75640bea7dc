using FlashSale.Common;
using FlashSale.Orders;

namespace FlashSale.Carts;

/// <summary>
/// One shopper's cart and the only judge of the per-shopper limit (held + bought). The grain is
/// not reentrant, so a shopper's own requests never interleave and the limit check has no race.
/// </summary>
public interface IShopperCartGrain : IGrainWithStringKey
{
    Task<Cart> Get();

    /// <summary>
    /// Sets the held quantity of one lot; 0 releases it. All or nothing. A call cancelled before
    /// it asks the lot (the shopper's client has gone) changes nothing; once the lot is asked, the
    /// call runs to its end, so the cart and the lot never disagree about a hold.
    /// </summary>
    Task<Outcome<Cart>> SetItem(string lotId, int quantity, CancellationToken cancellationToken = default);

    /// <summary>Releases the hold of one lot; cancelled as <see cref="SetItem"/>.</summary>
    Task<Outcome<Cart>> RemoveItem(string lotId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The lot ended for good (its seller ended it or an operator took it down) and returned this
    /// shopper's hold: the cart forgets its line, which could never be checked out. Idempotent.
    /// </summary>
    Task HoldReturned(string lotId);

    /// <summary>Moves every live hold into a new order with this id. Idempotent per order id.</summary>
    Task<Outcome<Order>> Checkout(string orderId, string paymentMethod);

    /// <summary>
    /// Takes up the substitute offered on one of the shopper's orders: the order places the new
    /// order (cart → order → order → lot, so nothing calls back) and the cart counts it like any
    /// checkout. Answers the new order.
    /// </summary>
    Task<Outcome<Order>> AcceptSubstitute(string orderId, string paymentMethod);

    Task<IReadOnlyList<string>> ListOrderIds();

    /// <summary>
    /// What counts against the per-shopper limit of a lot: the live hold plus what the shopper's
    /// orders that were not cancelled, expired or refunded hold of it.
    /// </summary>
    Task<int> QuantityTowardsLimit(string lotId);

    /// <summary>
    /// Passes a payment to one of the shopper's orders. The cart is the judge of the limit, so it
    /// decides whether an order paid after its deadline may take its stock again, and it keeps
    /// its ledger of what the orders hold in step with the answer.
    /// </summary>
    Task<Outcome<Order>> ConfirmPayment(string orderId, string paymentId, long amountMinor, string currency);
}
