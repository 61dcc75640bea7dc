using FlashSale.Common;
using FlashSale.Lots;
using FlashSale.Orders;
using FlashSale.Payments;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlashSale.Carts;

/// <summary>
/// One shopper's cart. Not reentrant on purpose: a shopper's requests run one at a time, so the
/// per-shopper limit (what is held plus what is in live orders) is judged here, once, before
/// any stock is asked of the lot, and two tabs of one shopper can never both pass the check.
/// A checkout that dies part-way is finished by the shopper's next call or, if none comes, by
/// the <see cref="PendingCheckoutReminder"/>, a durable reminder that outlives the activation.
/// </summary>
internal sealed class ShopperCartGrain(
    [PersistentState("cart", StorageNames.Default)] IPersistentState<CartState> state,
    [FromKeyedServices(FlashSaleClock.Key)] TimeProvider time,
    IOptions<HoldExpiryOptions> holdExpiry,
    IOptions<PaymentOptions> payments,
    IOptions<CashOnDeliveryOptions> cashOnDelivery,
    IOptions<CheckoutRecoveryOptions> checkoutRecovery,
    IOptions<MoneyLimitOptions> moneyLimits,
    ILogger<ShopperCartGrain> logger) : Grain, IShopperCartGrain, IRemindable
{
    /// <summary>The reminder that wakes a cart whose checkout died before it was recorded.</summary>
    public const string PendingCheckoutReminder = "pending-checkout";

    // Lot terms never change after creation (restock changes the quantity, not the terms),
    // so they are cached for the life of the activation.
    private readonly Dictionary<string, LotTerms> _terms = new(StringComparer.Ordinal);

    private RecoveryReminder? _pendingCheckout;

    private string ShopperId => this.GetPrimaryKeyString();

    private CartState Cart => state.State;

    private RecoveryReminder PendingCheckoutRecovery =>
        _pendingCheckout ??= new RecoveryReminder(this, PendingCheckoutReminder, checkoutRecovery.Value.RetryAfter, logger);

    /// <summary>
    /// Reads every stored line back from its lot, which holds the truth: a change to a line that
    /// was already stored is not written alone (see <see cref="CartState.Lines"/>), so a crash may
    /// have left older figures here, or a line the shopper has since released.
    /// </summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var stored = Cart.Lines.Values.ToList();
        var held = await Task.WhenAll(stored.Select(line => GrainFactory.GetGrain<IProduceLotGrain>(line.LotId).GetHold(ShopperId)));
        for (var i = 0; i < stored.Count; i++)
        {
            if (held[i] is { } live)
            {
                Cart.Lines[stored[i].LotId] = stored[i] with { Quantity = live.Quantity, ExpiresAt = live.ExpiresAt };
            }
            else
            {
                Cart.Lines.Remove(stored[i].LotId);
            }
        }
    }

    public async Task<Cart> Get()
    {
        await ResolvePendingCheckout();
        return View(time.GetUtcNow());
    }

    public Task<Outcome<Cart>> SetItem(string lotId, int quantity, CancellationToken cancellationToken = default) =>
        SetItemOnTerms(lotId, quantity, mayReadTermsAgain: true, cancellationToken);

    private async Task<Outcome<Cart>> SetItemOnTerms(string lotId, int quantity, bool mayReadTermsAgain, CancellationToken cancellationToken)
    {
        if (quantity < 0)
        {
            return Refusal.Invalid(EngineTexts.QuantityNotNegative);
        }

        await ResolvePendingCheckout();
        var terms = await TermsOf(lotId);
        if (terms is null)
        {
            return Refusal.NotFound(EngineTexts.TheLot);
        }

        if (quantity == 0)
        {
            return await RemoveItem(lotId);
        }

        var now = time.GetUtcNow();
        if (Cart.LiveLines(now).FirstOrDefault(l => l.LotId != lotId) is { } other && other.Currency != terms.Currency)
        {
            return new Refusal(RefusalCode.CurrencyMismatch, EngineTexts.CartCurrencyMismatch.Format(other.Currency, terms.Currency));
        }

        // The total is judged before the lot is asked: a refused hold moves no stock.
        var projected = Cart.LiveLines(now).Where(l => l.LotId != lotId).Select(l => (l.PriceMinor, l.Quantity)).Append((terms.PriceMinor, quantity));
        if (TotalCeilingRefusal(projected) is { } tooMuch)
        {
            return tooMuch;
        }

        if (await CommittedQuantity(lotId, quantity, terms.PerShopperLimit) is { } committed)
        {
            return new Refusal(RefusalCode.LimitExceeded,
                EngineTexts.LimitWithOrders.Format(terms.PerShopperLimit, committed));
        }

        // While a lot's waiting room is on, only admitted shoppers may take more of it; anyone may
        // keep or release what they already hold.
        var held = Cart.Lines.TryGetValue(lotId, out var line) && line.ExpiresAt > now ? line.Quantity : 0;
        if (terms.WaitingRoom is not null && quantity > held
            && !await GrainFactory.GetGrain<WaitingRooms.IWaitingRoomGrain>(lotId).IsAdmitted(ShopperId))
        {
            return new Refusal(RefusalCode.SaleNotLive, EngineTexts.JoinTheWaitingRoom);
        }

        // The last moment to stop for a client that has gone: past it the lot may take the stock,
        // and the cart must then record it, or the two would disagree until the hold expired.
        cancellationToken.ThrowIfCancellationRequested();
        var expiresAt = now + holdExpiry.Value.Duration;
        var hold = await GrainFactory.GetGrain<IProduceLotGrain>(lotId).SetHold(ShopperId, quantity, expiresAt, terms.Edition);
        if (!hold.Succeeded)
        {
            // The only conflict a hold meets: the seller edited the lot (before it opened) after
            // this cart read its terms. Nothing moved; judge the hold again on the new terms, once.
            if (mayReadTermsAgain && hold.Refusal.Code == RefusalCode.Conflict && _terms.Remove(lotId))
            {
                return await SetItemOnTerms(lotId, quantity, mayReadTermsAgain: false, cancellationToken);
            }

            return hold.Refusal;
        }

        // Only a new line is written: the lot now records this hold durably, and a line already
        // stored is read back from it by the next activation (see CartState.Lines).
        var newLine = !Cart.Lines.ContainsKey(lotId);
        Cart.Lines[lotId] = new CartLine(lotId, quantity, terms.PriceMinor, terms.Currency, expiresAt);
        Cart.PruneExpired(now);
        if (newLine)
        {
            await state.WriteStateAsync();
        }

        return Outcome<Cart>.Ok(View(now));
    }

    public async Task<Outcome<Cart>> RemoveItem(string lotId, CancellationToken cancellationToken = default)
    {
        await ResolvePendingCheckout();
        if (await TermsOf(lotId) is null)
        {
            return Refusal.NotFound(EngineTexts.TheLot);
        }

        var now = time.GetUtcNow();
        var released = await GrainFactory.GetGrain<IProduceLotGrain>(lotId).SetHold(ShopperId, 0, now);
        if (!released.Succeeded)
        {
            return released.Refusal;
        }

        Cart.Lines.Remove(lotId); // not written alone: the lot holds nothing now, and says so to the next activation
        return Outcome<Cart>.Ok(View(now));
    }

    public Task HoldReturned(string lotId)
    {
        Cart.Lines.Remove(lotId); // not written alone, as a release
        return Task.CompletedTask;
    }

    public async Task<Outcome<Order>> Checkout(string orderId, string paymentMethod)
    {
        await ResolvePendingCheckout();
        var order = GrainFactory.GetGrain<IOrderGrain>(orderId);
        if (Cart.Orders.ContainsKey(orderId))
        {
            return await order.Get() is { } known ? Outcome<Order>.Ok(known) : Refusal.NotFound(EngineTexts.TheOrder);
        }

        var now = time.GetUtcNow();
        var lines = Cart.LiveLines(now).ToList();
        if (lines.Count == 0)
        {
            return Refusal.Conflict(EngineTexts.CartEmpty);
        }

        var currency = lines[0].Currency;
        if (payments.Value.Find(currency, paymentMethod) is not { } method)
        {
            return Refusal.Invalid(EngineTexts.NotAPaymentMethod.Format(paymentMethod, currency));
        }

        // A cart held before the ceiling was lowered is refused whole, before any stock moves.
        if (TotalCeilingRefusal(lines.Select(l => (l.PriceMinor, l.Quantity))) is { } tooMuch)
        {
            return tooMuch;
        }

        // A presale pays a deposit and is settled by its harvest, so it is an order of its own,
        // and its deposit is paid before the harvest, never on delivery. Judged before any stock
        // moves; the order judges the same on what the lots moved.
        var presaleTerms = await Task.WhenAll(lines.Select(l => TermsOf(l.LotId)));
        if (presaleTerms.Any(t => t?.Presale is not null))
        {
            if (lines.Count > 1)
            {
                return Refusal.Conflict(EngineTexts.PresaleOnItsOwn);
            }

            if (method.Flow == PaymentFlow.OnDelivery)
            {
                return Refusal.Invalid(EngineTexts.NoDepositOnDelivery);
            }
        }

        // Judged here, where the shopper's checkouts run one at a time, so two at once cannot both pass.
        var maxOpen = cashOnDelivery.Value.MaxOpenOrdersPerShopper;
        if (method.Flow == PaymentFlow.OnDelivery && await OpenCashOnDeliveryOrders(now) >= maxOpen)
        {
            return new Refusal(RefusalCode.LimitExceeded,
                EngineTexts.CashOnDeliveryOpenLimit.Format(maxOpen));
        }

        // Record the intent before the order takes the holds: if this activation dies in
        // between, the next call places the same order again (idempotent) and settles the cart.
        // The reminder is that next call when the shopper makes none: without it, stock a
        // cash-on-delivery lot sold to the order would wait for the shopper's return. It is set
        // before the intent is written, so no crash can leave an intent without it.
        var command = new PlaceOrder(ShopperId, lines.Select(l => new OrderLine(l.LotId, l.Quantity, l.PriceMinor)).ToList(), currency, paymentMethod);
        await PendingCheckoutRecovery.Set();
        Cart.Pending = new PendingCheckout(orderId, lines.Select(l => l.LotId).ToList(), command);
        await state.WriteStateAsync();

        var placed = await order.Place(command);
        if (placed.Succeeded)
        {
            Settle(placed.Value, Cart.Pending.LotIds);
        }

        Cart.Pending = null;
        Cart.PruneExpired(now);
        await state.WriteStateAsync();
        await PendingCheckoutRecovery.Forget();
        return placed;
    }

    public async Task<Outcome<Order>> AcceptSubstitute(string orderId, string paymentMethod)
    {
        await ResolvePendingCheckout();
        if (!Cart.Orders.ContainsKey(orderId))
        {
            return Refusal.NotFound(EngineTexts.TheOrder);
        }

        var taken = await GrainFactory.GetGrain<IOrderGrain>(orderId).TakeSubstitute(ShopperId, paymentMethod);
        if (taken.Succeeded && !Cart.Orders.ContainsKey(taken.Value.OrderId))
        {
            // Counted like a checkout: its payment comes through this cart, and its units count towards the limit.
            Settle(taken.Value, []);
            await state.WriteStateAsync();
        }

        return taken;
    }

    /// <summary>Finishes a checkout that died part-way, when no call of the shopper's did.</summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != PendingCheckoutReminder)
        {
            return;
        }

        PendingCheckoutRecovery.MayBeSet();
        if (Cart.Pending is null)
        {
            // A call of the shopper's finished it first, or the intent was never written.
            await PendingCheckoutRecovery.Forget();
            return;
        }

        // A failure here leaves the intent and the reminder in place: it fires again.
        await ResolvePendingCheckout();
    }

    public async Task<IReadOnlyList<string>> ListOrderIds()
    {
        await ResolvePendingCheckout();
        return Cart.OrderIds.ToList();
    }

    private async Task ResolvePendingCheckout()
    {
        if (Cart.Pending is not { } pending)
        {
            return;
        }

        PendingCheckoutRecovery.MayBeSet(); // an earlier activation set it with the intent

        // The checkout died part-way. Placing the order again is idempotent: it finds what the
        // lots already moved to it (a cash-on-delivery sale included) and moves what they still
        // hold, so no stock stays with an order that was never written.
        var order = GrainFactory.GetGrain<IOrderGrain>(pending.OrderId);
        var placed = await order.Get() is { } existing ? Outcome<Order>.Ok(existing) : await order.Place(pending.Command);
        if (placed.Succeeded)
        {
            Settle(placed.Value, pending.LotIds);
        }

        Cart.Pending = null;
        await state.WriteStateAsync();
        await PendingCheckoutRecovery.Forget();
    }

    /// <summary>The placed order now owns the stock: its lines leave the cart and count as bought.</summary>
    private void Settle(Order order, IReadOnlyList<string> checkedOutLots)
    {
        foreach (var lotId in checkedOutLots)
        {
            Cart.Lines.Remove(lotId);
        }

        var onDelivery = order.Status == OrderStatus.ConfirmedCod;
        if (Cart.Orders.TryAdd(order.OrderId, new OrderLedgerEntry(order.Items.ToDictionary(i => i.LotId, i => i.Quantity), order.Status.ReleasedItsStock(), onDelivery)))
        {
            Cart.OrderIds.Add(order.OrderId);
        }
    }

    /// <summary>
    /// Null when <paramref name="wanted"/> fits the limit beside what the shopper's live orders
    /// hold; otherwise the quantity already committed to orders. Orders that may have been
    /// cancelled or expired since are asked only when the limit would otherwise be exceeded.
    /// </summary>
    private async Task<int?> CommittedQuantity(string lotId, int wanted, int limit)
    {
        var committed = Cart.CommittedTo(lotId);
        if (committed + wanted <= limit)
        {
            return null;
        }

        foreach (var (orderId, entry) in Cart.Orders.Where(o => !o.Value.Released && o.Value.Quantities.ContainsKey(lotId)).ToList())
        {
            var order = await GrainFactory.GetGrain<IOrderGrain>(orderId).Get();
            if (order is null || order.Status.ReleasedItsStock())
            {
                Cart.Orders[orderId] = entry with { Released = true };
            }
        }

        committed = Cart.CommittedTo(lotId);
        return committed + wanted <= limit ? null : committed;
    }

    public async Task<int> QuantityTowardsLimit(string lotId)
    {
        await ResolvePendingCheckout();
        if (await RefreshReleasedOrders(lotId))
        {
            await state.WriteStateAsync();
        }

        var now = time.GetUtcNow();
        return Cart.LiveLines(now).Where(l => l.LotId == lotId).Sum(l => l.Quantity) + Cart.CommittedTo(lotId);
    }

    public async Task<Outcome<Order>> ConfirmPayment(string orderId, string paymentId, long amountMinor, string currency)
    {
        await ResolvePendingCheckout();
        var orderGrain = GrainFactory.GetGrain<IOrderGrain>(orderId);
        if (await orderGrain.Get() is not { } order || !string.Equals(order.ShopperId, ShopperId, StringComparison.Ordinal))
        {
            return Refusal.NotFound(EngineTexts.TheOrder);
        }

        if (!Cart.Orders.ContainsKey(orderId))
        {
            // The shopper's own order that this cart never counted: a substitute whose acceptance
            // died after the order was placed and before the cart heard. Counted now, before it settles.
            Settle(order, []);
            await state.WriteStateAsync();
        }

        // An order past its deadline has given its stock back and left the limit; taking the
        // stock again must fit the limit beside what the shopper has held and bought since.
        // Any other order still counts in the ledger, so settling it cannot break the limit.
        var mayRetake = order.Status != OrderStatus.Expired || await RetakeFitsLimit(order);
        var confirmed = await orderGrain.ConfirmPayment(paymentId, amountMinor, currency, mayRetake);
        if (confirmed.Succeeded)
        {
            var entry = Cart.Orders[orderId];
            var released = confirmed.Value.Status.ReleasedItsStock();
            if (entry.Released != released)
            {
                Cart.Orders[orderId] = entry with { Released = released };
                await state.WriteStateAsync();
            }
        }

        return confirmed;
    }

    private async Task<bool> RetakeFitsLimit(Order order)
    {
        var now = time.GetUtcNow();
        foreach (var item in order.Items)
        {
            if (await TermsOf(item.LotId) is not { } terms)
            {
                return false;
            }

            await RefreshReleasedOrders(item.LotId);
            var held = Cart.LiveLines(now).Where(l => l.LotId == item.LotId).Sum(l => l.Quantity);
            var others = Cart.Orders.Where(o => o.Key != order.OrderId && !o.Value.Released).Sum(o => o.Value.Quantities.GetValueOrDefault(item.LotId));
            if (held + others + item.Quantity > terms.PerShopperLimit)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Marks the ledger entries of orders holding this lot that have since given their stock back; true if any changed.</summary>
    private async Task<bool> RefreshReleasedOrders(string lotId)
    {
        var changed = false;
        foreach (var (orderId, entry) in Cart.Orders.Where(o => !o.Value.Released && o.Value.Quantities.ContainsKey(lotId)).ToList())
        {
            var order = await GrainFactory.GetGrain<IOrderGrain>(orderId).Get();
            if (order is null || order.Status.ReleasedItsStock())
            {
                Cart.Orders[orderId] = entry with { Released = true };
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>Cash-on-delivery orders still confirmed and inside their delivery window.</summary>
    private async Task<int> OpenCashOnDeliveryOrders(DateTimeOffset now)
    {
        var open = 0;
        foreach (var orderId in Cart.Orders.Where(o => o.Value.CashOnDelivery && !o.Value.Released).Select(o => o.Key).ToList())
        {
            if (await GrainFactory.GetGrain<IOrderGrain>(orderId).Get() is { Status: OrderStatus.ConfirmedCod } order && order.Payment.ExpiresAt > now)
            {
                open++;
            }
        }

        return open;
    }

    private async Task<LotTerms?> TermsOf(string lotId)
    {
        if (_terms.TryGetValue(lotId, out var terms))
        {
            return terms;
        }

        terms = await GrainFactory.GetGrain<IProduceLotGrain>(lotId).GetTerms();
        if (terms is not null)
        {
            _terms[lotId] = terms;
        }

        return terms;
    }

    private Refusal? TotalCeilingRefusal(IEnumerable<(long PriceMinor, int Quantity)> lines)
    {
        var ceiling = moneyLimits.Value.MaxOrderTotalMinor;
        return Money.WithinCeiling(lines, ceiling) ? null : new Refusal(RefusalCode.LimitExceeded, EngineTexts.OrderTotalCeiling.Format(ceiling));
    }

    private Cart View(DateTimeOffset now)
    {
        var items = Cart.LiveLines(now).Select(l => new CartItem(l.LotId, l.Quantity, l.PriceMinor, l.ExpiresAt)).ToList();

        // Holds are bounded by the ceiling, so the total fits; a cart from before the ceiling still
        // reads (its total shown as the largest value) rather than failing every read.
        var total = Money.TryTotal(items.Select(i => (i.PriceMinor, i.Quantity)), out var sum) ? sum : long.MaxValue;
        return new Cart(ShopperId, items, total, Cart.LiveLines(now).FirstOrDefault()?.Currency);
    }
}

/// <summary>How long a hold lasts before its stock returns to the lot (the contract's default: 10 minutes).</summary>
/// <summary>How soon a checkout that died part-way is finished without the shopper (<c>FlashSale:CheckoutRecovery</c>).</summary>
public sealed class CheckoutRecoveryOptions
{
    public const string Section = "FlashSale:CheckoutRecovery";

    /// <summary>The first retry and the interval of the next ones; Orleans reminders tick at most once a minute.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromMinutes(1);
}

public sealed class HoldExpiryOptions
{
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(10);
}
