namespace FlashSale.Payments;

/// <summary>
/// The first payment to receive an event id owns it for good: written before it answers, so two
/// payments racing for one event id cannot both win, and a gateway's event id is applied once
/// across every payment.
/// </summary>
internal sealed class PaymentEventClaimGrain(
    [PersistentState("payment-event", StorageNames.Default)] IPersistentState<PaymentEventClaim> state) : Grain, IPaymentEventClaimGrain
{
    public async Task<string> Claim(string paymentId)
    {
        if (state.State.PaymentId is { } owner)
        {
            return owner;
        }

        state.State.PaymentId = paymentId;
        await state.WriteStateAsync();
        return paymentId;
    }
}

[GenerateSerializer]
public sealed class PaymentEventClaim
{
    [Id(0)]
    public string? PaymentId { get; set; }
}
