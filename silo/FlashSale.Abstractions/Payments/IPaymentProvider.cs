namespace FlashSale.Payments;

/// <summary>
/// One payment method (wallet, bank transfer, cash on delivery…) behind one interface: start a
/// payment and say what the shopper must do next, verify and read a gateway's notification, and
/// send money back. Markets choose which methods they offer; providers are not tied to a country.
/// </summary>
public interface IPaymentProvider
{
    /// <summary>The method's name, as markets list it and as the webhook route names the provider.</summary>
    string Method { get; }

    PaymentFlow Flow { get; }

    /// <summary>True when a gateway confirms this method's payments by signed webhook.</summary>
    bool AcceptsWebhooks { get; }

    /// <summary>Opens the payment with whoever takes the money; idempotent per payment id.</summary>
    Task<PaymentStart> StartAsync(PaymentStartRequest request, CancellationToken cancellationToken = default);

    /// <summary>Checks the signature of a notification (header and raw body, at <paramref name="now"/>) and reads it.</summary>
    PaymentNotification VerifyNotification(string? signatureHeader, ReadOnlyMemory<byte> body, DateTimeOffset now);

    /// <summary>Sends the payment's money back; idempotent per payment id.</summary>
    Task<PaymentRefundReceipt> RefundAsync(PaymentRefundRequest request, CancellationToken cancellationToken = default);
}

/// <summary>
/// What a provider needs to open a payment for an order. <see cref="MarketInstructions"/> is the
/// market's English text; <see cref="MarketInstructionsZhCn"/> the same in Simplified Chinese, and
/// <see cref="MarketInstructionsSw"/> in Swahili (for the phone channel's Kenyan numbers).
/// </summary>
public sealed record PaymentStartRequest(
    string PaymentId,
    string OrderId,
    string ShopperId,
    long AmountMinor,
    string Currency,
    DateTimeOffset ExpiresAt,
    string? MarketInstructions,
    string? MarketInstructionsZhCn = null,
    string? MarketInstructionsSw = null)
{
    /// <summary>
    /// The market's words in each language (English where there is no Chinese; no Swahili where
    /// there is none), or null when the market has none.
    /// </summary>
    public Common.LocalText? LocalMarketInstructions =>
        MarketInstructions is null
            ? null
            : new Common.LocalText(
                MarketInstructions,
                string.IsNullOrWhiteSpace(MarketInstructionsZhCn) ? MarketInstructions : MarketInstructionsZhCn,
                string.IsNullOrWhiteSpace(MarketInstructionsSw) ? null : MarketInstructionsSw);
}

/// <summary>
/// What the shopper must do next; <see cref="Instructions"/> is the order's <c>payment.instructions</c>
/// in English, <see cref="InstructionsZhCn"/> the same in Simplified Chinese, <see cref="InstructionsSw"/>
/// in Swahili (null when there is none).
/// </summary>
public sealed record PaymentStart(string Instructions, string? RedirectUrl, string? InstructionsZhCn = null, string? InstructionsSw = null)
{
    public PaymentStart(Common.LocalText instructions, string? redirectUrl)
        : this(instructions.En, redirectUrl, instructions.ZhCn, instructions.Sw)
    {
    }
}

public sealed record PaymentRefundRequest(
    string PaymentId,
    string OrderId,
    long AmountMinor,
    string Currency,
    string Reason);

/// <summary>Why a notification was not taken.</summary>
public enum NotificationRejection
{
    /// <summary>Missing, malformed, wrong or stale signature (401 <c>signature-invalid</c>).</summary>
    SignatureInvalid,

    /// <summary>Authentic, but not a notification the contract describes (400 <c>invalid-request</c>).</summary>
    Malformed,

    /// <summary>This method has no gateway that sends notifications (404).</summary>
    NotSupported,
}

/// <summary>A verified event, or why there is none.</summary>
public sealed record PaymentNotification(PaymentEvent? Event, NotificationRejection? Rejection, string Detail)
{
    public static PaymentNotification Verified(PaymentEvent paymentEvent) => new(paymentEvent, null, "verified");

    public static PaymentNotification Rejected(NotificationRejection rejection, string detail) => new(null, rejection, detail);
}
