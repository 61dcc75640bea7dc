using FlashSale.Agents;
using FlashSale.Carts;
using FlashSale.Common;
using FlashSale.Orders;
using FlashSale.Payments;
using FlashSale.Payments.Sandbox;
using FlashSale.Tests.Infrastructure;
using FlashSale.Tests.Payments;
using static FlashSale.Tests.Infrastructure.Sale;
using static FlashSale.Tests.Payments.Payment;

namespace FlashSale.Tests.Orders;

/// <summary>
/// The order lifecycle around payments: awaiting-payment → paid | cancelled | expired, and what a
/// success arriving after the deadline does: take the stock again if it is all still there (and
/// the limit allows), else refund through the provider; never sell stock twice.
/// </summary>
[Collection(PaymentsCluster.Name)]
public sealed class PaymentLifecycleTests(EngineClusterFixture cluster)
{
    private IGrainFactory Grains => cluster.Grains;

    [Fact]
    public async Task A_late_success_takes_the_stock_again_when_it_is_still_there()
    {
        var (lotId, lot) = await CreateLot(Grains, quantity: 10, limit: 5, price: 800);
        var order = await PlaceOrder(Grains, "wallet", (lotId, 3));
        var e = await Issue(Grains, order);
        cluster.Clock.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(OrderStatus.Expired, (await OrderOf(Grains, order)).Status);
        Assert.Equal((10, 0, 0), await Counts(lot));

        var receipt = await Delivered(Grains, order, e);

        Assert.Equal((OrderStatus.Paid, PaymentStatus.Succeeded), (receipt.Order.Status, receipt.Order.Payment.Status));
        Assert.Equal((7, 0, 3), await Counts(lot));
        var settlement = (await Grains.GetGrain<IOrderGrain>(order.OrderId).GetSettlement())!;
        Assert.Equal(SettlementPath.StockRetaken, settlement.Path);
        Assert.Equal(SandboxPaymentStatus.Succeeded, (await Grains.GetGrain<ISandboxPaymentGrain>(order.Payment.PaymentId).Get())!.Status);
        Assert.Null((await Grains.GetGrain<IPaymentGrain>(order.Payment.PaymentId).Get()).Refund);
        Assert.Equal(3, await Grains.GetGrain<IShopperCartGrain>(order.ShopperId).QuantityTowardsLimit(lotId));
    }

    [Fact]
    public async Task A_late_success_whose_stock_was_bought_is_refunded_once_through_the_provider()
    {
        var (lotId, lot) = await CreateLot(Grains, quantity: 3, limit: 3, price: 800);
        var order = await PlaceOrder(Grains, "bank-transfer", (lotId, 2));
        var e = await Issue(Grains, order);
        cluster.Clock.Advance(TimeSpan.FromHours(25));
        await PlaceOrder(Grains, "cash-on-delivery", (lotId, 2)); // the returned stock is sold to someone else

        var receipt = await Delivered(Grains, order, e);
        var again = await Delivered(Grains, order, e);

        Assert.Equal((OrderStatus.Refunded, PaymentStatus.Refunded), (receipt.Order.Status, receipt.Order.Payment.Status));
        Assert.Equal(PaymentEventDisposition.Duplicate, again.Disposition);
        Assert.Equal((1, 0, 2), await Counts(lot));
        Assert.Equal(SettlementPath.Refunded, (await Grains.GetGrain<IOrderGrain>(order.OrderId).GetSettlement())!.Path);
        var gateway = (await Grains.GetGrain<ISandboxPaymentGrain>(order.Payment.PaymentId).Get())!;
        Assert.Equal((SandboxPaymentStatus.Refunded, order.TotalMinor, 1), (gateway.Status, gateway.RefundedMinor, gateway.Refunds));
        Assert.Equal(order.TotalMinor, (await Grains.GetGrain<IPaymentGrain>(order.Payment.PaymentId).Get()).Refund!.AmountMinor);
        Assert.Equal(0, await Grains.GetGrain<IShopperCartGrain>(order.ShopperId).QuantityTowardsLimit(lotId));
    }

    [Fact]
    public async Task A_late_retake_is_all_or_nothing_across_the_orders_lots()
    {
        var (plentyId, plenty) = await CreateLot(Grains, quantity: 10, limit: 5, price: 100);
        var (scarceId, scarce) = await CreateLot(Grains, quantity: 2, limit: 2, price: 200);
        var order = await PlaceOrder(Grains, "wallet", (plentyId, 4), (scarceId, 2));
        var e = await Issue(Grains, order);
        cluster.Clock.Advance(TimeSpan.FromMinutes(15));
        await PlaceOrder(Grains, "cash-on-delivery", (scarceId, 1));

        var receipt = await Delivered(Grains, order, e);

        // The plentiful lot was taken again and given back when the scarce one refused.
        Assert.Equal(OrderStatus.Refunded, receipt.Order.Status);
        Assert.Equal((10, 0, 0), await Counts(plenty));
        Assert.Equal((1, 0, 1), await Counts(scarce));
        Assert.Equal(SandboxPaymentStatus.Refunded, (await Grains.GetGrain<ISandboxPaymentGrain>(order.Payment.PaymentId).Get())!.Status);
    }

    [Fact]
    public async Task A_late_success_that_would_break_the_shoppers_limit_is_refunded()
    {
        var (lotId, lot) = await CreateLot(Grains, quantity: 10, limit: 3, price: 100);
        var shopper = NewShopper();
        var order = await PlaceOrder(Grains, shopper, "wallet", (lotId, 2));
        var e = await Issue(Grains, order);
        cluster.Clock.Advance(TimeSpan.FromMinutes(15));
        await PlaceOrder(Grains, shopper, "cash-on-delivery", (lotId, 3)); // the expired order left the limit; the shopper bought again

        var receipt = await Delivered(Grains, order, e);

        Assert.Equal(OrderStatus.Refunded, receipt.Order.Status);
        Assert.Equal((7, 0, 3), await Counts(lot));
        Assert.Equal(3, await Grains.GetGrain<IShopperCartGrain>(shopper).QuantityTowardsLimit(lotId));
        Assert.Contains("limit", (await Grains.GetGrain<IOrderGrain>(order.OrderId).GetSettlement())!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_success_after_a_cancellation_is_refunded_and_the_stock_stays_on_sale()
    {
        var (lotId, lot) = await CreateLot(Grains, quantity: 10, limit: 5);
        var order = await PlaceOrder(Grains, "wallet", (lotId, 2));
        var e = await Issue(Grains, order);
        Value(await Grains.GetGrain<IOrderGrain>(order.OrderId).Cancel(order.ShopperId));

        var receipt = await Delivered(Grains, order, e);

        Assert.Equal(OrderStatus.Refunded, receipt.Order.Status);
        Assert.Equal((10, 0, 0), await Counts(lot));
        Assert.Equal(SandboxPaymentStatus.Refunded, (await Grains.GetGrain<ISandboxPaymentGrain>(order.Payment.PaymentId).Get())!.Status);
    }

    [Fact]
    public async Task Each_method_holds_the_stock_for_its_own_window()
    {
        var (lotId, _) = await CreateLot(Grains, quantity: 50, limit: 5);
        var placedAt = cluster.Clock.GetUtcNow();

        var wallet = await PlaceOrder(Grains, "wallet", (lotId, 1));
        var bank = await PlaceOrder(Grains, "bank-transfer", (lotId, 1));
        var agent = await PlaceOrder(Grains, "village-agent", (lotId, 1));

        Assert.Equal(placedAt.AddMinutes(15), wallet.Payment.ExpiresAt);
        Assert.Equal(placedAt.AddHours(24), bank.Payment.ExpiresAt);
        Assert.Equal(placedAt.AddHours(48), agent.Payment.ExpiresAt);
        Assert.Contains(SandboxPaymentGatewayPage(wallet), wallet.Payment.Instructions, StringComparison.Ordinal);
        Assert.Contains(bank.Payment.PaymentId, bank.Payment.Instructions, StringComparison.Ordinal);
        Assert.Contains("agent", agent.Payment.Instructions, StringComparison.Ordinal);
        cluster.Clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(
            [OrderStatus.Expired, OrderStatus.AwaitingPayment, OrderStatus.AwaitingPayment],
            [(await OrderOf(Grains, wallet)).Status, (await OrderOf(Grains, bank)).Status, (await OrderOf(Grains, agent)).Status]);
    }

    [Fact]
    public async Task Instructions_are_written_in_english_and_chinese_when_the_payment_starts()
    {
        var (lotId, _) = await CreateLot(Grains, quantity: 50, limit: 5, price: 6800);

        var bank = await PlaceOrder(Grains, "bank-transfer", (lotId, 2));

        Assert.StartsWith("Transfer the total quoting the payment id as reference. Amount 136.00 CNY, reference ", bank.Payment.Instructions, StringComparison.Ordinal);
        Assert.StartsWith("请转账付清总额，并以付款编号作为附言。金额 136.00 CNY，附言 ", bank.Payment.InstructionsZhCn, StringComparison.Ordinal);
        Assert.Contains(bank.Payment.PaymentId, bank.Payment.InstructionsZhCn, StringComparison.Ordinal);
        Assert.Equal(bank.Payment.InstructionsZhCn, bank.Payment.InstructionsIn(System.Globalization.CultureInfo.GetCultureInfo("zh-CN")));
        Assert.Equal(bank.Payment.Instructions, bank.Payment.InstructionsIn(System.Globalization.CultureInfo.GetCultureInfo("fr")));
    }

    [Fact]
    public async Task A_second_market_pays_with_its_own_method()
    {
        var (lotId, lot) = await CreateLot(Grains, quantity: 10, limit: 5, price: 15000, currency: "KES");
        var order = await PlaceOrder(Grains, "mobile-money", (lotId, 2));
        var e = await Issue(Grains, order);

        var receipt = await Delivered(Grains, order, e);

        Assert.Equal(("KES", OrderStatus.Paid), (receipt.Order.Currency, receipt.Order.Status));
        Assert.Contains("300.00 KES", order.Payment.Instructions, StringComparison.Ordinal);
        Assert.Equal((8, 0, 2), await Counts(lot));
    }

    [Fact]
    public async Task A_shopper_may_have_only_so_many_cash_on_delivery_orders_open()
    {
        var cap = new CashOnDeliveryOptions().MaxOpenOrdersPerShopper;
        var (lotId, lot) = await CreateLot(Grains, quantity: 50, limit: 50);
        var shopper = NewShopper();
        for (var i = 0; i < cap; i++)
        {
            await PlaceOrder(Grains, shopper, "cash-on-delivery", (lotId, 1));
        }

        var cart = Grains.GetGrain<IShopperCartGrain>(shopper);
        Value(await cart.SetItem(lotId, 1));
        Refused(await cart.Checkout(Ids.New(Ids.OrderPrefix), "cash-on-delivery"), RefusalCode.LimitExceeded);

        // Refused with nothing changed: the hold is still there and another method is still open.
        Assert.Equal(1, Assert.Single((await cart.Get()).Items).Quantity);
        Assert.Equal((49 - cap, 1, cap), await Counts(lot));
        Assert.Equal(OrderStatus.AwaitingPayment, Value(await cart.Checkout(Ids.New(Ids.OrderPrefix), "wallet")).Status);

        // Once the delivery window of the open ones has passed, cash on delivery is open again.
        cluster.Clock.Advance(TimeSpan.FromDays(7));
        Assert.Equal(OrderStatus.ConfirmedCod, (await PlaceOrder(Grains, shopper, "cash-on-delivery", (lotId, 1))).Status);
    }

    [Fact]
    public async Task An_agents_confirmation_of_cash_closes_a_cash_on_delivery_order()
    {
        var cap = new CashOnDeliveryOptions().MaxOpenOrdersPerShopper;
        var (lotId, lot) = await CreateLot(Grains, quantity: 50, limit: 50);
        var agent = Grains.GetGrain<IAgentGrain>(Ids.New(Ids.AgentPrefix));
        var villager = (await agent.RegisterVillager("Ma Li")).ShopperId;
        var orders = new List<Order>();
        for (var i = 0; i < cap; i++)
        {
            Value(await agent.SetItem(villager, lotId, 1));
            orders.Add(Value(await Grains.GetGrain<IShopperCartGrain>(villager).Checkout(Ids.New(Ids.OrderPrefix), "cash-on-delivery")));
        }

        var paid = Value(await agent.MarkCollected(orders[0].OrderId));
        Value(await agent.SetItem(villager, lotId, 1));
        var another = Value(await Grains.GetGrain<IShopperCartGrain>(villager).Checkout(Ids.New(Ids.OrderPrefix), "cash-on-delivery"));

        Assert.Equal((OrderStatus.Paid, PaymentStatus.Succeeded), (paid.Status, paid.Payment.Status));
        Assert.Equal(OrderStatus.ConfirmedCod, another.Status);
        Assert.Equal((50 - cap - 1, 0, cap + 1), await Counts(lot)); // collecting the cash moved no stock
    }

    private static string SandboxPaymentGatewayPage(Order order) => "/api/sandbox/payments/" + order.Payment.PaymentId;
}
