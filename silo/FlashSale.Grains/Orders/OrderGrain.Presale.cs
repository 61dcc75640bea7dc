using FlashSale.Common;
using FlashSale.Ledger;
using FlashSale.Lots;
using FlashSale.Lots.Presale;
using FlashSale.Payments;
using Microsoft.Extensions.Logging;

namespace FlashSale.Orders;

/// <summary>
/// A presale order (预售): checkout takes a deposit per unit; when the deposit is paid the order
/// is <c>deposit-paid</c> and its units count as sold against the forecast. Once the seller has
/// declared the harvest, the order collects its share from the lot (the order asks, so the call
/// graph stays order → lot): nothing allocated refunds the deposit; a share asks for the balance
/// as a second payment and refunds the deposit of each unit not allocated. A balance unpaid by
/// its deadline forfeits the order: the deposit stays with the seller, the units go back.
/// </summary>
internal sealed partial class OrderGrain
{
    /// <summary>The reminder that asks the lot about the harvest, hourly from the window's start, until the order has its share.</summary>
    public const string HarvestReminder = "harvest";

    private static readonly TimeSpan HarvestReminderPeriod = TimeSpan.FromHours(1);

    /// <summary>Reminders cannot wait longer than about 49 days; a longer wait rings early and waits again.</summary>
    private static readonly TimeSpan LongestReminderWait = TimeSpan.FromDays(30);

    private RecoveryReminder? _harvestWake;

    private RecoveryReminder HarvestWake => _harvestWake ??= new RecoveryReminder(this, HarvestReminder, HarvestReminderPeriod, logger);

    private PresaleBook PresaleState => state.State.Presale;

    /// <summary>When a deposit-paid order must learn that its harvest lapsed: just after the window closes.</summary>
    private DateTimeOffset? PresaleHarvestDue =>
        state.State.Order is { Status: OrderStatus.DepositPaid, Presale: { } presale } ? presale.HarvestTo + TimeSpan.FromSeconds(1) : null;

    /// <summary>
    /// The presale among what the lots moved to this order, if any: the deposit on each unit is
    /// its price's declared share, rounded up. A presale must be checked out alone.
    /// </summary>
    private static PresalePlacement? PresaleOf(IReadOnlyList<ReservationReceipt> moved)
    {
        if (moved.FirstOrDefault(r => r.Presale is not null) is not { Presale: { } terms } receipt)
        {
            return null;
        }

        if (moved.Count > 1)
        {
            return new PresalePlacement(null, Refusal.Conflict(EngineTexts.PresaleOnItsOwn));
        }

        var perUnit = terms.DepositPerUnit(receipt.PriceMinor);
        var deposit = checked(perUnit * receipt.Quantity); // at most the line's total, which was held to the ceiling
        return new PresalePlacement(
            new OrderPresale(receipt.LotId, receipt.Quantity, receipt.PriceMinor, perUnit, deposit, terms.HarvestTo, terms.BalanceWindowHours, terms.HarvestFrom),
            null);
    }

    public async Task<Outcome<Order>> CollectHarvest()
    {
        await FinishSettlementIfPending();
        await ExpireIfDue(); // collects the share itself when the window has closed
        if (state.State.Order is { Status: OrderStatus.DepositPaid, Presale: { } presale })
        {
            await TakeShareIfDecided(presale);
        }

        return state.State.Order is { } order ? Outcome<Order>.Ok(order) : Refusal.NotFound(EngineTexts.TheOrder);
    }

    /// <summary>Work a presale's clock makes due: a balance past its deadline forfeits; a deposit past the harvest window learns its share.</summary>
    private async Task PresaleDueWork()
    {
        var now = time.GetUtcNow();
        switch (state.State.Order)
        {
            case { Status: OrderStatus.AwaitingBalance } order when state.State.Settling is null && now >= order.Payment.ExpiresAt:
                await Forfeit(order);
                break;

            case { Status: OrderStatus.DepositPaid, Presale: { } presale } when now > presale.HarvestTo:
                await TakeShareIfDecided(presale);
                break;
        }
    }

    /// <summary>Asks the lot for this order's share and takes it once it is decided (declared, or lapsed with the window).</summary>
    private async Task TakeShareIfDecided(OrderPresale presale)
    {
        if (await GrainFactory.GetGrain<IProduceLotGrain>(presale.LotId).GetHarvestFor(OrderId) is { State: not OrderHarvestState.Pending } harvest)
        {
            await TakeShare(harvest);
        }
    }

    /// <summary>
    /// Applies the order's share of the harvest in one write: the refund of every unallocated
    /// unit's deposit is owed (and listed), and either the order is refunded (nothing allocated)
    /// or it awaits the balance, a new payment opened before the write (idempotent per id).
    /// </summary>
    private async Task TakeShare(OrderHarvest harvest)
    {
        var order = state.State.Order!;
        var presale = order.Presale!;
        var now = time.GetUtcNow();
        var allocated = harvest.State == OrderHarvestState.Lapsed ? 0 : harvest.Allocated;
        if (!PresaleMoney.TrySettle(presale.PriceMinor, presale.DepositPerUnitMinor, presale.Ordered, allocated, out var money))
        {
            // A share the order cannot have (more than it ordered): nothing moves, and a person must look.
            LogImpossibleShare(OrderId, allocated, presale.Ordered);
            return;
        }

        var refund = money.Refund;
        var reason = harvest.State == OrderHarvestState.Lapsed
            ? "The harvest was not declared within its window: the whole deposit goes back."
            : allocated == 0
                ? "The harvest fell short and none of it was allocated to this order: the whole deposit goes back."
                : $"The harvest fell short: {allocated} of {presale.Ordered} units were allocated; the deposit on the other {presale.Ordered - allocated} goes back.";
        var refunds = refund > 0 ? [.. order.Refunds ?? [], new OrderRefund(refund, reason, now)] : order.Refunds;

        // Set only in the turn that writes the share, so memory never owes a refund storage does not.
        var refundOwed = refund > 0 ? new PresaleRefundOwed(order.Payment.PaymentId, refund, reason) : null;
        if (allocated == 0)
        {
            await SetStockOwedReminder();
            PresaleState.RefundOwed = refundOwed;
            state.State.Order = order with
            {
                Status = OrderStatus.Refunded,
                Payment = order.Payment with { Status = PaymentStatus.Refunded },
                Presale = presale with { Allocated = 0 },
                Refunds = refunds,
            };
            state.State.StockOwed = StockOwed.Refund; // a lapsed harvest's lot still counts the units as sold
            state.State.Settlement = new PaymentSettlement(order.Payment.PaymentId, SettlementPath.Refunded, reason, now);
            PostDepositRefund(refund, now);
            await Save();
            await ReturnStockIfOwed();
            await RefundPresaleIfOwed();
            return;
        }

        // A weighed share adds or takes off at most the lot's tolerance (20 % at most) of price ×
        // allocated, and a deposit is at most half the price, so the balance stays positive and
        // the total within twice the order ceiling.
        var adjustment = harvest.State == OrderHarvestState.Allocated ? harvest.AdjustmentMinor : 0;
        var balance = checked(money.BalanceDue + adjustment);
        var items = order.Items.Select(i => i with { Quantity = allocated }).ToList();
        var total = checked((presale.PriceMinor * allocated) + adjustment);
        var taken = order with
        {
            Items = items,
            TotalMinor = total,
            Presale = presale with
            {
                Allocated = allocated, BalanceMinor = balance, Deposit = order.Payment, PackedGrams = harvest.PackedGrams, WeightAdjustmentMinor = adjustment,
            },
            Refunds = refunds,
        };

        if (balance == 0)
        {
            // Only a price of one minor unit with its deposit rounded up to it leaves nothing to pay.
            state.State.Order = taken with { Status = OrderStatus.Paid };
        }
        else
        {
            var method = payments.Value.Find(order.Currency, order.Payment.Method);
            if (method is null || providers.Find(method.Method) is not { } provider)
            {
                LogNoBalanceProvider(OrderId, order.Payment.Method);
                return; // the order stays deposit-paid and asks again on its next wake
            }

            var deadline = now + TimeSpan.FromHours(presale.BalanceWindowHours);
            var balanceId = PaymentIds.BalanceFor(OrderId);
            var start = await provider.StartAsync(new PaymentStartRequest(balanceId, OrderId, order.ShopperId, balance, order.Currency, deadline, method.Instructions, method.InstructionsZhCn, method.InstructionsSw));
            state.State.Order = taken with
            {
                Status = OrderStatus.AwaitingBalance,
                Payment = new OrderPayment(balanceId, method.Method, PaymentStatus.Pending, deadline, start.Instructions, start.InstructionsZhCn, balance, start.InstructionsSw),
            };
        }

        PresaleState.RefundOwed = refundOwed;
        PostDepositRefund(refund, now);
        await Save();
        await RefundPresaleIfOwed();
    }

    /// <summary>The balance was not paid in time: the deposit is the seller's, and the allocated units go back to the lot.</summary>
    private async Task Forfeit(Order order)
    {
        await SetStockOwedReminder();
        state.State.Order = Forfeited(order);
        state.State.StockOwed = StockOwed.Refund; // the units go back to the lot; no money does, so no settlement is recorded
        await Save();
        await ReturnStockIfOwed();
    }

    private static Order Forfeited(Order order) =>
        order with { Status = OrderStatus.Forfeited, Payment = order.Payment with { Status = PaymentStatus.Expired } };

    /// <summary>The ledger's side of a deposit share going back: the same path the deposit came by.</summary>
    private void PostDepositRefund(long refund, DateTimeOffset now)
    {
        if (refund <= 0)
        {
            return;
        }

        var order = state.State.Order!;
        foreach (var share in Book.Paid)
        {
            PostRefund(share with { AmountMinor = refund }, order, now, "deposit-refund");
        }
    }

    /// <summary>Sends an unallocated deposit share back through the deposit's own method, once (the receipt is written; the provider is idempotent per payment).</summary>
    private async Task RefundPresaleIfOwed()
    {
        if (PresaleState.RefundOwed is not { } owed || state.State.Order is not { } order)
        {
            return;
        }

        if (providers.Find(order.Presale?.Deposit?.Method ?? order.Payment.Method) is not { } provider)
        {
            LogNoRefundProvider(OrderId, order.Payment.Method);
            return;
        }

        try
        {
            PresaleState.RefundReceipt = await provider.RefundAsync(new PaymentRefundRequest(owed.PaymentId, OrderId, owed.AmountMinor, order.Currency, owed.Reason));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogRefundFailed(ex, OrderId);
            KeepDeliveringNotices();
            return;
        }

        PresaleState.RefundOwed = null;
        await Save();
    }

    /// <summary>Before the write: a deposit-paid order keeps a reminder that asks for its share; any other forgets it after.</summary>
    private async Task SetHarvestWakeIfWaiting()
    {
        if (state.State.Order is { Status: OrderStatus.DepositPaid, Presale: { } presale })
        {
            var wait = presale.HarvestFrom - time.GetUtcNow();
            await HarvestWake.Set(wait <= TimeSpan.Zero ? HarvestReminderPeriod : wait > LongestReminderWait ? LongestReminderWait : wait);
        }
    }

    private async Task ForgetHarvestWakeUnlessWaiting()
    {
        // Untouched by this activation, it was set by none of its turns; one an earlier activation
        // left behind rings once more and is forgotten then (OnHarvestReminder).
        if (_harvestWake is not null && state.State.Order is not { Status: OrderStatus.DepositPaid })
        {
            await HarvestWake.Forget();
        }
    }

    /// <summary>
    /// It rang: ask for the share. Before the window opens (a wait longer than a reminder's
    /// longest rang early) it is set again for the window's start.
    /// </summary>
    private async Task OnHarvestReminder()
    {
        HarvestWake.MayBeSet();
        await CollectHarvest();
        if (state.State.Order is not { Status: OrderStatus.DepositPaid, Presale: { } presale })
        {
            await HarvestWake.Forget();
        }
        else if (presale.HarvestFrom > time.GetUtcNow())
        {
            await HarvestWake.Forget();
            await SetHarvestWakeIfWaiting();
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Order {OrderId}: its lot allocated {Allocated} of {Ordered} units, which cannot be; nothing was changed")]
    private partial void LogImpossibleShare(string orderId, int allocated, int ordered);

    [LoggerMessage(Level = LogLevel.Error, Message = "Order {OrderId}: no provider serves {Method} for the balance; the order asks again later")]
    private partial void LogNoBalanceProvider(string orderId, string method);
}

/// <summary>A placement's presale: its terms, or why the order cannot take it.</summary>
internal sealed record PresalePlacement(OrderPresale? Terms, Refusal? Refusal);

/// <summary>A deposit share owed back through the deposit's payment.</summary>
[GenerateSerializer, Immutable]
public sealed record PresaleRefundOwed(
    [property: Id(0)] string PaymentId,
    [property: Id(1)] long AmountMinor,
    [property: Id(2)] string Reason);

/// <summary>A presale order's bookkeeping beside the order: the refund owed and its receipt, and whether the deposit is in the ledgers' outbox.</summary>
[GenerateSerializer]
public sealed class PresaleBook
{
    [Id(0)]
    public PresaleRefundOwed? RefundOwed { get; set; }

    [Id(1)]
    public PaymentRefundReceipt? RefundReceipt { get; set; }

    [Id(2)]
    public bool DepositPosted { get; set; }
}
