using FlashSale.Common;
using Microsoft.Extensions.Options;

namespace FlashSale.Payments.Providers;

/// <summary>
/// A method whose money goes through a gateway that confirms asynchronously: the payment is
/// opened at the gateway, its notifications arrive signed by webhook, refunds go back through it.
/// Subclasses say what the shopper must do.
/// </summary>
internal abstract class GatewayPaymentProvider(IPaymentGateway gateway, IOptions<WebhookOptions> webhooks) : IPaymentProvider
{
    public abstract string Method { get; }

    public abstract PaymentFlow Flow { get; }

    public bool AcceptsWebhooks => true;

    public async Task<PaymentStart> StartAsync(PaymentStartRequest request, CancellationToken cancellationToken = default)
    {
        var session = await gateway.OpenAsync(Method, request, cancellationToken);
        return new PaymentStart(Describe(request, session), session.RedirectUrl);
    }

    public PaymentNotification VerifyNotification(string? signatureHeader, ReadOnlyMemory<byte> body, DateTimeOffset now)
    {
        var options = webhooks.Value;
        var check = WebhookSignature.Verify(signatureHeader, body.Span, options.SecretsFor(Method), now, options.Tolerance);
        return check == SignatureCheck.Valid
            ? PaymentNotificationJson.Read(body)
            : PaymentNotification.Rejected(NotificationRejection.SignatureInvalid, $"The {WebhookSignature.HeaderName} header is not valid ({check}).");
    }

    public Task<PaymentRefundReceipt> RefundAsync(PaymentRefundRequest request, CancellationToken cancellationToken = default) =>
        gateway.RefundAsync(Method, request, cancellationToken);

    /// <summary>The order's <c>payment.instructions</c> in each language: the market's words, then this payment's particulars.</summary>
    protected abstract LocalText Describe(PaymentStartRequest request, GatewaySession session);

    /// <summary>A space between the two in English and Swahili, none in Chinese; Swahili when either part has it (the other in English).</summary>
    protected static LocalText Join(LocalText? marketInstructions, LocalText particulars) =>
        string.IsNullOrWhiteSpace(marketInstructions?.En)
            ? particulars
            : new LocalText(
                $"{marketInstructions.En} {particulars.En}",
                marketInstructions.ZhCn + particulars.ZhCn,
                marketInstructions.Sw is null && particulars.Sw is null ? null : $"{marketInstructions.SwOrEn} {particulars.SwOrEn}");
}

/// <summary>A mobile wallet: the shopper is redirected to approve; the wallet confirms within minutes.</summary>
internal sealed class WalletProvider(IPaymentGateway gateway, IOptions<WebhookOptions> webhooks) : GatewayPaymentProvider(gateway, webhooks)
{
    public override string Method => "wallet";

    public override PaymentFlow Flow => PaymentFlow.Redirect;

    protected override LocalText Describe(PaymentStartRequest request, GatewaySession session) =>
        Join(request.LocalMarketInstructions, EngineTexts.WalletApprove.Format(
            MoneyText.Format(request.AmountMinor, request.Currency), (object?)session.RedirectUrl ?? EngineTexts.YourWallet, MoneyText.Deadline(request.ExpiresAt)));
}

/// <summary>A bank transfer: paid outside the app against a reference, confirmed by the bank hours later.</summary>
internal sealed class BankTransferProvider(IPaymentGateway gateway, IOptions<WebhookOptions> webhooks) : GatewayPaymentProvider(gateway, webhooks)
{
    public override string Method => "bank-transfer";

    public override PaymentFlow Flow => PaymentFlow.Offline;

    protected override LocalText Describe(PaymentStartRequest request, GatewaySession session) =>
        Join(request.LocalMarketInstructions, EngineTexts.BankTransferParticulars.Format(
            MoneyText.Format(request.AmountMinor, request.Currency), session.Reference, MoneyText.Deadline(request.ExpiresAt)));
}

/// <summary>Mobile money (for example in Kenya): the operator pushes a prompt to the shopper's phone.</summary>
internal sealed class MobileMoneyProvider(IPaymentGateway gateway, IOptions<WebhookOptions> webhooks) : GatewayPaymentProvider(gateway, webhooks)
{
    public override string Method => "mobile-money";

    public override PaymentFlow Flow => PaymentFlow.Redirect;

    protected override LocalText Describe(PaymentStartRequest request, GatewaySession session) =>
        Join(request.LocalMarketInstructions, EngineTexts.MobileMoneyPrompt.Format(
            MoneyText.Format(request.AmountMinor, request.Currency), session.Reference, MoneyText.Deadline(request.ExpiresAt)));
}
