using FlashSale.Common;
using FlashSale.Live;
using FlashSale.Lots;
using FlashSale.Payments;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlashSale.Orders;

/// <summary>
/// One order. Its stock stays reserved in the lots until it is paid, cancelled or reaches its
/// <see cref="PaymentDeadline"/>; the lots hold the same deadline, so stock returns even if this
/// grain is never activated again. State is written before any success is answered.
/// </summary>
internal sealed partial class OrderGrain(
    [PersistentState("order", StorageNames.Default)] IPersistentState<OrderState> state,
    [FromKeyedServices(FlashSaleClock.Key)] TimeProvider time,
    IOptions<PaymentOptions> payments,
    PaymentProviders providers,
    IOptions<Fulfilment.FulfilmentOptions> fulfilmentOptions,
    IOptions<WakeOptions> wake,
    IOptions<MoneyLimitOptions> moneyLimits,
    ILogger<OrderGrain> logger) : Grain, IOrderGrain, IRemindable
{
    /// <summary>
    /// The reminder that wakes an order owing stock back to its lots when no call comes: a
    /// cancelled order whose activation died before the lots heard would otherwise keep its stock
    /// out of the sale until the payment deadline, up to days away.
    /// </summary>
    public const string StockOwedReminder = "stock-owed";

    /// <summary>The reminder's interval; Orleans reminders tick at most once a minute.</summary>
    private static readonly TimeSpan StockOwedReminderPeriod = TimeSpan.FromMinutes(1);

    private RecoveryReminder? _stockOwed;

    private EngineClockAlarm? _deadlineAlarm;
    private RecoveryReminder? _deadlineWake;
    private OrderStatus? _publishedStatus;
    private IGrainTimer? _unfinishedWork;

    /// <summary>How often an order retries stock returns and settlements that a failure interrupted.</summary>
    private static readonly TimeSpan UnfinishedWorkRetry = TimeSpan.FromSeconds(2);

    private string OrderId => this.GetPrimaryKeyString();

    private RecoveryReminder DeadlineWake =>
        _deadlineWake ??= new RecoveryReminder(this, WakeOptions.ReminderName, wake.Value.Period, logger);

    /// <summary>The payment deadline while the order awaits a payment (the whole, a deposit or a balance): the wake reminder's reason to exist.</summary>
    private DateTimeOffset? Deadline => state.State.Order is { Status: OrderStatus.AwaitingPayment or OrderStatus.AwaitingBalance } order ? order.Payment.ExpiresAt : null;

    private RecoveryReminder StockOwedRecovery =>
        _stockOwed ??= new RecoveryReminder(this, StockOwedReminder, StockOwedReminderPeriod, logger);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Order is not null)
        {
            _publishedStatus = state.State.Order.Status; // told when it was written
            if (Deadline is not null)
            {
                DeadlineWake.MayBeSet(); // an earlier activation set it with the deadline
            }

            await FinishSettlementIfPending();
            await ExpireIfDue();
            await ReturnStockIfOwed();
            ScheduleDeadline();
            await DeliverNotices();
            await RefundIfOwed();
            await RefundPresaleIfOwed();
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _deadlineAlarm?.Dispose();
        return Task.CompletedTask;
    }

    public async Task<Outcome<Order>> Place(PlaceOrder command)
    {
        if (state.State.Order is { } existing)
        {
            return string.Equals(existing.ShopperId, command.ShopperId, StringComparison.Ordinal)
                ? Outcome<Order>.Ok(existing)
                : Refusal.Conflict(EngineTexts.OrderIdTaken);
        }

        var method = payments.Value.Find(command.Currency, command.PaymentMethod);
        if (method is null || providers.Find(method.Method) is not { } provider)
        {
            return Refusal.Invalid(EngineTexts.NotAPaymentMethod.Format(command.PaymentMethod, command.Currency));
        }

        if (command.Substitute && method.Flow == PaymentFlow.OnDelivery)
        {
            // Its units are reserved until the offer's time, not sold: they are paid before they ship.
            return Refusal.Invalid(EngineTexts.NoSubstituteOnDelivery);
        }

        // The total is decided before any lot is asked: the most this order can come to (every
        // line taken) is summed with checked arithmetic and held to the ceiling, so an order that
        // would overflow or pass it is refused while no stock has moved. The cart judged the same
        // sum; this grain does not rely on it.
        var priced = await PricedLines(command.Lines);
        if (TotalCeilingRefusal(priced.Select(l => (l.PriceMinor, l.Quantity))) is { } tooMuch)
        {
            return tooMuch;
        }

        var now = time.GetUtcNow();
        var deadline = PaymentDeadline.For(method, now);
        var onDelivery = method.Flow == PaymentFlow.OnDelivery;
        var receipts = await Task.WhenAll(command.Lines.Select(line =>
            GrainFactory.GetGrain<IProduceLotGrain>(line.LotId).ReserveForOrder(command.ShopperId, OrderId, line.Quantity, deadline, onDelivery)));

        // A hold that lapsed between the cart's look and the lot's answer is simply not ordered;
        // the order carries what the lots actually moved to it.
        var items = receipts.Where(r => r.Succeeded).Select(r => new OrderItem(r.Value!.LotId, r.Value.Quantity, r.Value.PriceMinor)).ToList();
        if (items.Count == 0)
        {
            return Refusal.Conflict(EngineTexts.HoldsExpiredNothingOrdered);
        }

        // What the lots moved is a part of what was judged, at the same immutable prices, so it
        // fits. Should it ever not (a lot answering another price), every lot takes its stock back
        // before the refusal: nothing stays moved for an order that is never written.
        if (!Money.TryTotal(items.Select(i => (i.PriceMinor, i.Quantity)), out var total) || total > moneyLimits.Value.MaxOrderTotalMinor)
        {
            await GiveBack(items);
            return CeilingRefusal();
        }

        // A presale's order pays its deposit first. The cart keeps a presale out of mixed carts and
        // away from payment on delivery; should a command slip past it, the lots take back what
        // they moved and nothing is written.
        var presale = command.Substitute ? null : PresaleOf(receipts.Where(r => r.Succeeded).Select(r => r.Value!).ToList());
        if (presale is not null && (presale.Refusal is not null || onDelivery))
        {
            await GiveBack(items);
            return presale.Refusal ?? Refusal.Invalid(EngineTexts.NoDepositOnDelivery);
        }

        // The provider opens the payment (idempotent per payment id, so a retried checkout that
        // reaches this point again opens the same one) and says what the shopper must do next.
        var paymentId = PaymentIds.For(OrderId);
        var amountDue = presale?.Terms?.DepositMinor ?? total;
        await RememberSellers(items);
        var start = await provider.StartAsync(new PaymentStartRequest(paymentId, OrderId, command.ShopperId, amountDue, command.Currency, deadline, method.Instructions, method.InstructionsZhCn, method.InstructionsSw));
        var payment = new OrderPayment(
            paymentId,
            method.Method,
            onDelivery ? PaymentStatus.CashOnDelivery : PaymentStatus.Pending,
            deadline,
            start.Instructions,
            start.InstructionsZhCn,
            presale is null ? null : amountDue,
            start.InstructionsSw);
        state.State.Order = new Order(
            OrderId, command.ShopperId, onDelivery ? OrderStatus.ConfirmedCod : OrderStatus.AwaitingPayment,
            items, total, command.Currency, payment, now, Presale: presale?.Terms);
        await Save();
        FlashSaleMetrics.OrdersPlaced.Add(1, new KeyValuePair<string, object?>("method", method.Method)); // Save has set the deadline's alarm
        return Outcome<Order>.Ok(state.State.Order);
    }

    /// <summary>Each line with its lot's price: the cart's, or the lot's own for a command that carries none (0 for a lot that does not exist).</summary>
    private async Task<IReadOnlyList<OrderLine>> PricedLines(IReadOnlyList<OrderLine> lines)
    {
        if (lines.All(l => l.PriceMinor > 0))
        {
            return lines;
        }

        return await Task.WhenAll(lines.Select(async l => l.PriceMinor > 0
            ? l
            : l with { PriceMinor = (await GrainFactory.GetGrain<IProduceLotGrain>(l.LotId).GetTerms())?.PriceMinor ?? 0 }));
    }

    private Refusal? TotalCeilingRefusal(IEnumerable<(long PriceMinor, int Quantity)> lines) =>
        Money.WithinCeiling(lines, moneyLimits.Value.MaxOrderTotalMinor) ? null : CeilingRefusal();

    private Refusal CeilingRefusal() =>
        new(RefusalCode.LimitExceeded, EngineTexts.OrderTotalCeiling.Format(moneyLimits.Value.MaxOrderTotalMinor));

    /// <summary>A placement that cannot be written: every lot takes back what it moved to this order (both calls are idempotent).</summary>
    private Task GiveBack(IEnumerable<OrderItem> items) =>
        Task.WhenAll(items.Select(async i =>
        {
            var lot = GrainFactory.GetGrain<IProduceLotGrain>(i.LotId);
            await lot.ReleaseReservation(OrderId);
            await lot.RefundSale(OrderId);
        }));

    public Task<Order?> Get()
    {
        // Past its deadline an unpaid order is expired whether or not its timer has run yet;
        // the stored record catches up on the next turn.
        var order = state.State.Order;
        if (order is { Status: OrderStatus.AwaitingPayment } && state.State.Settling is null && time.GetUtcNow() >= order.Payment.ExpiresAt)
        {
            order = Expired(order);
        }
        else if (order is { Status: OrderStatus.AwaitingBalance } && state.State.Settling is null && time.GetUtcNow() >= order.Payment.ExpiresAt)
        {
            order = Forfeited(order);
        }

        return Task.FromResult(order is null ? null : WithSubstituteAsOf(order, time.GetUtcNow()));
    }

    public async Task<Outcome<Order>> Cancel(string shopperId)
    {
        await FinishSettlementIfPending();
        await ExpireIfDue();
        if (state.State.Order is not { } order || !string.Equals(order.ShopperId, shopperId, StringComparison.Ordinal))
        {
            return Refusal.NotFound(EngineTexts.TheOrder);
        }

        if (order.Status != OrderStatus.AwaitingPayment)
        {
            return Refusal.Conflict(EngineTexts.OnlyAwaitingPaymentCancels.Format(order.Status));
        }

        // Written first: once the order says cancelled no payment can claim its stock, and if
        // this activation dies before the lots hear of it, activation finishes the return.
        await SetStockOwedReminder();
        state.State.Order = order with { Status = OrderStatus.Cancelled, Payment = order.Payment with { Status = PaymentStatus.Cancelled } };
        state.State.StockOwed = StockOwed.Release;
        await Save();
        await ReturnStockIfOwed();
        return Outcome<Order>.Ok(state.State.Order);
    }

    public Task<PaymentSettlement?> GetSettlement() => Task.FromResult(state.State.Settlement);

    public async Task<Outcome<Order>> ConfirmPayment(string paymentId, long amountMinor, string currency, bool mayRetakeStock)
    {
        await FinishSettlementIfPending();
        await ExpireIfDue();
        if (state.State.Order is not { } order || order.PaymentNamed(paymentId) is not { } payment)
        {
            return Refusal.NotFound(EngineTexts.ThePayment);
        }

        if (amountMinor != order.AmountOf(payment) || !string.Equals(currency, order.Currency, StringComparison.Ordinal))
        {
            return Refusal.Conflict(EngineTexts.PaymentDoesNotMatchOrder.Format(amountMinor, currency, order.AmountOf(payment), order.Currency));
        }

        // A duplicate confirmation changes nothing, and neither does one of a presale's deposit
        // once the balance is the order's payment. A balance after forfeiture is answered as is:
        // the payment sends it back (Order.ReturnsPayment).
        if (!ReferenceEquals(payment, order.Payment) || order.Status is OrderStatus.Paid or OrderStatus.Refunded or OrderStatus.DepositPaid or OrderStatus.Forfeited)
        {
            return Outcome<Order>.Ok(order);
        }

        // Written before any lot is asked: from here the order is being settled, so its deadline
        // no longer expires it, and if this activation dies mid-way the next one finishes the
        // same settlement (every lot call below is idempotent) instead of leaving stock sold to
        // an order that says otherwise.
        state.State.Settling = new PendingSettlement(paymentId, mayRetakeStock);
        await Save();
        return Outcome<Order>.Ok(await Settle(state.State.Settling));
    }

    public async Task<Outcome<Order>> RecordPaymentFailure(string paymentId)
    {
        await FinishSettlementIfPending();
        await ExpireIfDue();
        if (state.State.Order is not { } order || order.PaymentNamed(paymentId) is not { } payment)
        {
            return Refusal.NotFound(EngineTexts.ThePayment);
        }

        // A failed attempt only matters while the order waits: the shopper may try again until
        // the deadline. After a success, a late or reordered failure changes nothing.
        if (ReferenceEquals(payment, order.Payment) && order is { Status: OrderStatus.AwaitingPayment or OrderStatus.AwaitingBalance, Payment.Status: not PaymentStatus.Failed })
        {
            state.State.Order = order with { Payment = order.Payment with { Status = PaymentStatus.Failed } };
            await Save();
        }

        return Outcome<Order>.Ok(state.State.Order);
    }

    public async Task ExpireIfDue()
    {
        if (state.State.Order is { Status: OrderStatus.AwaitingPayment } order && state.State.Settling is null && time.GetUtcNow() >= order.Payment.ExpiresAt)
        {
            await SetStockOwedReminder();
            state.State.Order = Expired(order);
            state.State.StockOwed = StockOwed.Release;
            await Save();
            await ReturnStockIfOwed();
        }

        await PresaleDueWork();
    }

    private async Task FinishSettlementIfPending()
    {
        if (state.State.Settling is { } pending)
        {
            try
            {
                await Settle(pending);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                KeepFinishingUnfinishedWork();
                throw;
            }
        }
    }

    /// <summary>
    /// Settles a confirmed payment. Within the deadline the reservations are sold. After it, the
    /// order takes its quantities again from what is available, every lot or none; if any lot
    /// refuses, whatever was taken goes back and the payment is refunded. Which path was taken is
    /// recorded in the same write as the order's new status.
    /// </summary>
    private async Task<Order> Settle(PendingSettlement pending)
    {
        var order = state.State.Order!;
        switch (order.Status)
        {
            case OrderStatus.AwaitingPayment:
            {
                var sold = await Task.WhenAll(order.Items.Select(i => Lot(i).SellReservation(OrderId)));
                var returned = order.Items.Where((_, k) => !sold[k].Succeeded).ToList();
                if (returned.Count == 0)
                {
                    return await Finish(PaidStatus(order), PaymentStatus.Succeeded, SettlementPath.Paid, "Paid within the deadline.");
                }

                // A lot whose clock passed the deadline first has put its part back on sale; the
                // payment came in time, so that part is taken again if it is still there.
                LogPartialSale(OrderId);
                return await RetakeAll(returned)
                    ? await Finish(PaidStatus(order), PaymentStatus.Succeeded, SettlementPath.StockRetaken, "Paid as the deadline passed; the stock that had gone back was taken again.")
                    : await RefundAll("Paid as the deadline passed, and part of the stock had been bought by others.");
            }

            case OrderStatus.Expired:
                if (!pending.MayRetakeStock)
                {
                    return await RefundAll("Paid after the deadline; taking the stock again would exceed the per-shopper limit.");
                }

                await ReturnStockIfOwed(); // the reservations must be gone before the stock is taken again
                return await RetakeAll(order.Items)
                    ? await Finish(PaidStatus(order), PaymentStatus.Succeeded, SettlementPath.StockRetaken, "Paid after the deadline; the stock was still available and was taken again.")
                    : await RefundAll("Paid after the deadline, and the stock had been bought by others.");

            case OrderStatus.Cancelled:
                return await RefundAll("Paid after the order was cancelled.");

            case OrderStatus.AwaitingBalance:
                // The allocated units were sold to this order when the harvest was declared.
                return await Finish(OrderStatus.Paid, PaymentStatus.Succeeded, SettlementPath.Paid, "Balance paid within its deadline.");

            case OrderStatus.ConfirmedCod:
                return await Finish(OrderStatus.Paid, PaymentStatus.Succeeded, SettlementPath.Paid, "Cash collected on delivery.");

            default:
                state.State.Settling = null; // already settled by an earlier turn
                await Save();
                return order;
        }
    }

    /// <summary>Takes each item's quantity again from the lot's available stock; true only if every lot agreed.</summary>
    private async Task<bool> RetakeAll(IEnumerable<OrderItem> items)
    {
        var taken = await Task.WhenAll(items.Select(i => Lot(i).RetakeForOrder(OrderId, i.Quantity)));
        return taken.All(t => t.Succeeded);
    }

    private async Task<Order> Finish(OrderStatus status, PaymentStatus paymentStatus, SettlementPath path, string detail)
    {
        var order = state.State.Order!;
        state.State.Order = order with { Status = status, Payment = order.Payment with { Status = paymentStatus } };
        state.State.Settlement = new PaymentSettlement(order.Payment.PaymentId, path, detail, time.GetUtcNow());
        state.State.Settling = null;
        await Save();
        return state.State.Order;
    }

    /// <summary>
    /// The money came but the order cannot be delivered whole: every lot gives back what it
    /// reserved, sold or retook for this order (written as owed first, so a crash cannot lose it),
    /// and the order is refunded; the payment grain sends the money back through the provider.
    /// </summary>
    private async Task<Order> RefundAll(string detail)
    {
        await SetStockOwedReminder();
        var order = state.State.Order!;
        state.State.Order = order with { Status = OrderStatus.Refunded, Payment = order.Payment with { Status = PaymentStatus.Refunded } };
        state.State.StockOwed = StockOwed.Refund;
        state.State.Settlement = new PaymentSettlement(order.Payment.PaymentId, SettlementPath.Refunded, detail, time.GetUtcNow());
        state.State.Settling = null;
        await Save();
        await ReturnStockIfOwed();
        return state.State.Order;
    }

    private IProduceLotGrain Lot(OrderItem item) => GrainFactory.GetGrain<IProduceLotGrain>(item.LotId);

    /// <summary>Tells each lot that the stock goes back; both calls are idempotent in the lot.</summary>
    private async Task ReturnStockIfOwed()
    {
        if (state.State.StockOwed == StockOwed.Nothing || state.State.Order is not { } order)
        {
            return;
        }

        try
        {
            await Task.WhenAll(order.Items.Select(async i =>
            {
                var lot = GrainFactory.GetGrain<IProduceLotGrain>(i.LotId);
                await lot.ReleaseReservation(OrderId);
                await lot.RefundSale(OrderId);
            }));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A lot could not be reached (its silo died, say). The debt is written; keep trying
            // while this activation lives, and the next activation starts by paying it.
            KeepFinishingUnfinishedWork();
            throw;
        }

        state.State.StockOwed = StockOwed.Nothing;
        await Save();
        await StockOwedRecovery.Forget();
    }

    /// <summary>
    /// Set before a stock debt is written, so no crash can leave a debt that nothing will come
    /// back for; and before the state in memory changes at all, so a failure to set it (the
    /// reminder service is briefly unavailable while silos come and go) leaves nothing behind that
    /// a read could show but storage never got.
    /// </summary>
    private Task SetStockOwedReminder() => StockOwedRecovery.Set();

    /// <summary>Pays a stock debt no call came back for; with none left, the reminder goes.</summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == HarvestReminder)
        {
            await OnHarvestReminder();
            return;
        }

        if (reminderName == WakeOptions.ReminderName)
        {
            // The activation expired the order if its deadline passed while nobody asked.
            DeadlineWake.MayBeSet();
            await ExpireIfDue();
            if (Deadline is null)
            {
                await DeadlineWake.Forget();
            }

            return;
        }

        if (reminderName != StockOwedReminder)
        {
            return;
        }

        StockOwedRecovery.MayBeSet(); // set by an earlier activation
        if (state.State.StockOwed != StockOwed.Nothing && state.State.Order is not null)
        {
            await ReturnStockIfOwed(); // removes the reminder once paid; a failure leaves it to fire again
        }
        else
        {
            await StockOwedRecovery.Forget(); // paid meanwhile by a call or by this activation's start
        }
    }

    private bool NothingUnfinished => state.State.Settling is null && state.State.StockOwed == StockOwed.Nothing;

    private void KeepFinishingUnfinishedWork() =>
        _unfinishedWork ??= this.RegisterGrainTimer(static async (grain, _) =>
        {
            await grain.FinishSettlementIfPending();
            await grain.ReturnStockIfOwed();
            if (grain.NothingUnfinished)
            {
                grain._unfinishedWork?.Dispose();
                grain._unfinishedWork = null;
            }
        }, this, new GrainTimerCreationOptions(UnfinishedWorkRetry, UnfinishedWorkRetry));

    /// <summary>
    /// Writes the order, then tells the owning shopper's live view when its status moved. The
    /// write comes first: nobody hears of a status that could still be lost.
    /// </summary>
    private async Task Save()
    {
        try
        {
            // Inside the guard: a failure here (a sum that does not fit, say) leaves memory ahead
            // of storage just as a failed write does.
            PrepareFulfilment();
            if (Deadline is { } deadline)
            {
                // Before the write: an order nothing would expire after a restart is never acknowledged.
                await DeadlineWake.Set(deadline - time.GetUtcNow());
            }

            await SetHarvestWakeIfWaiting();
            await state.WriteStateAsync();
        }
        catch
        {
            // The state in memory is ahead of storage now: drop this activation, so no read shows
            // what was never written; the next one starts from storage and finishes the work.
            this.DeactivateOnIdle();
            throw;
        }

        if (Deadline is null)
        {
            // Paid, cancelled or expired and written: the deadline's wake has nothing left to do.
            await DeadlineWake.Forget();
        }

        await ForgetHarvestWakeUnlessWaiting();
        ScheduleDeadline();

        if (state.State.Order is { } order && order.Status != _publishedStatus)
        {
            if (_publishedStatus is not null || order.Status != OrderStatus.AwaitingPayment)
            {
                FlashSaleMetrics.Payments.Add(1, new KeyValuePair<string, object?>("outcome", LiveFormat.Status(order.Status)));
            }

            _publishedStatus = order.Status;
            GrainFactory.GetGrain<ISaleFeedRelayGrain>(0).PublishOrder(UpdateOf(order)).Ignore();
        }

        await DeliverNotices();
    }

    private static OrderStatus PaidStatus(Order order) => order.Presale is null ? OrderStatus.Paid : OrderStatus.DepositPaid;

    private static Order Expired(Order order) =>
        order with { Status = OrderStatus.Expired, Payment = order.Payment with { Status = PaymentStatus.Expired } };

    private void ScheduleDeadline()
    {
        var due = Deadline ?? PresaleHarvestDue;
        if (due is null)
        {
            return;
        }

        _deadlineAlarm ??= new EngineClockAlarm(time, this.AsReference<IOrderGrain>().ExpireIfDue);
        _deadlineAlarm.Set(due);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} was paid as its deadline passed; taking the returned stock again, or refunding")]
    private partial void LogPartialSale(string orderId);

}

/// <summary>When an order's unpaid stock goes back on sale.</summary>
public static class PaymentDeadline
{
    public static DateTimeOffset For(PaymentMethodOptions method, DateTimeOffset placedAt) => placedAt + method.PaymentWindow;
}

public enum StockOwed
{
    Nothing,
    Release,
    Refund,
}

[GenerateSerializer]
public sealed class OrderState
{
    [Id(0)]
    public Order? Order { get; set; }

    /// <summary>Stock the lots must still take back: set in the same write that ends the order.</summary>
    [Id(1)]
    public StockOwed StockOwed { get; set; }

    /// <summary>A confirmed payment whose settlement has begun and not yet been written as done.</summary>
    [Id(2)]
    public PendingSettlement? Settling { get; set; }

    /// <summary>How the payment was settled, once it was.</summary>
    [Id(3)]
    public PaymentSettlement? Settlement { get; set; }

    /// <summary>Delivery, shipments, pickup-code tries and what the order owes the ledgers (see OrderGrain.Fulfilment.cs).</summary>
    [Id(4)]
    public Fulfilment.OrderFulfilmentBook Fulfilment { get; set; } = new();

    /// <summary>A presale's refund owed and deposit posting (see OrderGrain.Presale.cs).</summary>
    [Id(5)]
    public PresaleBook Presale { get; set; } = new();
}

/// <summary>The confirmed payment being settled, and whether the cart allowed a retake of the stock.</summary>
[GenerateSerializer, Immutable]
public sealed record PendingSettlement(
    [property: Id(0)] string PaymentId,
    [property: Id(1)] bool MayRetakeStock);
