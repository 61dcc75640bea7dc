using System.Globalization;
using FlashSale.Accounts;
using FlashSale.Agents;
using FlashSale.Carts;
using FlashSale.Checkout;
using FlashSale.Common;
using FlashSale.Fulfilment;
using FlashSale.Lots;
using FlashSale.Orders;
using FlashSale.Payments;
using FlashSale.WaitingRooms;

namespace FlashSale.Phone;

/// <summary>What became of a hold asked for by phone.</summary>
internal abstract record PhoneHold
{
    public sealed record Held(Lot Lot, CartItem Item) : PhoneHold;

    /// <summary>The lot has a waiting room and the shopper's turn has not come: the shopper joined (or already was in) its queue.</summary>
    public sealed record Queued(Lot Lot, QueueTicket Ticket) : PhoneHold;

    public sealed record Refused(Refusal Refusal) : PhoneHold;
}

/// <summary>
/// The phone channel's way into the sale: the same grains, in the same order, as the web's
/// routes (cart → lot, checkout request → cart → order, waiting room), so a phone shopper has the
/// same limits and the same fairness. Nothing here decides stock; it only asks.
/// </summary>
internal sealed class PhoneShop(IGrainFactory grains, PaymentOptions payments, PhoneChannelOptions options)
{
    /// <summary>The shopper the number is: its one account, made on first use.</summary>
    public Task<Account> AccountOf(string phone) => grains.GetGrain<IPhoneNumberGrain>(phone).BindAccount();

    /// <summary>The number's account if it has one; null for a number that never acted (nothing is made).</summary>
    public Task<Account?> ExistingAccountOf(string phone) => grains.GetGrain<IPhoneNumberGrain>(phone).BoundAccount();

    public Task<Lot?> Lot(string lotId) => grains.GetGrain<IProduceLotGrain>(lotId).Get();

    public async Task<Lot?> LotByCode(int phoneCode) =>
        await grains.GetGrain<IPhoneCodeDirectoryGrain>(0).LotOf(phoneCode) is { } lotId ? await Lot(lotId) : null;

    public Task<Cart> Cart(string shopperId) => grains.GetGrain<IShopperCartGrain>(shopperId).Get();

    /// <summary>
    /// Sets the shopper's hold of the lot to <paramref name="quantity"/>. A lot with a waiting
    /// room is held only by an admitted shopper, exactly as on the web; one who is not yet
    /// admitted joins the queue (the same ticket on every call) instead. With
    /// <paramref name="agentId"/> the shopper is that agent's villager and the hold goes through
    /// the agent's grain, as <c>PUT /api/agent/villagers/{id}/cart/items/{lotId}</c> does: the
    /// villager's limit and the agent's cap per lot both apply. A phone that joins the queue is
    /// texted, as <paramref name="textOnAdmission"/> says, when its turn comes.
    /// </summary>
    public async Task<PhoneHold> Hold(string shopperId, Lot lot, int quantity, AdmissionSmsRecipient textOnAdmission, string? agentId = null)
    {
        if (lot.WaitingRoom is not null)
        {
            var room = grains.GetGrain<IWaitingRoomGrain>(lot.LotId);
            if (!await room.IsAdmitted(shopperId))
            {
                var ticket = await room.JoinByPhone(shopperId, textOnAdmission);
                if (!ticket.Succeeded)
                {
                    return new PhoneHold.Refused(ticket.Refusal);
                }

                if (ticket.Value.State is not TicketState.Admitted)
                {
                    return new PhoneHold.Queued(lot, ticket.Value);
                }
            }
        }

        var cart = agentId is null
            ? await grains.GetGrain<IShopperCartGrain>(shopperId).SetItem(lot.LotId, quantity)
            : await grains.GetGrain<IAgentGrain>(agentId).SetItem(shopperId, lot.LotId, quantity);
        if (!cart.Succeeded)
        {
            return new PhoneHold.Refused(cart.Refusal);
        }

        var item = cart.Value.Items.FirstOrDefault(i => string.Equals(i.LotId, lot.LotId, StringComparison.Ordinal));
        return item is null ? new PhoneHold.Refused(Refusal.Conflict(EngineTexts.NotFound.Format(EngineTexts.TheLot))) : new PhoneHold.Held(lot, item);
    }

    public Task<Outcome<Cart>> Release(string shopperId, string lotId) => grains.GetGrain<IShopperCartGrain>(shopperId).RemoveItem(lotId);

    /// <summary>
    /// Checks the cart out once per <paramref name="idempotencyKey"/>, through the same
    /// idempotent checkout request as <c>POST /api/checkout</c>: a repeated step or message
    /// answers the first order and never places a second.
    /// </summary>
    public async Task<Outcome<Order>> Checkout(string shopperId, string idempotencyKey, string method, OrderDelivery? delivery = null)
    {
        var fingerprint = PhoneChannel.KeyPart("paymentMethod=" + method + (delivery is null ? "" : ";point=" + delivery.PointId));
        var reply = await grains.GetGrain<ICheckoutRequestGrain>($"{shopperId}/{idempotencyKey}").Execute(fingerprint, method, delivery);
        return reply.Kind switch
        {
            CheckoutReplyKind.Answered => reply.Outcome!,
            _ => Refusal.Conflict(EngineTexts.NotFound.Format(EngineTexts.TheOrder)),
        };
    }

    /// <summary>The shopper's orders, newest first.</summary>
    public async Task<IReadOnlyList<Order>> Orders(string shopperId)
    {
        var ids = await grains.GetGrain<IShopperCartGrain>(shopperId).ListOrderIds();
        var orders = await Task.WhenAll(ids.Select(id => grains.GetGrain<IOrderGrain>(id).Get()));
        return orders.OfType<Order>().OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.OrderId, StringComparer.Ordinal).ToList();
    }

    public Task<Outcome<Order>> Cancel(string shopperId, string orderId) => grains.GetGrain<IOrderGrain>(orderId).Cancel(shopperId);

    /// <summary>The methods a phone may pay by in <paramref name="currency"/>, the market's default first.</summary>
    public IReadOnlyList<string> MethodsFor(string currency) =>
        options.Methods.TryGetValue(currency, out var methods)
            ? methods.Where(m => payments.Find(currency, m) is { Flow: not PaymentFlow.Agent }).ToList()
            : [];

    /// <summary>
    /// <paramref name="methods"/> without those paid on delivery, for a cart with a presale: its
    /// deposit is paid before the harvest, and the cart refuses a method paid on delivery.
    /// </summary>
    public IReadOnlyList<string> PaidBeforeDelivery(string currency, IReadOnlyList<string> methods) =>
        methods.Where(m => payments.Find(currency, m) is not { Flow: PaymentFlow.OnDelivery }).ToList();

    /// <summary>
    /// The methods an agent may check a villager out with, the agent's own first: as on
    /// <c>POST /api/agent/villagers/{id}/checkout</c>, the villager has no phone, so the agent
    /// collects the cash now (village agent) or on delivery.
    /// </summary>
    public IReadOnlyList<string> AgentMethodsFor(string currency) =>
        payments.MethodsFor(currency).Where(m => m.Flow is PaymentFlow.Agent or PaymentFlow.OnDelivery)
            .OrderBy(m => m.Flow is PaymentFlow.Agent ? 0 : 1).Select(m => m.Method).ToList();

    /// <summary>The agent's villagers, the earliest registered first (then by name): a stable order, so a choice's number means the same villager on every step.</summary>
    public async Task<IReadOnlyList<Villager>> Villagers(string agentId) =>
        (await grains.GetGrain<IAgentGrain>(agentId).ListVillagers())
            .OrderBy(v => v.RegisteredAt).ThenBy(v => v.Name, StringComparer.Ordinal).ThenBy(v => v.ShopperId, StringComparer.Ordinal).ToList();

    /// <summary>Where an agent's villager's order goes by default, as on the web: the agent's own service point, when it has one.</summary>
    public async Task<OrderDelivery?> AgentDelivery(string agentId) =>
        await grains.GetGrain<IPickupPointDirectoryGrain>(0).Find(PickupPoints.PointIdOf(agentId)) is { } point ? OrderDelivery.AtPoint(point) : null;

    public static LocalText MethodName(string method, PaymentOptions payments, string currency) => method switch
    {
        "cash-on-delivery" => PhoneTexts.MethodCashOnDelivery,
        "bank-transfer" => PhoneTexts.MethodBankTransfer,
        "mobile-money" => PhoneTexts.MethodMobileMoney,
        "wallet" => PhoneTexts.MethodWallet,
        "village-agent" => PhoneTexts.MethodVillageAgent,
        _ => payments.Find(currency, method)?.DisplayName is { Length: > 0 } name ? new LocalText(name, name) : new LocalText(method, method),
    };

    public static LocalText StatusName(OrderStatus status) => status switch
    {
        OrderStatus.AwaitingPayment => PhoneTexts.StatusAwaitingPayment,
        OrderStatus.Paid => PhoneTexts.StatusPaid,
        OrderStatus.ConfirmedCod => PhoneTexts.StatusConfirmedCod,
        OrderStatus.Cancelled => PhoneTexts.StatusCancelled,
        OrderStatus.Expired => PhoneTexts.StatusExpired,
        OrderStatus.DepositPaid => PhoneTexts.StatusDepositPaid,
        OrderStatus.AwaitingBalance => PhoneTexts.StatusAwaitingBalance,
        OrderStatus.Forfeited => PhoneTexts.StatusForfeited,
        _ => PhoneTexts.StatusRefunded,
    };

    public static LocalText StatusName(LotStatus status) => status switch
    {
        LotStatus.Scheduled => PhoneTexts.LotScheduled,
        LotStatus.Paused => PhoneTexts.LotPaused,
        LotStatus.SoldOut => PhoneTexts.LotSoldOut,
        LotStatus.Ended => PhoneTexts.LotEnded,
        _ => PhoneTexts.LotLive,
    };

    /// <summary>A time as a phone shows it: short, and in UTC, which is what the engine knows.</summary>
    public static string When(DateTimeOffset at) => at.UtcDateTime.ToString("MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Money(long minor, string currency) => MoneyText.Format(minor, currency);

    /// <summary>The order's message: reference, lines, total, status, and what to do next (a pickup code, or how and by when to pay).</summary>
    public async Task<string> OrderMessage(Order order, CultureInfo culture)
    {
        var lots = await Task.WhenAll(order.Items.Select(i => Lot(i.LotId)));
        var lines = string.Join(", ", order.Items.Select((item, i) => $"#{(lots[i]?.PhoneCode is { } code ? code.ToString(CultureInfo.InvariantCulture) : "?")} x{item.Quantity}"));
        var text = PhoneTexts.SmsOrder.Format(PhoneChannel.ReferenceOf(order.OrderId), lines, Money(order.TotalMinor, order.Currency), StatusName(order.Status)).In(culture);
        if (order.Fulfilment?.PickupCode is { } code)
        {
            text += " " + PhoneTexts.PickupCode.Format(code).In(culture);
        }
        else if (order.Status is OrderStatus.AwaitingPayment)
        {
            text += " " + PhoneTexts.PayBy.Format(When(order.Payment.ExpiresAt)).In(culture);
            if (order.Payment.InstructionsIn(culture) is { Length: > 0 } instructions)
            {
                text += " " + instructions;
            }
        }

        return text;
    }
}
