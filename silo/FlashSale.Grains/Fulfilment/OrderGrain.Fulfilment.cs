using System.Security.Cryptography;
using System.Text;
using FlashSale.Common;
using FlashSale.Fulfilment;
using FlashSale.Ledger;
using FlashSale.Live;
using FlashSale.Lots;
using FlashSale.Payments;
using Microsoft.Extensions.Logging;

namespace FlashSale.Orders;

/// <summary>
/// The order's fulfilment: its delivery, one shipment per seller, the pickup code, and what the
/// order owes the ledgers and indexes (<see cref="OrderFulfilmentBook.Outbox"/>). Runs in the
/// order's turn, so a move never interleaves with a payment's settlement or a cancel.
/// </summary>
internal sealed partial class OrderGrain : IOrderFulfilmentGrain
{
    private IGrainTimer? _undeliveredNotices;

    private OrderFulfilmentBook Book => state.State.Fulfilment;

    public async Task<Outcome<Order>> SetDelivery(string shopperId, OrderDelivery delivery)
    {
        await FinishSettlementIfPending();
        await ExpireIfDue();
        if (state.State.Order is not { } order || !string.Equals(order.ShopperId, shopperId, StringComparison.Ordinal))
        {
            return Refusal.NotFound(EngineTexts.TheOrder);
        }

        if (order.Status is not (OrderStatus.AwaitingPayment or OrderStatus.Paid or OrderStatus.ConfirmedCod or OrderStatus.DepositPaid or OrderStatus.AwaitingBalance))
        {
            return Refusal.Conflict(FulfilmentTexts.DeliveryClosed.Format(LiveFormat.Status(order.Status)));
        }

        if (order.Fulfilment?.Shipments.Any(s => s.Status != ShipmentStatus.AwaitingPacking) == true)
        {
            return Refusal.Conflict(FulfilmentTexts.DeliveryFixed);
        }

        if (order.Delivery == delivery)
        {
            return Outcome<Order>.Ok(order);
        }

        state.State.Order = order with { Delivery = delivery };
        await Save();
        PublishFulfilment();
        return Outcome<Order>.Ok(state.State.Order);
    }

    public Task<Outcome<Order>> Pack(string sellerId) =>
        MoveShipment(sellerId, ShipmentStatus.AwaitingPacking, (order, shipment, now) =>
            order.Delivery is null
                ? Refusal.Conflict(FulfilmentTexts.NoDeliveryYet)
                : Outcome<Shipment>.Ok(shipment.MovedTo(ShipmentStatus.Packed, now)));

    public Task<Outcome<Order>> Ship(string sellerId, string? trackingId) =>
        MoveShipment(sellerId, ShipmentStatus.Packed, (order, shipment, now) =>
        {
            if (order.Delivery is { Kind: DeliveryKind.Pickup, AgentId: { } agentId })
            {
                Book.Outbox.Add(new FulfilmentNotice(FulfilmentNoticeKind.ParcelIndex, agentId));
            }

            return Outcome<Shipment>.Ok(shipment.MovedTo(ShipmentStatus.Shipped, now) with { TrackingId = trackingId });
        });

    public Task<Outcome<Order>> Deliver(string sellerId) =>
        MoveShipment(sellerId, ShipmentStatus.Shipped, (order, shipment, now) =>
        {
            if (order.Delivery?.Kind != DeliveryKind.Home)
            {
                return Refusal.Conflict(FulfilmentTexts.NotHomeDelivery);
            }

            if (order.Status == OrderStatus.ConfirmedCod)
            {
                // The seller took this share in cash at the door.
                PostPaid(new PaidShare(sellerId, LedgerEntryKind.CashHeldBySeller, ShareOf(order, sellerId), null), now);
            }

            return Outcome<Shipment>.Ok(shipment.MovedTo(ShipmentStatus.Delivered, now));
        });

    public async Task<Outcome<Order>> CancelBySeller(string sellerId, string reason)
    {
        var found = await OrderForSeller(sellerId);
        if (!found.Succeeded)
        {
            return found.Refusal;
        }

        var (order, shipment) = found.Value;
        if (order.Presale is not null)
        {
            // The deposit and the balance are two payments with their own refunds; a presale's
            // cancel after the balance is not built yet, and refusing keeps money and stock whole.
            return Refusal.Conflict(EngineTexts.PresaleNotCancelledBySeller);
        }

        if (shipment.Status is not (ShipmentStatus.AwaitingPacking or ShipmentStatus.Packed))
        {
            return Refusal.Conflict(FulfilmentTexts.ShipmentIs.Format(Kebab(shipment.Status), "awaiting-packing / packed"));
        }

        if (order.Fulfilment!.Shipments.Any(s => !string.Equals(s.SellerId, sellerId, StringComparison.Ordinal)))
        {
            return Refusal.Conflict(FulfilmentTexts.SeveralSellers);
        }

        // One write: the order is over, the stock is owed back, the money is owed back, and the
        // ledger entries that undo the payment are in the outbox. The reminder comes first so
        // no crash can leave the stock debt with nothing to come back for it.
        await SetStockOwedReminder();
        var now = time.GetUtcNow();
        var paid = order.Status == OrderStatus.Paid;
        var cancelled = shipment.MovedTo(ShipmentStatus.Cancelled, now) with { CancelReason = reason };
        state.State.Order = order with
        {
            Status = paid ? OrderStatus.Refunded : OrderStatus.Cancelled,
            Payment = order.Payment with { Status = paid ? PaymentStatus.Refunded : PaymentStatus.Cancelled },
            Fulfilment = order.Fulfilment with { Shipments = [cancelled] },
        };
        state.State.StockOwed = StockOwed.Refund;
        if (paid)
        {
            state.State.Settlement = new PaymentSettlement(order.Payment.PaymentId, SettlementPath.Refunded, $"Cancelled by the seller: {reason}", now);
            Book.RefundOwedReason = $"Cancelled by the seller: {reason}";
            foreach (var share in Book.Paid)
            {
                PostRefund(share, order, now);
            }
        }

        await Save();
        PublishFulfilment();
        await ReturnStockIfOwed();
        await RefundIfOwed();
        return Outcome<Order>.Ok(state.State.Order);
    }

    public async Task<Outcome<Order>> ResetPickupCode(string sellerId)
    {
        var found = await OrderForSeller(sellerId);
        if (!found.Succeeded)
        {
            return found.Refusal;
        }

        if (Book.WrongCodeTries != 0)
        {
            Book.WrongCodeTries = 0;
            await Save();
        }

        return Outcome<Order>.Ok(state.State.Order!);
    }

    public async Task<Outcome<Order>> Arrived(string agentId)
    {
        if (await OrderAtPoint(agentId) is not { } order)
        {
            return Refusal.NotFound(FulfilmentTexts.TheParcel);
        }

        var shipped = order.Fulfilment!.Shipments.Where(s => s.Status == ShipmentStatus.Shipped).ToList();
        if (shipped.Count == 0)
        {
            return Refusal.Conflict(FulfilmentTexts.NothingShipped);
        }

        var now = time.GetUtcNow();
        state.State.Order = order with
        {
            Fulfilment = order.Fulfilment with
            {
                Shipments = order.Fulfilment.Shipments.Select(s => s.Status == ShipmentStatus.Shipped ? s.MovedTo(ShipmentStatus.AtPickupPoint, now) : s).ToList(),
            },
        };
        await Save();
        PublishFulfilment();
        return Outcome<Order>.Ok(state.State.Order);
    }

    public async Task<Outcome<Order>> Handover(string agentId, string pickupCode)
    {
        if (await OrderAtPoint(agentId) is not { } order)
        {
            return Refusal.NotFound(FulfilmentTexts.TheParcel);
        }

        var live = order.Fulfilment!.Shipments.Where(s => s.Status != ShipmentStatus.Cancelled).ToList();
        if (live.Count == 0 || live.Any(s => s.Status != ShipmentStatus.AtPickupPoint))
        {
            return Refusal.Conflict(FulfilmentTexts.NotAllAtPoint);
        }

        var maxTries = fulfilmentOptions.Value.MaxWrongPickupCodes;
        if (Book.WrongCodeTries >= maxTries)
        {
            return Refusal.Conflict(FulfilmentTexts.CodeLocked);
        }

        if (!CodesMatch(order.Fulfilment.PickupCode, pickupCode))
        {
            // Only the count of tries is written; the order itself does not change.
            Book.WrongCodeTries++;
            await Save();
            return Book.WrongCodeTries >= maxTries
                ? Refusal.Conflict(FulfilmentTexts.CodeLocked)
                : Refusal.Conflict(FulfilmentTexts.WrongCode.Format(maxTries - Book.WrongCodeTries));
        }

        var now = time.GetUtcNow();
        var handedOver = order with
        {
            Fulfilment = order.Fulfilment with
            {
                Shipments = order.Fulfilment.Shipments.Select(s => s.Status == ShipmentStatus.AtPickupPoint ? s.MovedTo(ShipmentStatus.Collected, now) : s).ToList(),
            },
        };
        Book.WrongCodeTries = 0;
        if (order.Status == OrderStatus.ConfirmedCod)
        {
            // Cash on delivery is paid now, in cash, to the agent of the point.
            foreach (var sellerId in live.Select(s => s.SellerId))
            {
                PostPaid(new PaidShare(sellerId, LedgerEntryKind.CashHeldByAgent, ShareOf(order, sellerId), agentId), now);
            }

            handedOver = PaidInCash(handedOver, now, "Cash collected at the service point's handover.");
        }

        state.State.Order = handedOver;
        await Save();
        PublishFulfilment();
        return Outcome<Order>.Ok(state.State.Order);
    }

    public async Task NoteCashCollector(string agentId)
    {
        if (state.State.Order is not null && !string.Equals(Book.CashCollector, agentId, StringComparison.Ordinal))
        {
            Book.CashCollector = agentId;
            await Save();
        }
    }

    /// <summary>
    /// One seller move: finds the seller's shipment, checks it is in <paramref name="from"/>,
    /// lets <paramref name="move"/> decide, and writes the order with the moved shipment. When the
    /// last live shipment of a home cash-on-delivery order is delivered, the order is paid.
    /// </summary>
    private async Task<Outcome<Order>> MoveShipment(string sellerId, ShipmentStatus from, Func<Order, Shipment, DateTimeOffset, Outcome<Shipment>> move)
    {
        var found = await OrderForSeller(sellerId);
        if (!found.Succeeded)
        {
            return found.Refusal;
        }

        var (order, shipment) = found.Value;
        if (shipment.Status != from)
        {
            return Refusal.Conflict(FulfilmentTexts.ShipmentIs.Format(Kebab(shipment.Status), Kebab(from)));
        }

        var outboxBefore = Book.Outbox.Count;
        var paidBefore = Book.Paid.Count;
        var now = time.GetUtcNow();
        var moved = move(order, shipment, now);
        if (!moved.Succeeded)
        {
            Book.Outbox.RemoveRange(outboxBefore, Book.Outbox.Count - outboxBefore); // a refusal changes nothing
            Book.Paid.RemoveRange(paidBefore, Book.Paid.Count - paidBefore);
            return moved.Refusal;
        }

        var shipments = order.Fulfilment!.Shipments.Select(s => string.Equals(s.SellerId, sellerId, StringComparison.Ordinal) ? moved.Value : s).ToList();
        var next = order with { Fulfilment = order.Fulfilment with { Shipments = shipments } };
        if (next.Status == OrderStatus.ConfirmedCod && shipments.All(s => s.Status is ShipmentStatus.Delivered or ShipmentStatus.Cancelled))
        {
            next = PaidInCash(next, now, "Cash collected on home delivery.");
        }

        state.State.Order = next;
        await Save();
        PublishFulfilment();
        return Outcome<Order>.Ok(state.State.Order);
    }

    private Order PaidInCash(Order order, DateTimeOffset now, string detail)
    {
        Book.PaidPosted = true; // each share was posted as it was taken
        state.State.Settlement = new PaymentSettlement(order.Payment.PaymentId, SettlementPath.Paid, detail, now);
        return order with { Status = OrderStatus.Paid, Payment = order.Payment with { Status = PaymentStatus.Succeeded } };
    }

    /// <summary>The order and the seller's shipment in it; not found when the seller has none, conflict before fulfilment.</summary>
    private async Task<Outcome<(Order Order, Shipment Shipment)>> OrderForSeller(string sellerId)
    {
        await FinishSettlementIfPending();
        await ExpireIfDue();
        await LearnSellersIfUnknown();
        if (state.State.Order is not { } order || !Book.SellerOfLot.ContainsValue(sellerId))
        {
            return Outcome<(Order, Shipment)>.Refused(Refusal.NotFound(EngineTexts.TheOrder));
        }

        if (order.Fulfilment?.ShipmentOf(sellerId) is not { } shipment)
        {
            return Outcome<(Order, Shipment)>.Refused(Refusal.Conflict(FulfilmentTexts.NotYetPaid.Format(LiveFormat.Status(order.Status))));
        }

        return Outcome<(Order, Shipment)>.Ok((order, shipment));
    }

    private async Task<Order?> OrderAtPoint(string agentId)
    {
        await FinishSettlementIfPending();
        await LearnSellersIfUnknown();
        return state.State.Order is { Fulfilment: not null, Delivery: { Kind: DeliveryKind.Pickup } delivery } order
               && string.Equals(delivery.AgentId, agentId, StringComparison.Ordinal)
               && order.Fulfilment.Shipments.Any(s => s.Status is ShipmentStatus.Shipped or ShipmentStatus.AtPickupPoint or ShipmentStatus.Collected)
            ? order
            : null;
    }

    /// <summary>Called on placing: the seller of each lot, so the order can split into shipments without asking again.</summary>
    private async Task RememberSellers(IEnumerable<OrderItem> items)
    {
        var lots = await Task.WhenAll(items.Select(i => GrainFactory.GetGrain<IProduceLotGrain>(i.LotId).Get()));
        foreach (var lot in lots.OfType<Lot>())
        {
            Book.SellerOfLot[lot.LotId] = lot.SellerId;
        }
    }

    /// <summary>An order placed before fulfilment existed learns its sellers on its first fulfilment call.</summary>
    private async Task LearnSellersIfUnknown()
    {
        if (state.State.Order is { } order && Book.SellerOfLot.Count == 0)
        {
            await RememberSellers(order.Items);
            await Save();
        }
    }

    /// <summary>
    /// Runs in every <see cref="Save"/>, before the write: an order that is paid or confirmed for
    /// cash on delivery gains its shipments and pickup code, and a paid order's shares go to the
    /// ledgers' outbox, all in the same write as the status that caused them.
    /// </summary>
    private void PrepareFulfilment()
    {
        if (state.State.Order is not { } order || Book.SellerOfLot.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (order.Status is OrderStatus.Paid or OrderStatus.ConfirmedCod && order.Fulfilment is null)
        {
            var shipments = order.Items
                .GroupBy(i => Book.SellerOfLot.GetValueOrDefault(i.LotId, ""), StringComparer.Ordinal)
                .Select(g => new Shipment(g.Key, g.Select(i => i.LotId).ToList(), ShipmentStatus.AwaitingPacking, [new ShipmentEvent(ShipmentStatus.AwaitingPacking, now)]))
                .ToList();
            order = order with { Fulfilment = new OrderFulfilment(shipments, NewPickupCode()) };
            state.State.Order = order;
            foreach (var item in order.Items)
            {
                Book.Outbox.Add(new FulfilmentNotice(FulfilmentNoticeKind.LotIndex, item.LotId));
            }
        }

        if (order.Status == OrderStatus.DepositPaid && !state.State.Presale.DepositPosted)
        {
            // The deposit is the seller's working capital from the day it is paid.
            foreach (var share in SharesOf(order, Book.SellerOfLot.Values.Distinct(StringComparer.Ordinal), _ => order.Presale!.DepositMinor))
            {
                PostPaid(share, now, "deposit");
            }

            state.State.Presale.DepositPosted = true;
        }

        if (order.Status == OrderStatus.Paid && !Book.PaidPosted)
        {
            foreach (var share in SharesOf(order, order.Fulfilment!.Shipments.Select(s => s.SellerId), sellerId => ShareOf(order, sellerId)))
            {
                PostPaid(share, now);
            }

            Book.PaidPosted = true;
        }
    }

    /// <summary>Each seller's share of a payment, by the path its money took: a gateway, an agent's hands, or the seller's own.</summary>
    private List<PaidShare> SharesOf(Order order, IEnumerable<string> sellerIds, Func<string, long> amountOf)
    {
        var cash = payments.Value.Find(order.Currency, order.Payment.Method)?.Flow is PaymentFlow.Agent or PaymentFlow.OnDelivery;
        var collector = Book.CashCollector ?? order.Delivery?.AgentId;
        return sellerIds.Select(sellerId => cash && collector is not null
                ? new PaidShare(sellerId, LedgerEntryKind.CashHeldByAgent, amountOf(sellerId), collector)
                : cash ? new PaidShare(sellerId, LedgerEntryKind.CashHeldBySeller, amountOf(sellerId), null)
                : new PaidShare(sellerId, LedgerEntryKind.PaidViaGateway, amountOf(sellerId), null))
            .ToList();
    }

    private void PostPaid(PaidShare share, DateTimeOffset now, string label = "paid")
    {
        Book.Paid.Add(share);
        var order = state.State.Order!;
        Book.Outbox.Add(new FulfilmentNotice(FulfilmentNoticeKind.Ledger, share.SellerId,
            new LedgerEntry($"{OrderId}/{label}/{share.SellerId}", share.Kind, order.Currency, share.AmountMinor, now, OrderId, share.AgentId)));
        if (share is { Kind: LedgerEntryKind.CashHeldByAgent, AgentId: { } agentId })
        {
            Book.Outbox.Add(new FulfilmentNotice(FulfilmentNoticeKind.AgentCash, agentId,
                new LedgerEntry($"{OrderId}/{label}/{share.SellerId}", share.Kind, order.Currency, share.AmountMinor, now, OrderId, agentId), share.SellerId, share.AmountMinor));
        }
    }

    private void PostRefund(PaidShare share, Order order, DateTimeOffset now, string label = "refund")
    {
        var kind = share.Kind switch
        {
            LedgerEntryKind.CashHeldByAgent => LedgerEntryKind.RefundFromAgentCash,
            LedgerEntryKind.CashHeldBySeller => LedgerEntryKind.RefundFromSellerCash,
            _ => LedgerEntryKind.RefundViaGateway,
        };
        var entry = new LedgerEntry($"{OrderId}/{label}/{share.SellerId}", kind, order.Currency, share.AmountMinor, now, OrderId, share.AgentId);
        Book.Outbox.Add(new FulfilmentNotice(FulfilmentNoticeKind.Ledger, share.SellerId, entry));
        if (share.AgentId is { } agentId && kind == LedgerEntryKind.RefundFromAgentCash)
        {
            Book.Outbox.Add(new FulfilmentNotice(FulfilmentNoticeKind.AgentCash, agentId, entry, share.SellerId, -share.AmountMinor));
        }
    }

    /// <summary>
    /// Sends the money of a seller's cancel back through the method's own refund path, once: the
    /// receipt is written when it comes, and the provider is idempotent per payment id for a
    /// crash before that write.
    /// </summary>
    private async Task RefundIfOwed()
    {
        if (Book.RefundOwedReason is not { } reason || Book.Refund is not null || state.State.Order is not { } order)
        {
            return;
        }

        if (providers.Find(order.Payment.Method) is not { } provider)
        {
            LogNoRefundProvider(OrderId, order.Payment.Method);
            return;
        }

        try
        {
            Book.Refund = await provider.RefundAsync(new PaymentRefundRequest(order.Payment.PaymentId, OrderId, order.TotalMinor, order.Currency, reason));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The gateway refused or could not be reached: the refund stays owed (written) and is retried.
            LogRefundFailed(ex, OrderId);
            KeepDeliveringNotices();
            return;
        }

        Book.RefundOwedReason = null;
        await Save();
    }

    /// <summary>Delivers the outbox after a write; on failure it stays written and is retried by a timer and on activation.</summary>
    private async Task DeliverNotices()
    {
        if (Book.Outbox.Count == 0)
        {
            return;
        }

        try
        {
            foreach (var notice in Book.Outbox.ToList())
            {
                await Deliver(notice);
                Book.Outbox.Remove(notice);
            }

            await state.WriteStateAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogNoticesUndelivered(ex, OrderId);
            KeepDeliveringNotices();
        }
    }

    private Task Deliver(FulfilmentNotice notice) => notice.Kind switch
    {
        FulfilmentNoticeKind.Ledger => GrainFactory.GetGrain<ISellerLedgerGrain>(notice.Target).Post([notice.Entry!]),
        FulfilmentNoticeKind.AgentCash => GrainFactory.GetGrain<IAgentCashGrain>(notice.Target).Record(notice.Entry!.EntryId, notice.SellerId!, notice.Entry.Currency, notice.DeltaMinor),
        FulfilmentNoticeKind.LotIndex => GrainFactory.GetGrain<ILotOrdersGrain>(notice.Target).Add(OrderId),
        _ => GrainFactory.GetGrain<IAgentParcelsGrain>(notice.Target).Add(OrderId),
    };

    private void KeepDeliveringNotices() =>
        _undeliveredNotices ??= this.RegisterGrainTimer(static async (grain, _) =>
        {
            await grain.DeliverNotices();
            await grain.RefundIfOwed();
            await grain.RefundPresaleIfOwed();
            if (grain.Book.Outbox.Count == 0 && grain.Book.RefundOwedReason is null && grain.PresaleState.RefundOwed is null)
            {
                grain._undeliveredNotices?.Dispose();
                grain._undeliveredNotices = null;
            }
        }, this, new GrainTimerCreationOptions(UnfinishedWorkRetry, UnfinishedWorkRetry));

    /// <summary>Pushes the order's change to its shopper, its sellers and its point's agent.</summary>
    private void PublishFulfilment()
    {
        if (state.State.Order is { } order)
        {
            GrainFactory.GetGrain<ISaleFeedRelayGrain>(0).PublishOrder(UpdateOf(order)).Ignore();
        }
    }

    private static OrderUpdate UpdateOf(Order order) =>
        new(order.OrderId, order.ShopperId, LiveFormat.Status(order.Status),
            order.Fulfilment?.Shipments.Select(s => new ShipmentUpdate(s.SellerId, Kebab(s.Status))).ToList(),
            order.Delivery?.AgentId);

    /// <summary>A seller's share of the payment that made the order paid: for a presale, its balance (the deposit was posted when it came).</summary>
    private long ShareOf(Order order, string sellerId) =>
        order.Presale is { } presale
            ? (order.Items.Any(i => string.Equals(Book.SellerOfLot.GetValueOrDefault(i.LotId), sellerId, StringComparison.Ordinal)) ? presale.BalanceMinor ?? 0 : 0)
            : order.Items.Where(i => string.Equals(Book.SellerOfLot.GetValueOrDefault(i.LotId), sellerId, StringComparison.Ordinal))
            .Sum(i => checked(i.PriceMinor * i.Quantity));

    /// <summary>Six digits from a cryptographic generator: guessing is what the try limit is for.</summary>
    private static string NewPickupCode() => RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    private static bool CodesMatch(string? expected, string given) =>
        expected is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(given));

    private static string Kebab(ShipmentStatus status) => ShipmentStatuses.Kebab(status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: fulfilment notices not delivered yet; retrying")]
    private partial void LogNoticesUndelivered(Exception exception, string orderId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Order {OrderId}: the seller's cancel could not be refunded yet; retrying")]
    private partial void LogRefundFailed(Exception exception, string orderId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Order {OrderId}: no provider serves {Method}; refund by hand")]
    private partial void LogNoRefundProvider(string orderId, string method);
}
