using FlashSale.Carts;
using FlashSale.Common;
using FlashSale.Orders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace FlashSale.Checkout;

/// <summary>
/// One shopper's <c>Idempotency-Key</c>. Reentrant so that a retry arriving while the first
/// request runs is answered at once (409 in flight) instead of queueing behind it; the
/// <see cref="_running"/> flag is set before the first await, so two calls can never both start.
/// The order id is chosen and written before the cart is asked, so a retry after a crash
/// re-drives the same order and can never create a second one.
/// </summary>
[Reentrant]
internal sealed class CheckoutRequestGrain(
    [PersistentState("checkout", StorageNames.Default)] IPersistentState<CheckoutRequestState> state,
    [FromKeyedServices(FlashSaleClock.Key)] TimeProvider time,
    IOptions<IdempotencyOptions> options) : Grain, ICheckoutRequestGrain
{
    private bool _running;

    // Not observed once running (see IShopperCartGrain.SetItem): the first run always finishes.
    public async Task<CheckoutReply> Execute(string fingerprint, string paymentMethod, Fulfilment.OrderDelivery? delivery = null, CancellationToken cancellationToken = default)
    {
        var request = state.State;
        if (request.CompletedAt is { } completedAt && time.GetUtcNow() - completedAt > options.Value.Retention)
        {
            // Past retention the key is forgotten, as the draft allows: it starts afresh.
            request = state.State = new CheckoutRequestState();
        }

        if (request.Fingerprint is not null && !string.Equals(request.Fingerprint, fingerprint, StringComparison.Ordinal))
        {
            return new CheckoutReply(CheckoutReplyKind.KeyReused, null);
        }

        if (request.Reply is not null)
        {
            return new CheckoutReply(CheckoutReplyKind.Answered, request.Reply);
        }

        if (_running)
        {
            return new CheckoutReply(CheckoutReplyKind.InFlight, null);
        }

        _running = true;
        try
        {
            if (request.OrderId is null)
            {
                request.Fingerprint = fingerprint;
                request.OrderId = Ids.New(Ids.OrderPrefix);
                await state.WriteStateAsync();
            }

            var shopperId = this.GetPrimaryKeyString().Split('/', 2)[0];
            var outcome = await GrainFactory.GetGrain<IShopperCartGrain>(shopperId).Checkout(request.OrderId, paymentMethod);
            if (outcome.Succeeded && delivery is not null)
            {
                // Idempotent in the order: a retry after a crash here sets the same delivery again.
                var delivered = await GrainFactory.GetGrain<Fulfilment.IOrderFulfilmentGrain>(request.OrderId).SetDelivery(shopperId, delivery);
                outcome = delivered.Succeeded ? delivered : outcome;
            }

            request.Reply = outcome;
            request.CompletedAt = time.GetUtcNow();
            await state.WriteStateAsync();
            return new CheckoutReply(CheckoutReplyKind.Answered, outcome);
        }
        finally
        {
            _running = false;
        }
    }
}

[GenerateSerializer]
public sealed class CheckoutRequestState
{
    /// <summary>A hash of the request body; a retry with another body is refused.</summary>
    [Id(0)]
    public string? Fingerprint { get; set; }

    [Id(1)]
    public string? OrderId { get; set; }

    [Id(2)]
    public Outcome<Order>? Reply { get; set; }

    [Id(3)]
    public DateTimeOffset? CompletedAt { get; set; }
}

/// <summary>How long an answered idempotency key is remembered (at least the contract's 24 hours).</summary>
public sealed class IdempotencyOptions
{
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);
}
