using FlashSale.Common;
using Orleans.Concurrency;

namespace FlashSale.Payments.Sandbox;

/// <summary>Where a payment stands at the sandbox gateway; serialized in kebab case.</summary>
public enum SandboxPaymentStatus
{
    Pending,
    Failed,
    Succeeded,
    Refunded,
}

/// <summary>What a provider told the sandbox gateway when it opened a payment.</summary>
[GenerateSerializer, Immutable]
public sealed record SandboxPaymentTerms(
    [property: Id(0)] string Provider,
    [property: Id(1)] string OrderId,
    [property: Id(2)] long AmountMinor,
    [property: Id(3)] string Currency,
    [property: Id(4)] DateTimeOffset ExpiresAt);

/// <summary>One try of the sandbox to deliver an event; <see cref="StatusCode"/> 0 means no answer.</summary>
[GenerateSerializer, Immutable]
public sealed record SandboxDeliveryAttempt(
    [property: Id(0)] int Attempt,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] int StatusCode);

/// <summary>An event the sandbox issued, with every try to deliver it.</summary>
[GenerateSerializer, Immutable]
public sealed record SandboxEvent(
    [property: Id(0)] PaymentEvent Event,
    [property: Id(1)] string Provider,
    [property: Id(2)] DateTimeOffset IssuedAt,
    [property: Id(3)] IReadOnlyList<SandboxDeliveryAttempt> Attempts)
{
    /// <summary>The number of answers in 2xx: a copy delivered twice counts twice.</summary>
    public int Acknowledged => Attempts.Count(a => a.StatusCode is >= 200 and < 300);
}

/// <summary>The sandbox gateway's view of one payment.</summary>
[GenerateSerializer, Immutable]
public sealed record SandboxPayment(
    [property: Id(0)] string PaymentId,
    [property: Id(1)] SandboxPaymentTerms Terms,
    [property: Id(2)] SandboxPaymentStatus Status,
    [property: Id(3)] IReadOnlyList<SandboxEvent> Events,
    [property: Id(4)] long RefundedMinor,
    [property: Id(5)] int Refunds,
    [property: Id(6)] DateTimeOffset? RefundedAt);

/// <summary>
/// The sandbox gateway's ledger for one payment (key: payment id): what it was opened for, the
/// events the sandbox issued and their deliveries, and refunds. It calls nobody.
/// </summary>
public interface ISandboxPaymentGrain : IGrainWithStringKey
{
    /// <summary>Opens the payment; opening it again with the same terms is a no-op.</summary>
    Task<SandboxPayment> Open(SandboxPaymentTerms terms);

    [AlwaysInterleave]
    Task<SandboxPayment?> Get();

    /// <summary>The shopper finished at the gateway: issues a new event for the outcome.</summary>
    Task<Outcome<PaymentEvent>> Complete(PaymentEventType outcome);

    Task RecordAttempt(string eventId, SandboxDeliveryAttempt attempt);

    /// <summary>Sends the money back; a second refund of the same payment changes nothing.</summary>
    Task<Outcome<SandboxPayment>> Refund(long amountMinor, string currency);
}
