using FlashSale.Common;
using FlashSale.Orders;

namespace FlashSale.Checkout;

/// <summary>How an idempotent checkout request was answered.</summary>
public enum CheckoutReplyKind
{
    /// <summary>First execution, or a retry of a finished one with the same body: <see cref="CheckoutReply.Outcome"/> holds the answer.</summary>
    Answered,
    /// <summary>The same key with another body (422).</summary>
    KeyReused,
    /// <summary>The first request with this key is still running (409).</summary>
    InFlight,
}

[GenerateSerializer, Immutable]
public sealed record CheckoutReply(
    [property: Id(0)] CheckoutReplyKind Kind,
    [property: Id(1)] Outcome<Order>? Outcome);

/// <summary>
/// One <c>Idempotency-Key</c> of one shopper (key <c>{shopperId}/{idempotencyKey}</c>). It runs the
/// checkout once, remembers the answer and the request's fingerprint, and answers retries from that.
/// </summary>
public interface ICheckoutRequestGrain : IGrainWithStringKey
{
    /// <summary>
    /// Runs the checkout once, or answers from the first run; a <paramref name="delivery"/> (part
    /// of the fingerprint) is set on the new order before the answer is written, so a retry
    /// answers the order with it. A call cancelled while it still waits in the grain's queue is
    /// dropped without running; once running it finishes.
    /// </summary>
    Task<CheckoutReply> Execute(string fingerprint, string paymentMethod, Fulfilment.OrderDelivery? delivery = null, CancellationToken cancellationToken = default);
}
