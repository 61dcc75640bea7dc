using FlashSale.Orders;

namespace FlashSale.Payments;

/// <summary>What a gateway (or a village agent) says happened to a payment.</summary>
public enum PaymentEventType
{
    /// <summary>The money arrived (<c>payment.succeeded</c>).</summary>
    Succeeded,

    /// <summary>An attempt to pay failed (<c>payment.failed</c>); the shopper may still pay before the deadline.</summary>
    Failed,
}

/// <summary>
/// One notification about one payment, as the webhook body carries it:
/// <c>{eventId, paymentId, type, amountMinor, currency}</c>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PaymentEvent(
    [property: Id(0)] string EventId,
    [property: Id(1)] string PaymentId,
    [property: Id(2)] PaymentEventType Type,
    [property: Id(3)] long AmountMinor,
    [property: Id(4)] string Currency)
{
    public static string TypeNameOf(PaymentEventType type) => type switch
    {
        PaymentEventType.Succeeded => "payment.succeeded",
        _ => "payment.failed",
    };

    public static PaymentEventType? ParseType(string? name) => name switch
    {
        "payment.succeeded" => PaymentEventType.Succeeded,
        "payment.failed" => PaymentEventType.Failed,
        _ => null,
    };
}

/// <summary>How the engine took an event; serialized in kebab case.</summary>
public enum PaymentEventDisposition
{
    /// <summary>Applied now: its effect on the order is done and written.</summary>
    Applied,

    /// <summary>This event id was seen before: nothing further happened.</summary>
    Duplicate,

    /// <summary>Authentic but inconsistent with the order (amount, currency or provider): kept for review, the order is untouched.</summary>
    RecordedForReview,
}

/// <summary>The engine's answer to one delivery of an event.</summary>
[GenerateSerializer, Immutable]
public sealed record PaymentEventReceipt(
    [property: Id(0)] string EventId,
    [property: Id(1)] PaymentEventDisposition Disposition,
    [property: Id(2)] Order Order,
    [property: Id(3)] string? Detail);
