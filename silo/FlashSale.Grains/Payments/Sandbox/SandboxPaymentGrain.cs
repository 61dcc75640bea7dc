using FlashSale.Common;
using Microsoft.Extensions.DependencyInjection;

namespace FlashSale.Payments.Sandbox;

/// <summary>
/// The sandbox gateway's ledger of one payment. It behaves as a gateway's own books would: a
/// payment that succeeded cannot succeed again, a failed one may be tried again, and a refund is
/// made once however often it is asked for. It calls nobody.
/// </summary>
internal sealed class SandboxPaymentGrain(
    [PersistentState("sandbox-payment", StorageNames.Default)] IPersistentState<SandboxPaymentState> state,
    [FromKeyedServices(FlashSaleClock.Key)] TimeProvider time) : Grain, ISandboxPaymentGrain
{
    private string PaymentId => this.GetPrimaryKeyString();

    public async Task<SandboxPayment> Open(SandboxPaymentTerms terms)
    {
        if (state.State.Terms is null)
        {
            state.State.Terms = terms;
            await state.WriteStateAsync();
        }

        return View()!;
    }

    public Task<SandboxPayment?> Get() => Task.FromResult(View());

    public async Task<Outcome<PaymentEvent>> Complete(PaymentEventType outcome)
    {
        if (state.State.Terms is not { } terms)
        {
            return Refusal.NotFound(EngineTexts.ThePayment);
        }

        if (state.State.Status is SandboxPaymentStatus.Succeeded or SandboxPaymentStatus.Refunded)
        {
            return Refusal.Conflict(state.State.Status == SandboxPaymentStatus.Succeeded ? EngineTexts.PaymentAlreadySucceeded : EngineTexts.PaymentAlreadyRefunded);
        }

        var paymentEvent = new PaymentEvent(Ids.New(Ids.EventPrefix), PaymentId, outcome, terms.AmountMinor, terms.Currency);
        state.State.Status = outcome == PaymentEventType.Succeeded ? SandboxPaymentStatus.Succeeded : SandboxPaymentStatus.Failed;
        state.State.Events.Add(new SandboxEvent(paymentEvent, terms.Provider, time.GetUtcNow(), []));
        await state.WriteStateAsync();
        return Outcome<PaymentEvent>.Ok(paymentEvent);
    }

    public async Task RecordAttempt(string eventId, SandboxDeliveryAttempt attempt)
    {
        var index = state.State.Events.FindIndex(e => e.Event.EventId == eventId);
        if (index < 0)
        {
            return;
        }

        var issued = state.State.Events[index];
        state.State.Events[index] = issued with { Attempts = [.. issued.Attempts, attempt] };
        await state.WriteStateAsync();
    }

    public async Task<Outcome<SandboxPayment>> Refund(long amountMinor, string currency)
    {
        if (state.State.Terms is not { } terms)
        {
            return Refusal.NotFound(EngineTexts.ThePayment);
        }

        if (state.State.Status == SandboxPaymentStatus.Refunded)
        {
            return Outcome<SandboxPayment>.Ok(View()!); // the same refund asked again: made once
        }

        if (state.State.Status != SandboxPaymentStatus.Succeeded)
        {
            return Refusal.Conflict(EngineTexts.OnlySucceededRefunds);
        }

        // A part may go back (a presale's deposit for units the harvest did not cover); once per payment, as gateways commonly allow.
        if (amountMinor <= 0 || amountMinor > terms.AmountMinor || !string.Equals(currency, terms.Currency, StringComparison.Ordinal))
        {
            return Refusal.Invalid(EngineTexts.RefundDoesNotMatch.Format(amountMinor, currency, terms.AmountMinor, terms.Currency));
        }

        state.State.Status = SandboxPaymentStatus.Refunded;
        state.State.RefundedMinor = amountMinor;
        state.State.RefundedAt = time.GetUtcNow();
        await state.WriteStateAsync();
        return Outcome<SandboxPayment>.Ok(View()!);
    }

    private SandboxPayment? View() => state.State.Terms is { } terms
        ? new SandboxPayment(PaymentId, terms, state.State.Status, state.State.Events.ToList(), state.State.RefundedMinor,
            state.State.RefundedAt is null ? 0 : 1, state.State.RefundedAt)
        : null;
}

[GenerateSerializer]
public sealed class SandboxPaymentState
{
    [Id(0)]
    public SandboxPaymentTerms? Terms { get; set; }

    [Id(1)]
    public SandboxPaymentStatus Status { get; set; }

    [Id(2)]
    public List<SandboxEvent> Events { get; set; } = [];

    [Id(3)]
    public long RefundedMinor { get; set; }

    [Id(4)]
    public DateTimeOffset? RefundedAt { get; set; }
}
