using FlashSale.Common;
using Microsoft.Extensions.DependencyInjection;

namespace FlashSale.Payments.Providers;

/// <summary>
/// A method paid in cash to a person (a courier, a village agent): no gateway, no webhook. The
/// person's confirmation arrives through the agent's API, and a refund is the person handing the
/// cash back, so the receipt says so.
/// </summary>
internal abstract class CashPaymentProvider(TimeProvider time) : IPaymentProvider
{
    public abstract string Method { get; }

    public abstract PaymentFlow Flow { get; }

    public bool AcceptsWebhooks => false;

    public Task<PaymentStart> StartAsync(PaymentStartRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(new PaymentStart(Describe(request), null));

    public PaymentNotification VerifyNotification(string? signatureHeader, ReadOnlyMemory<byte> body, DateTimeOffset now) =>
        PaymentNotification.Rejected(NotificationRejection.NotSupported, $"{Method} has no gateway that sends notifications.");

    public Task<PaymentRefundReceipt> RefundAsync(PaymentRefundRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(new PaymentRefundReceipt(
            $"cash-{request.PaymentId}", request.AmountMinor, request.Currency, time.GetUtcNow(),
            $"Hand {MoneyText.Format(request.AmountMinor, request.Currency)} back in cash: {request.Reason}"));

    protected abstract string Describe(PaymentStartRequest request);
}

/// <summary>Cash on delivery: the order is confirmed at once and its stock sold; the courier collects.</summary>
internal sealed class CashOnDeliveryProvider([FromKeyedServices(FlashSaleClock.Key)] TimeProvider time) : CashPaymentProvider(time)
{
    public override string Method => "cash-on-delivery";

    public override PaymentFlow Flow => PaymentFlow.OnDelivery;

    protected override string Describe(PaymentStartRequest request) =>
        $"{request.MarketInstructions ?? "Pay in cash on delivery."} Have {MoneyText.Format(request.AmountMinor, request.Currency)} ready.".Trim();
}

/// <summary>A village agent collects the cash within the agent's collection window and confirms it.</summary>
internal sealed class VillageAgentProvider([FromKeyedServices(FlashSaleClock.Key)] TimeProvider time) : CashPaymentProvider(time)
{
    public override string Method => "village-agent";

    public override PaymentFlow Flow => PaymentFlow.Agent;

    protected override string Describe(PaymentStartRequest request) =>
        $"{request.MarketInstructions ?? "Pay your village agent in cash."} Amount {MoneyText.Format(request.AmountMinor, request.Currency)}, by {MoneyText.Deadline(request.ExpiresAt)}.".Trim();
}
