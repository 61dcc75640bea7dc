using FlashSale.Payments.Sandbox;

namespace FlashSale.Payments;

/// <summary>
/// The sandbox gateway as the engine sees it: payments are opened in its ledger
/// (<see cref="ISandboxPaymentGrain"/>) and refunded there. Its other half, which completes
/// payments and sends the signed webhooks over HTTP, lives in the API.
/// </summary>
internal sealed class SandboxPaymentGateway(IGrainFactory grains) : IPaymentGateway
{
    public const string PaymentPagePrefix = "/api/sandbox/payments/";

    public async Task<GatewaySession> OpenAsync(string provider, PaymentStartRequest request, CancellationToken cancellationToken = default)
    {
        await grains.GetGrain<ISandboxPaymentGrain>(request.PaymentId)
            .Open(new SandboxPaymentTerms(provider, request.OrderId, request.AmountMinor, request.Currency, request.ExpiresAt));
        return new GatewaySession(request.PaymentId, PaymentPagePrefix + request.PaymentId);
    }

    public async Task<PaymentRefundReceipt> RefundAsync(string provider, PaymentRefundRequest request, CancellationToken cancellationToken = default)
    {
        var refunded = await grains.GetGrain<ISandboxPaymentGrain>(request.PaymentId).Refund(request.AmountMinor, request.Currency);
        if (!refunded.Succeeded)
        {
            throw new PaymentGatewayException($"The sandbox refused to refund {request.PaymentId}: {refunded.Refusal.Detail}");
        }

        var payment = refunded.Value;
        return new PaymentRefundReceipt($"sandbox-refund-{payment.PaymentId}", payment.RefundedMinor, payment.Terms.Currency, payment.RefundedAt!.Value, null);
    }
}
