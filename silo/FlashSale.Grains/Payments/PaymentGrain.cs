using FlashSale.Carts;
using FlashSale.Common;
using FlashSale.Orders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FlashSale.Payments;

/// <summary>
/// Applies one payment's notifications exactly once. An event is first claimed (its id belongs to
/// the first payment that received it), then written as <see cref="PaymentEventStatus.Applying"/>,
/// then applied through the shopper's cart to the order, then written as applied. Every step is
/// idempotent, so a delivery that died anywhere in between is finished by the next delivery of
/// any event of this payment (gateways retry until they get a 2xx), and never done twice.
/// </summary>
internal sealed partial class PaymentGrain(
    [PersistentState("payment", StorageNames.Default)] IPersistentState<PaymentState> state,
    [FromKeyedServices(FlashSaleClock.Key)] TimeProvider time,
    PaymentProviders providers,
    ILogger<PaymentGrain> logger) : Grain, IPaymentGrain
{
    private string PaymentId => this.GetPrimaryKeyString();

    private IOrderGrain OrderGrain => GrainFactory.GetGrain<IOrderGrain>(PaymentIds.OrderOf(PaymentId) ?? "");

    public async Task<Outcome<PaymentEventReceipt>> Apply(string provider, PaymentEvent paymentEvent)
    {
        if (!string.Equals(paymentEvent.PaymentId, PaymentId, StringComparison.Ordinal))
        {
            return Refusal.Invalid(EngineTexts.EventForAnotherPayment);
        }

        if (PaymentIds.OrderOf(PaymentId) is null || await OrderGrain.Get() is not { } order || order.PaymentNamed(PaymentId) is null)
        {
            return Refusal.NotFound(EngineTexts.ThePayment);
        }

        // Events of this payment left half-applied by an earlier delivery are finished first, so
        // they take effect in the order they arrived.
        await FinishApplying(except: paymentEvent.EventId);

        var seen = Find(paymentEvent.EventId);
        if (seen is { Status: not PaymentEventStatus.Applying })
        {
            return Receipt(paymentEvent.EventId, PaymentEventDisposition.Duplicate, (await OrderGrain.Get())!, seen.Detail);
        }

        if (seen is null)
        {
            var owner = await GrainFactory.GetGrain<IPaymentEventClaimGrain>($"{provider}/{paymentEvent.EventId}").Claim(PaymentId);
            if (!string.Equals(owner, PaymentId, StringComparison.Ordinal))
            {
                return Receipt(paymentEvent.EventId, PaymentEventDisposition.Duplicate, order, "This event id was already received for another payment.");
            }

            var mismatch = Mismatch(provider, paymentEvent, order);
            seen = new PaymentEventRecord(paymentEvent, provider, time.GetUtcNow(),
                mismatch is null ? PaymentEventStatus.Applying : PaymentEventStatus.RecordedForReview, mismatch, null);
            state.State.Events.Add(seen);
            await state.WriteStateAsync();
            if (mismatch is not null)
            {
                LogRecordedForReview(PaymentId, paymentEvent.EventId, mismatch);
                return Receipt(paymentEvent.EventId, PaymentEventDisposition.RecordedForReview, order, mismatch);
            }
        }

        var applied = await Finish(seen);
        return Receipt(paymentEvent.EventId,
            applied.Status == PaymentEventStatus.Applied ? PaymentEventDisposition.Applied : PaymentEventDisposition.RecordedForReview,
            (await OrderGrain.Get())!, applied.Detail);
    }

    public Task<PaymentRecord> Get() => Task.FromResult(new PaymentRecord(PaymentId, state.State.Events.ToList(), state.State.Refund));

    private async Task FinishApplying(string except)
    {
        foreach (var pending in state.State.Events.Where(e => e.Status == PaymentEventStatus.Applying && e.Event.EventId != except).ToList())
        {
            await Finish(pending);
        }
    }

    /// <summary>Applies an event written as applying, and writes what became of it.</summary>
    private async Task<PaymentEventRecord> Finish(PaymentEventRecord record)
    {
        var e = record.Event;
        var order = (await OrderGrain.Get())!;
        Outcome<Order> outcome = e.Type == PaymentEventType.Succeeded
            ? await GrainFactory.GetGrain<IShopperCartGrain>(order.ShopperId).ConfirmPayment(order.OrderId, PaymentId, e.AmountMinor, e.Currency)
            : await OrderGrain.RecordPaymentFailure(PaymentId);

        PaymentEventRecord done;
        if (!outcome.Succeeded)
        {
            // The engine refused an event that matched the order: a person must look at it.
            done = record with { Status = PaymentEventStatus.RecordedForReview, Detail = outcome.Refusal.Detail };
            LogRecordedForReview(PaymentId, e.EventId, outcome.Refusal.Detail);
        }
        else
        {
            var after = outcome.Value;
            var detail = after.Status.ToString();
            if (e.Type == PaymentEventType.Succeeded && after.ReturnsPayment(PaymentId))
            {
                detail = await RefundOnce(after, e) ?? detail;
            }

            done = record with { Status = PaymentEventStatus.Applied, Detail = detail, OrderStatusAfter = after.Status };
        }

        var index = state.State.Events.FindIndex(r => r.Event.EventId == e.EventId);
        state.State.Events[index] = done;
        await state.WriteStateAsync();
        return done;
    }

    /// <summary>
    /// The order took the money but cannot deliver: the money goes back through the provider, once
    /// per payment (the provider's refund is idempotent too, for a crash before this write).
    /// </summary>
    private async Task<string?> RefundOnce(Order order, PaymentEvent e)
    {
        if (state.State.Refund is not null)
        {
            return state.State.Refund.Reference;
        }

        var settlement = await OrderGrain.GetSettlement();
        var reason = settlement?.Detail ?? "The order could not be delivered.";
        if (providers.Find(order.Payment.Method) is not { } provider)
        {
            return $"No provider serves {order.Payment.Method}; refund by hand: {reason}";
        }

        try
        {
            state.State.Refund = await provider.RefundAsync(new PaymentRefundRequest(PaymentId, order.OrderId, e.AmountMinor, e.Currency, reason));
            LogRefunded(PaymentId, e.AmountMinor, e.Currency, reason);
            return reason;
        }
        catch (PaymentGatewayException ex)
        {
            LogRefundRefused(ex, PaymentId);
            return $"The gateway refused the refund; refund by hand: {ex.Message}";
        }
    }

    private string? Mismatch(string provider, PaymentEvent e, Order order)
    {
        var payment = order.PaymentNamed(PaymentId)!;
        if (!string.Equals(provider, payment.Method, StringComparison.Ordinal))
        {
            return $"The event came from {provider}, but the order is paid by {payment.Method}.";
        }

        var amount = order.AmountOf(payment);
        return e.AmountMinor != amount || !string.Equals(e.Currency, order.Currency, StringComparison.Ordinal)
            ? $"The event says {e.AmountMinor} {e.Currency}; the payment is {amount} {order.Currency}."
            : null;
    }

    private PaymentEventRecord? Find(string eventId) => state.State.Events.FirstOrDefault(e => e.Event.EventId == eventId);

    private static Outcome<PaymentEventReceipt> Receipt(string eventId, PaymentEventDisposition disposition, Order order, string? detail) =>
        Outcome<PaymentEventReceipt>.Ok(new PaymentEventReceipt(eventId, disposition, order, detail));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment {PaymentId}: event {EventId} recorded for review: {Reason}")]
    private partial void LogRecordedForReview(string paymentId, string eventId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment {PaymentId}: refunded {AmountMinor} {Currency}: {Reason}")]
    private partial void LogRefunded(string paymentId, long amountMinor, string currency, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Payment {PaymentId}: the gateway refused the refund")]
    private partial void LogRefundRefused(Exception exception, string paymentId);
}

[GenerateSerializer]
public sealed class PaymentState
{
    /// <summary>Every event received, in arrival order.</summary>
    [Id(0)]
    public List<PaymentEventRecord> Events { get; set; } = [];

    [Id(1)]
    public PaymentRefundReceipt? Refund { get; set; }
}
