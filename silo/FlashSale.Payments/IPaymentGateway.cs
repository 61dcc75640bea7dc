namespace FlashSale.Payments;

/// <summary>
/// The party that takes the money for the gateway-backed methods (wallet, bank transfer, mobile
/// money). The engine ships the sandbox gateway; a deployment registers its own implementation
/// before the engine's, and the providers use it unchanged.
/// </summary>
public interface IPaymentGateway
{
    /// <summary>Opens a payment at the gateway; idempotent per payment id.</summary>
    Task<GatewaySession> OpenAsync(string provider, PaymentStartRequest request, CancellationToken cancellationToken = default);

    /// <summary>Refunds a payment; idempotent per payment id. Throws <see cref="PaymentGatewayException"/> when the gateway refuses.</summary>
    Task<PaymentRefundReceipt> RefundAsync(string provider, PaymentRefundRequest request, CancellationToken cancellationToken = default);
}

/// <summary>The gateway's handle on an opened payment: its reference and where to send the shopper, if anywhere.</summary>
public sealed record GatewaySession(string Reference, string? RedirectUrl);

/// <summary>The gateway refused an operation (not a transient failure: retrying will not help).</summary>
public sealed class PaymentGatewayException : Exception
{
    public PaymentGatewayException()
    {
    }

    public PaymentGatewayException(string message)
        : base(message)
    {
    }

    public PaymentGatewayException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
