using FlashSale.Common;
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
    ILogger<OrderGrain> logger) : Grain, IOrderGrain
{
    private ITimer? _deadlineTimer;

    private string OrderId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Order is not null)
        {
            await ExpireIfDue();
            await ReturnStockIfOwed();
            ScheduleDeadline();
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _deadlineTimer?.Dispose();
        return Task.CompletedTask;
    }

    public async Task<Outcome<Order>> Place(PlaceOrder command)
    {
        if (state.State.Order is { } existing)
        {
            return string.Equals(existing.ShopperId, command.ShopperId, StringComparison.Ordinal)
                ? Outcome<Order>.Ok(existing)
                : Refusal.Conflict("This order id is taken.");
        }

        var method = payments.Value.Find(command.Currency, command.PaymentMethod);
        if (method is null)
        {
            return Refusal.Invalid($"'{command.PaymentMethod}' is not a payment method for {command.Currency}.");
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
            return Refusal.Conflict("The holds in the cart have expired; nothing was ordered.");
        }

        var payment = new OrderPayment(
            Ids.PaymentPrefix + OrderId[Ids.OrderPrefix.Length..],
            method.Method,
            onDelivery ? PaymentStatus.CashOnDelivery : PaymentStatus.Pending,
            deadline,
            method.Instructions);
        state.State.Order = new Order(
            OrderId, command.ShopperId, onDelivery ? OrderStatus.ConfirmedCod : OrderStatus.AwaitingPayment,
            items, items.Sum(i => i.PriceMinor * i.Quantity), command.Currency, payment, now);
        await state.WriteStateAsync();
        ScheduleDeadline();
        return Outcome<Order>.Ok(state.State.Order);
    }

    public Task<Order?> Get()
    {
        // Past its deadline an unpaid order is expired whether or not its timer has run yet;
        // the stored record catches up on the next turn.
        var order = state.State.Order;
        if (order is { Status: OrderStatus.AwaitingPayment } && time.GetUtcNow() >= order.Payment.ExpiresAt)
        {
            order = Expired(order);
        }

        return Task.FromResult(order);
    }

    public async Task<Outcome<Order>> Cancel(string shopperId)
    {
        await ExpireIfDue();
        if (state.State.Order is not { } order || !string.Equals(order.ShopperId, shopperId, StringComparison.Ordinal))
        {
            return Refusal.NotFound("The order");
        }

        if (order.Status != OrderStatus.AwaitingPayment)
        {
            return Refusal.Conflict($"Only an order awaiting payment can be cancelled; this one is {order.Status}.");
        }

        // Written first: once the order says cancelled no payment can claim its stock, and if
        // this activation dies before the lots hear of it, activation finishes the return.
        state.State.Order = order with { Status = OrderStatus.Cancelled, Payment = order.Payment with { Status = PaymentStatus.Cancelled } };
        state.State.StockOwed = StockOwed.Release;
        await state.WriteStateAsync();
        await ReturnStockIfOwed();
        return Outcome<Order>.Ok(state.State.Order);
    }

    public async Task<Outcome<Order>> ConfirmPayment(string paymentId, long amountMinor, string currency)
    {
        await ExpireIfDue();
        if (state.State.Order is not { } order || !string.Equals(order.Payment.PaymentId, paymentId, StringComparison.Ordinal))
        {
            return Refusal.NotFound("The payment");
        }

        if (amountMinor != order.TotalMinor || !string.Equals(currency, order.Currency, StringComparison.Ordinal))
        {
            return Refusal.Conflict($"The payment of {amountMinor} {currency} does not match the order's {order.TotalMinor} {order.Currency}.");
        }

        switch (order.Status)
        {
            case OrderStatus.Paid or OrderStatus.Refunded or OrderStatus.ConfirmedCod:
                return Outcome<Order>.Ok(order); // a duplicate confirmation changes nothing
            case OrderStatus.Cancelled or OrderStatus.Expired:
                // The stock went back on sale: it is never sold twice. The money goes back.
                return Outcome<Order>.Ok(await Refund(order));
        }

        var sold = await Task.WhenAll(order.Items.Select(i => GrainFactory.GetGrain<IProduceLotGrain>(i.LotId).SellReservation(OrderId)));
        if (sold.All(s => s.Succeeded))
        {
            state.State.Order = order with { Status = OrderStatus.Paid, Payment = order.Payment with { Status = PaymentStatus.Succeeded } };
            await state.WriteStateAsync();
            return Outcome<Order>.Ok(state.State.Order);
        }

        // A lot whose clock already passed the deadline returned its part: the order cannot be
        // delivered whole, so what was sold goes back on sale and the payment is refunded.
        LogPartialSale(OrderId);
        return Outcome<Order>.Ok(await Refund(order));
    }

    public async Task ExpireIfDue()
    {
        if (state.State.Order is { Status: OrderStatus.AwaitingPayment } order && time.GetUtcNow() >= order.Payment.ExpiresAt)
        {
            state.State.Order = Expired(order);
            state.State.StockOwed = StockOwed.Release;
            await state.WriteStateAsync();
            await ReturnStockIfOwed();
        }
    }

    private async Task<Order> Refund(Order order)
    {
        state.State.Order = order with { Status = OrderStatus.Refunded, Payment = order.Payment with { Status = PaymentStatus.Refunded } };
        state.State.StockOwed = StockOwed.Refund;
        await state.WriteStateAsync();
        await ReturnStockIfOwed();
        return state.State.Order;
    }

    /// <summary>Tells each lot that the stock goes back; both calls are idempotent in the lot.</summary>
    private async Task ReturnStockIfOwed()
    {
        if (state.State.StockOwed == StockOwed.Nothing || state.State.Order is not { } order)
        {
            return;
        }

        await Task.WhenAll(order.Items.Select(async i =>
        {
            var lot = GrainFactory.GetGrain<IProduceLotGrain>(i.LotId);
            await lot.ReleaseReservation(OrderId);
            await lot.RefundSale(OrderId);
        }));
        state.State.StockOwed = StockOwed.Nothing;
        await state.WriteStateAsync();
    }

    private static Order Expired(Order order) =>
        order with { Status = OrderStatus.Expired, Payment = order.Payment with { Status = PaymentStatus.Expired } };

    private void ScheduleDeadline()
    {
        if (state.State.Order is not { Status: OrderStatus.AwaitingPayment } order)
        {
            return;
        }

        var due = order.Payment.ExpiresAt - time.GetUtcNow();
        var self = this.AsReference<IOrderGrain>();
        _deadlineTimer?.Dispose();
        _deadlineTimer = time.CreateTimer(static s => ((IOrderGrain)s!).ExpireIfDue().Ignore(), self, due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} was paid as its deadline passed; refunding")]
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
}
