using FlashSale.Common;
using FlashSale.Lots;

namespace FlashSale.Orders;

/// <summary>
/// A substitute for a presale order the harvest cut short: the seller offers units of another
/// grade's declared harvest, reserved in that lot under the order id they would become; the
/// shopper takes them up as a new order paid in full, or declines, or lets the offer lapse, and
/// the units go back. This order only calls lots and the new order, so nothing calls back into it.
/// </summary>
internal sealed partial class OrderGrain
{
    public async Task<Outcome<Order>> OfferSubstitute(string sellerId, string lotId, int quantity)
    {
        await FinishSettlementIfPending();
        await ExpireIfDue();
        if (state.State.Order is not { } order || !Book.SellerOfLot.ContainsValue(sellerId))
        {
            return Refusal.NotFound(EngineTexts.TheOrder); // another seller's order is not revealed
        }

        if (order.Presale is not { } presale || order.Status is not (OrderStatus.AwaitingBalance or OrderStatus.Refunded)
            || presale.Ordered - (presale.Allocated ?? presale.Ordered) <= 0)
        {
            return Refusal.Conflict(EngineTexts.SubstituteOnlyForCutOrders);
        }

        var cut = presale.Ordered - presale.Allocated!.Value;

        if (string.Equals(lotId, presale.LotId, StringComparison.Ordinal))
        {
            return Refusal.Invalid(EngineTexts.SubstituteFromAnotherLot);
        }

        if (quantity < 1 || quantity > cut)
        {
            return Refusal.Invalid(EngineTexts.SubstituteQuantity.Format(cut));
        }

        var now = time.GetUtcNow();
        if (SubstituteAsOf(order, now) is { Status: SubstituteStatus.Offered or SubstituteStatus.Accepted } standing)
        {
            return standing.LotId == lotId && standing.Quantity == quantity && standing.Status == SubstituteStatus.Offered
                ? Outcome<Order>.Ok(order)
                : Refusal.Conflict(EngineTexts.SubstituteAlreadyOffered);
        }

        // Reserved before it is written: a crash in between leaves units held for an offer nobody
        // sees until its time runs out (they then return), never an offer without its units. The
        // offer's id is this order's, reversed, so the same offer made again finds its reservation.
        var expiresAt = order.Status == OrderStatus.AwaitingBalance ? order.Payment.ExpiresAt : now + TimeSpan.FromHours(presale.BalanceWindowHours);
        var offerId = SubstituteOrderId();
        var lot = GrainFactory.GetGrain<IProduceLotGrain>(lotId);
        var reserved = await lot.ReserveOffer(sellerId, offerId, order.ShopperId, quantity, expiresAt);
        if (!reserved.Succeeded)
        {
            return reserved.Refusal;
        }

        if (!string.Equals(reserved.Value.Currency, order.Currency, StringComparison.Ordinal))
        {
            await lot.ReleaseReservation(offerId);
            return new Refusal(RefusalCode.CurrencyMismatch, EngineTexts.SubstituteCurrencyMismatch.Format(reserved.Value.Currency, order.Currency));
        }

        state.State.Order = order with { Substitute = new OrderSubstitute(offerId, lotId, quantity, reserved.Value.PriceMinor, expiresAt, SubstituteStatus.Offered) };
        await Save();
        PublishFulfilment();
        return Outcome<Order>.Ok(state.State.Order);
    }

    public async Task<Outcome<Order>> TakeSubstitute(string shopperId, string paymentMethod)
    {
        if (state.State.Order is not { } order || !string.Equals(order.ShopperId, shopperId, StringComparison.Ordinal))
        {
            return Refusal.NotFound(EngineTexts.TheOrder);
        }

        var offer = SubstituteAsOf(order, time.GetUtcNow());
        if (offer is { Status: SubstituteStatus.Accepted })
        {
            return await GrainFactory.GetGrain<IOrderGrain>(offer.OfferId).Get() is { } taken ? Outcome<Order>.Ok(taken) : Refusal.NotFound(EngineTexts.TheOrder);
        }

        if (offer is not { Status: SubstituteStatus.Offered })
        {
            return Refusal.Conflict(EngineTexts.NoSubstituteToAnswer);
        }

        // The new order takes the units its id already holds in the lot (the lot answers a move it
        // has made as done), and is idempotent, so a retry after a crash places the same order.
        var placed = await GrainFactory.GetGrain<IOrderGrain>(offer.OfferId).Place(new PlaceOrder(
            shopperId, [new OrderLine(offer.LotId, offer.Quantity, offer.PriceMinor)], order.Currency, paymentMethod, Substitute: true));
        if (!placed.Succeeded)
        {
            return placed;
        }

        state.State.Order = order with { Substitute = offer with { Status = SubstituteStatus.Accepted } };
        await Save();
        PublishFulfilment();
        return placed;
    }

    public async Task<Outcome<Order>> DeclineSubstitute(string shopperId)
    {
        if (state.State.Order is not { } order || !string.Equals(order.ShopperId, shopperId, StringComparison.Ordinal))
        {
            return Refusal.NotFound(EngineTexts.TheOrder);
        }

        var offer = SubstituteAsOf(order, time.GetUtcNow());
        if (offer is { Status: SubstituteStatus.Declined })
        {
            return Outcome<Order>.Ok(order);
        }

        if (offer is not { Status: SubstituteStatus.Offered })
        {
            return Refusal.Conflict(EngineTexts.NoSubstituteToAnswer);
        }

        // The units go back first (idempotent): a crash before the write leaves an offer whose
        // units are gone, which the new order then cannot take, and nothing is held for nobody.
        await GrainFactory.GetGrain<IProduceLotGrain>(offer.LotId).ReleaseReservation(offer.OfferId);
        state.State.Order = order with { Substitute = offer with { Status = SubstituteStatus.Declined } };
        await Save();
        PublishFulfilment();
        return Outcome<Order>.Ok(state.State.Order);
    }

    /// <summary>The offer as of <paramref name="now"/>: one unanswered past its time has lapsed (its lot has returned the units).</summary>
    private static OrderSubstitute? SubstituteAsOf(Order order, DateTimeOffset now) =>
        order.Substitute is { Status: SubstituteStatus.Offered } offer && now >= offer.ExpiresAt
            ? offer with { Status = SubstituteStatus.Expired }
            : order.Substitute;

    /// <summary>
    /// The order a substitute offer becomes: this order's random part reversed (rotated as well
    /// should it read the same both ways), an id of the same shape that no other order derives.
    /// </summary>
    private string SubstituteOrderId()
    {
        var reversed = new string(OrderId[Ids.OrderPrefix.Length..].Reverse().ToArray());
        var id = Ids.OrderPrefix + reversed;
        return id == OrderId ? Ids.OrderPrefix + reversed[1..] + reversed[0] : id;
    }

    /// <summary>The order as it reads at <paramref name="now"/>: an offer left unanswered past its time shows as expired.</summary>
    private static Order WithSubstituteAsOf(Order order, DateTimeOffset now) =>
        order.Substitute is { Status: SubstituteStatus.Offered } && SubstituteAsOf(order, now) is { } asOf && asOf != order.Substitute ? order with { Substitute = asOf } : order;
}
