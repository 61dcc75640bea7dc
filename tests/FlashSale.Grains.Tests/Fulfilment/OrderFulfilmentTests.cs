using FlashSale.Carts;
using FlashSale.Common;
using FlashSale.Fulfilment;
using FlashSale.Ledger;
using FlashSale.Lots;
using FlashSale.Orders;
using FlashSale.Payments.Sandbox;
using FlashSale.Tests.Infrastructure;
using FlashSale.Tests.Payments;
using static FlashSale.Tests.Infrastructure.Sale;

namespace FlashSale.Tests.Fulfilment;

[Collection(EngineCluster.Name)]
public sealed class OrderFulfilmentTests(EngineClusterFixture cluster)
{
    private IGrainFactory Grains => cluster.Grains;

    private async Task<(Order Order, string SellerId, IProduceLotGrain Lot, IOrderFulfilmentGrain Grain)> Place(string method, int quantity = 2, long price = 500)
    {
        var sellerId = NewSeller();
        var (lotId, lot) = await CreateLot(Grains, quantity: 10, limit: 5, price: price, sellerId: sellerId);
        var cart = Grains.GetGrain<IShopperCartGrain>(NewShopper());
        Value(await cart.SetItem(lotId, quantity));
        var order = Value(await cart.Checkout(Ids.New(Ids.OrderPrefix), method));
        return (order, sellerId, lot, Grains.GetGrain<IOrderFulfilmentGrain>(order.OrderId));
    }

    /// <summary>A cash-on-delivery order packed, shipped and arrived at a new point.</summary>
    private async Task<(Order Order, string SellerId, IOrderFulfilmentGrain Grain, PickupPoint Point)> WaitingAtThePoint()
    {
        var (order, sellerId, _, grain) = await Place("cash-on-delivery");
        var point = await NewPoint();
        Value(await grain.SetDelivery(order.ShopperId, OrderDelivery.AtPoint(point)));
        Value(await grain.Pack(sellerId));
        Value(await grain.Ship(sellerId, null));
        Value(await grain.Arrived(point.AgentId));
        return (order, sellerId, grain, point);
    }

    private async Task<PickupPoint> NewPoint() =>
        await Grains.GetGrain<IPickupPointDirectoryGrain>(0).Register(Ids.New(Ids.AgentPrefix), "Liu's shop", "Zhouzhi");

    private async Task<Order> Current(Order order) => (await Grains.GetGrain<IOrderGrain>(order.OrderId).Get())!;

    /// <summary>Orders hold lists, which records compare by reference: compare what they say instead.</summary>
    private static void AssertSame(Order expected, Order actual) =>
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(expected), System.Text.Json.JsonSerializer.Serialize(actual));

    private async Task<LedgerBalance> Balance(string sellerId) => Assert.Single(await Grains.GetGrain<ISellerLedgerGrain>(sellerId).GetBalances());

    [Fact]
    public async Task A_cash_on_delivery_order_goes_from_packing_to_a_handover_paid_in_cash_held_by_the_agent()
    {
        var (order, sellerId, _, grain) = await Place("cash-on-delivery");
        var point = await NewPoint();

        var shipment = Assert.Single(order.Fulfilment!.Shipments);
        Assert.Equal((sellerId, ShipmentStatus.AwaitingPacking), (shipment.SellerId, shipment.Status));
        Assert.Matches("^[0-9]{6}$", order.Fulfilment.PickupCode);
        Refused(await grain.Pack(sellerId), RefusalCode.Conflict); // no delivery chosen yet
        Refused(await grain.Pack(NewSeller()), RefusalCode.NotFound);

        Value(await grain.SetDelivery(order.ShopperId, OrderDelivery.AtPoint(point)));
        Refused(await grain.SetDelivery(NewShopper(), OrderDelivery.AtPoint(point)), RefusalCode.NotFound);
        Refused(await grain.Ship(sellerId, null), RefusalCode.Conflict); // not packed yet
        Value(await grain.Pack(sellerId));
        Refused(await grain.SetDelivery(order.ShopperId, OrderDelivery.ToHome(new DeliveryAddress("Li", "+8613800138000", "1 Road", "Zhouzhi", "Shaanxi"))), RefusalCode.Conflict);
        Refused(await grain.Arrived(point.AgentId), RefusalCode.NotFound); // not shipped to the point yet
        var shipped = Value(await grain.Ship(sellerId, "SF123"));
        Assert.Equal(("SF123", ShipmentStatus.Shipped), (shipped.Fulfilment!.Shipments[0].TrackingId, shipped.Fulfilment.Shipments[0].Status));
        Assert.Equal([order.OrderId], await Grains.GetGrain<IAgentParcelsGrain>(point.AgentId).List());

        Refused(await grain.Arrived(Ids.New(Ids.AgentPrefix)), RefusalCode.NotFound);
        Refused(await grain.Handover(point.AgentId, order.Fulfilment.PickupCode!), RefusalCode.Conflict); // not arrived
        Value(await grain.Arrived(point.AgentId));
        var collected = Value(await grain.Handover(point.AgentId, order.Fulfilment.PickupCode!));

        Assert.Equal(OrderStatus.Paid, collected.Status);
        Assert.Equal(
            [ShipmentStatus.AwaitingPacking, ShipmentStatus.Packed, ShipmentStatus.Shipped, ShipmentStatus.AtPickupPoint, ShipmentStatus.Collected],
            collected.Fulfilment!.Shipments[0].History.Select(h => h.Status));
        Assert.Equal(new LedgerBalance("CNY", 1000, 0, 0, 1000, 0, 0), await Balance(sellerId));
        Assert.Equal([new AgentCashHeld(sellerId, "CNY", 1000, 0)], await Grains.GetGrain<IAgentCashGrain>(point.AgentId).GetHeld());

        var before = await Current(order);
        Refused(await grain.Handover(point.AgentId, order.Fulfilment.PickupCode!), RefusalCode.Conflict); // twice
        Refused(await grain.CancelBySeller(sellerId, "late"), RefusalCode.Conflict);
        AssertSame(before, await Current(order));
        Assert.Equal(new LedgerBalance("CNY", 1000, 0, 0, 1000, 0, 0), await Balance(sellerId));
    }

    [Fact]
    public async Task Wrong_pickup_codes_change_nothing_and_lock_the_order_for_the_agent_until_the_seller_resets_it()
    {
        var (order, sellerId, grain, point) = await WaitingAtThePoint();
        var code = order.Fulfilment!.PickupCode!;
        var wrong = code == "000000" ? "111111" : "000000";
        var atPoint = await Current(order);

        for (var i = 0; i < 5; i++)
        {
            Refused(await grain.Handover(point.AgentId, wrong), RefusalCode.Conflict);
        }

        AssertSame(atPoint, await Current(order));
        Refused(await grain.Handover(point.AgentId, code), RefusalCode.Conflict); // locked, even with the right code
        AssertSame(atPoint, await Current(order));
        Assert.Empty(await Grains.GetGrain<ISellerLedgerGrain>(sellerId).GetBalances());

        Refused(await grain.ResetPickupCode(NewSeller()), RefusalCode.NotFound);
        Value(await grain.ResetPickupCode(sellerId));
        Assert.Equal(OrderStatus.Paid, Value(await grain.Handover(point.AgentId, code)).Status);
    }

    [Fact]
    public async Task A_seller_cancel_before_shipping_returns_the_stock_and_refunds_a_gateway_payment_once()
    {
        var (order, sellerId, lot, grain) = await Place("wallet", quantity: 3);
        var paid = await Payment.Issue(Grains, order);
        await Payment.Delivered(Grains, order, paid);
        Assert.Equal(new LedgerBalance("CNY", 1500, 0, 1500, 0, 0, 0), await Balance(sellerId));
        Value(await grain.SetDelivery(order.ShopperId, OrderDelivery.ToHome(new DeliveryAddress("Li", "123456", "1 Road", "V", "R"))));
        Value(await grain.Pack(sellerId));

        var cancelled = Value(await grain.CancelBySeller(sellerId, "hail damaged the pears"));

        Assert.Equal((OrderStatus.Refunded, ShipmentStatus.Cancelled, "hail damaged the pears"),
            (cancelled.Status, cancelled.Fulfilment!.Shipments[0].Status, cancelled.Fulfilment.Shipments[0].CancelReason));
        Assert.Equal((10, 0, 0), await Payment.Counts(lot));
        var sandbox = (await Grains.GetGrain<ISandboxPaymentGrain>(order.Payment.PaymentId).Get())!;
        Assert.Equal((SandboxPaymentStatus.Refunded, 1500L, 1), (sandbox.Status, sandbox.RefundedMinor, sandbox.Refunds));
        Assert.Equal(new LedgerBalance("CNY", 1500, 1500, 0, 0, 0, 0), await Balance(sellerId));

        // Again, and a duplicate of the payment: nothing more moves.
        Refused(await grain.CancelBySeller(sellerId, "again"), RefusalCode.Conflict);
        Refused(await grain.Ship(sellerId, null), RefusalCode.Conflict);
        await Payment.Deliver(Grains, order, paid);
        Assert.Equal(new LedgerBalance("CNY", 1500, 1500, 0, 0, 0, 0), await Balance(sellerId));
        Assert.Equal((10, 0, 0), await Payment.Counts(lot));
        Assert.Equal(1, (await Grains.GetGrain<ISandboxPaymentGrain>(order.Payment.PaymentId).Get())!.Refunds);
    }

    [Fact]
    public async Task Home_delivery_of_cash_on_delivery_is_paid_at_the_door_and_held_by_the_seller()
    {
        var (order, sellerId, _, grain) = await Place("cash-on-delivery");
        Value(await grain.SetDelivery(order.ShopperId, OrderDelivery.ToHome(new DeliveryAddress("Li", "123456", "1 Road", "V", "R"))));
        Value(await grain.Pack(sellerId));
        Refused(await grain.Deliver(sellerId), RefusalCode.Conflict); // not shipped
        Value(await grain.Ship(sellerId, null));

        var delivered = Value(await grain.Deliver(sellerId));

        Assert.Equal((OrderStatus.Paid, ShipmentStatus.Delivered), (delivered.Status, delivered.Fulfilment!.Shipments[0].Status));
        Assert.Equal(new LedgerBalance("CNY", 1000, 0, 0, 0, 1000, 0), await Balance(sellerId));
        Refused(await grain.Deliver(sellerId), RefusalCode.Conflict);
    }

    [Fact]
    public async Task Agent_cash_falls_only_when_the_seller_confirms_a_remittance_and_never_below_what_is_held()
    {
        var (order, sellerId, grain, point) = await WaitingAtThePoint();
        Value(await grain.Handover(point.AgentId, order.Fulfilment!.PickupCode!));
        var cash = Grains.GetGrain<IAgentCashGrain>(point.AgentId);
        var ledger = Grains.GetGrain<ISellerLedgerGrain>(sellerId);

        Refused(await cash.Remit(sellerId, "CNY", 1001), RefusalCode.Conflict);
        var first = Value(await cash.Remit(sellerId, "CNY", 600));
        Refused(await cash.Remit(sellerId, "CNY", 401), RefusalCode.Conflict); // 600 already pending
        Assert.Equal([new AgentCashHeld(sellerId, "CNY", 1000, 600)], await cash.GetHeld());
        Assert.Equal(new LedgerBalance("CNY", 1000, 0, 0, 1000, 0, 0), await Balance(sellerId));

        Value(await ledger.ConfirmRemittance(first.RemittanceId));

        Assert.Equal([new AgentCashHeld(sellerId, "CNY", 400, 0)], await cash.GetHeld());
        Assert.Equal(new LedgerBalance("CNY", 1000, 0, 0, 400, 0, 600), await Balance(sellerId));
        Refused(await ledger.ConfirmRemittance(first.RemittanceId), RefusalCode.Conflict);
        Refused(await Grains.GetGrain<ISellerLedgerGrain>(NewSeller()).ConfirmRemittance(first.RemittanceId), RefusalCode.NotFound);
        Assert.Equal([new AgentCashHeld(sellerId, "CNY", 400, 0)], await cash.GetHeld());
    }

    [Fact]
    public async Task An_order_is_fulfilled_only_once_paid_and_is_listed_under_its_lot()
    {
        var (order, sellerId, lot, grain) = await Place("wallet");
        Assert.Null(order.Fulfilment);
        Refused(await grain.Pack(sellerId), RefusalCode.Conflict);
        Assert.Empty(await Grains.GetGrain<ILotOrdersGrain>(order.Items[0].LotId).Page(0, 10));

        await Payment.Delivered(Grains, order, await Payment.Issue(Grains, order));

        Assert.Equal(ShipmentStatus.AwaitingPacking, (await Current(order)).Fulfilment!.Shipments[0].Status);
        Assert.Equal([order.OrderId], await Grains.GetGrain<ILotOrdersGrain>(order.Items[0].LotId).Page(0, 10));
    }
}
