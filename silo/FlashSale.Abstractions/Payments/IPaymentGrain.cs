using FlashSale.Common;
using FlashSale.Orders;
using Orleans.Concurrency;

namespace FlashSale.Payments;

/// <summary>
/// One payment (key: the payment id, <c>pay_…</c>) and the only place its notifications are applied.
/// Not reentrant: deliveries of one payment, duplicates included, are applied one at a time, and
/// each event is written as "applying" before its effect and "applied" after, so a delivery that
/// dies in the middle is finished by the next one and an event never takes effect twice.
/// Call order: payment → cart → order → lot; nothing calls back into a payment.
/// </summary>
public interface IPaymentGrain : IGrainWithStringKey
{
    /// <summary>
    /// Applies one event received from <paramref name="provider"/> (a method name such as
    /// <c>wallet</c>). Not found when no order has this payment; a seen event id is a duplicate.
    /// </summary>
    Task<Outcome<PaymentEventReceipt>> Apply(string provider, PaymentEvent paymentEvent);

    /// <summary>The payment's history: every event received, what became of it, and any refund.</summary>
    [AlwaysInterleave]
    Task<PaymentRecord> Get();
}

/// <summary>Where an event stands in the payment's ledger; serialized in kebab case.</summary>
public enum PaymentEventStatus
{
    /// <summary>Written before its effect; a delivery found in this state is finished, not repeated.</summary>
    Applying,
    Applied,
    RecordedForReview,
}

[GenerateSerializer, Immutable]
public sealed record PaymentEventRecord(
    [property: Id(0)] PaymentEvent Event,
    [property: Id(1)] string Provider,
    [property: Id(2)] DateTimeOffset ReceivedAt,
    [property: Id(3)] PaymentEventStatus Status,
    [property: Id(4)] string? Detail,
    [property: Id(5)] OrderStatus? OrderStatusAfter);

/// <summary>Money sent back through the provider, once per payment.</summary>
[GenerateSerializer, Immutable]
public sealed record PaymentRefundReceipt(
    [property: Id(0)] string Reference,
    [property: Id(1)] long AmountMinor,
    [property: Id(2)] string Currency,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] string? Instructions);

[GenerateSerializer, Immutable]
public sealed record PaymentRecord(
    [property: Id(0)] string PaymentId,
    [property: Id(1)] IReadOnlyList<PaymentEventRecord> Events,
    [property: Id(2)] PaymentRefundReceipt? Refund)
{
    /// <summary>Events kept for a person to look at: authentic, but not matching the order.</summary>
    public IEnumerable<PaymentEventRecord> ForReview => Events.Where(e => e.Status == PaymentEventStatus.RecordedForReview);
}

/// <summary>
/// The claim of one gateway event id (key <c>{provider}/{eventId}</c>) by the first payment that
/// received it, so an event id is applied at most once across all payments, not just within one.
/// </summary>
public interface IPaymentEventClaimGrain : IGrainWithStringKey
{
    /// <summary>Claims the event id for <paramref name="paymentId"/> if nobody has; returns the owner.</summary>
    Task<string> Claim(string paymentId);
}
