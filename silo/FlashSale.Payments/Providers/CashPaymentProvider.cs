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

    /// <summary>The order's <c>payment.instructions</c>, in each language.</summary>
    protected abstract LocalText Describe(PaymentStartRequest request);

    /// <summary>
    /// The market's words (or <paramref name="fallback"/>), then the particulars: a space between
    /// in English and Swahili, none in Chinese. Swahili when either part has it (the other part in
    /// English), else none.
    /// </summary>
    protected static LocalText Join(LocalText? marketInstructions, LocalText fallback, LocalText particulars)
    {
        var words = marketInstructions ?? fallback;
        return new LocalText(
            $"{words.En} {particulars.En}".Trim(),
            (words.ZhCn + particulars.ZhCn).Trim(),
            words.Sw is null && particulars.Sw is null ? null : $"{words.SwOrEn} {particulars.SwOrEn}".Trim());
    }
}

/// <summary>Cash on delivery: the order is confirmed at once and its stock sold; the courier collects.</summary>
internal sealed class CashOnDeliveryProvider([FromKeyedServices(FlashSaleClock.Key)] TimeProvider time) : CashPaymentProvider(time)
{
    public override string Method => "cash-on-delivery";

    public override PaymentFlow Flow => PaymentFlow.OnDelivery;

    protected override LocalText Describe(PaymentStartRequest request) =>
        Join(request.LocalMarketInstructions, EngineTexts.PayCashOnDelivery, EngineTexts.HaveCashReady.Format(MoneyText.Format(request.AmountMinor, request.Currency)));
}

/// <summary>A village agent collects the cash within the agent's collection window and confirms it.</summary>
internal sealed class VillageAgentProvider([FromKeyedServices(FlashSaleClock.Key)] TimeProvider time) : CashPaymentProvider(time)
{
    public override string Method => "village-agent";

    public override PaymentFlow Flow => PaymentFlow.Agent;

    protected override LocalText Describe(PaymentStartRequest request) =>
        Join(request.LocalMarketInstructions, EngineTexts.PayYourAgent,
            EngineTexts.AgentAmountBy.Format(MoneyText.Format(request.AmountMinor, request.Currency), MoneyText.Deadline(request.ExpiresAt)));
}
