using FlashSale.Carts;
using FlashSale.Common;
using FlashSale.Lots;
using FlashSale.Orders;
using FlashSale.Tests.Infrastructure;
using Orleans.Core.Internal;
using static FlashSale.Tests.Infrastructure.Sale;

namespace FlashSale.Tests.Orders;

[Collection(EngineCluster.Name)]
public sealed class OrderGrainTests(EngineClusterFixture cluster)
{
    private IGrainFactory Grains => cluster.Grains;

    private async Task<(Order Order, IProduceLotGrain Lot, IOrderGrain Grain)> PlaceOrder(string method = "wallet", int quantity = 2, int stock = 10)
    {
        var (lotId, lot) = await CreateLot(Grains, quantity: stock, limit: Math.Min(5, stock), price: 500);
        var cart = Grains.GetGrain<IShopperCartGrain>(NewShopper());
        Value(await cart.SetItem(lotId, quantity));
        var order = Value(await cart.Checkout(Ids.New(Ids.OrderPrefix), method));
        return (order, lot, Grains.GetGrain<IOrderGrain>(order.OrderId));
    }

    [Fact]
    public async Task Checkout_moves_the_holds_into_an_order_awaiting_payment()
    {
        var (order, lot, _) = await PlaceOrder(quantity: 3);

        Assert.Equal(OrderStatus.AwaitingPayment, order.Status);
        Assert.Equal((3, 500L, 1500L, "CNY"), (Assert.Single(order.Items).Quantity, order.Items[0].PriceMinor, order.TotalMinor, order.Currency));
        Assert.Equal(("wallet", PaymentStatus.Pending), (order.Payment.Method, order.Payment.Status));
        Assert.Equal(cluster.Clock.GetUtcNow().AddMinutes(15), order.Payment.ExpiresAt);
        Assert.Equal((7, 3, 0), Counts((await lot.Get())!));
        Assert.Empty((await Grains.GetGrain<IShopperCartGrain>(order.ShopperId).Get()).Items);
        Assert.Equal([order.OrderId], await Grains.GetGrain<IShopperCartGrain>(order.ShopperId).ListOrderIds());
    }

    [Fact]
    public async Task Stock_in_an_order_is_counted_once_even_past_the_hold_expiry()
    {
        var (_, lot, _) = await PlaceOrder(quantity: 3);

        cluster.Clock.Advance(TimeSpan.FromMinutes(11)); // past the 10-minute hold, inside the 15-minute payment window

        Assert.Equal((7, 3, 0), Counts((await lot.Get())!));
    }

    [Fact]
    public async Task Cancelling_returns_the_stock_once()
    {
        var (order, lot, grain) = await PlaceOrder();

        var cancelled = Value(await grain.Cancel(order.ShopperId));

        Assert.Equal((OrderStatus.Cancelled, PaymentStatus.Cancelled), (cancelled.Status, cancelled.Payment.Status));
        Assert.Equal((10, 0, 0), Counts((await lot.Get())!));
        Refused(await grain.Cancel(order.ShopperId), RefusalCode.Conflict);
        Refused(await grain.Cancel(NewShopper()), RefusalCode.NotFound);
        Assert.Equal((10, 0, 0), Counts((await lot.Get())!));
    }

    [Fact]
    public async Task Payment_sells_the_stock_and_a_duplicate_changes_nothing()
    {
        var (order, lot, grain) = await PlaceOrder();

        var paid = Value(await Pay(order, order.Payment.PaymentId, order.TotalMinor, "CNY"));
        var again = Value(await Pay(order, order.Payment.PaymentId, order.TotalMinor, "CNY"));

        Assert.Equal(OrderStatus.Paid, paid.Status);
        Assert.Equal((paid.OrderId, paid.Status, paid.Payment), (again.OrderId, again.Status, again.Payment));
        Assert.Equal((8, 0, 2), Counts((await lot.Get())!));
        Refused(await grain.Cancel(order.ShopperId), RefusalCode.Conflict);
    }

    [Fact]
    public async Task A_payment_of_the_wrong_amount_or_currency_pays_nothing()
    {
        var (order, lot, grain) = await PlaceOrder();

        Refused(await Pay(order, order.Payment.PaymentId, order.TotalMinor - 1, "CNY"), RefusalCode.Conflict);
        Refused(await Pay(order, order.Payment.PaymentId, order.TotalMinor, "KES"), RefusalCode.Conflict);
        Refused(await Pay(order, "pay_unknown", order.TotalMinor, "CNY"), RefusalCode.NotFound);

        Assert.Equal(OrderStatus.AwaitingPayment, (await grain.Get())!.Status);
        Assert.Equal((8, 2, 0), Counts((await lot.Get())!));
    }

    [Fact]
    public async Task An_unpaid_order_expires_at_its_deadline_and_its_stock_returns()
    {
        var (order, lot, grain) = await PlaceOrder();

        cluster.Clock.Advance(TimeSpan.FromMinutes(15));

        Assert.Equal(OrderStatus.Expired, (await grain.Get())!.Status);
        Assert.Equal((10, 0, 0), Counts((await lot.Get())!));
        await Eventually.True(() => grain.Get().Result is { Status: OrderStatus.Expired }, "the stored order should catch up");
        Refused(await grain.Cancel(order.ShopperId), RefusalCode.Conflict);
    }

    [Fact]
    public async Task An_order_expires_across_deactivation()
    {
        var (_, lot, grain) = await PlaceOrder();
        await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await lot.Cast<IGrainManagementExtension>().DeactivateOnIdle();

        cluster.Clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(OrderStatus.Expired, (await grain.Get())!.Status);
        Assert.Equal((10, 0, 0), Counts((await lot.Get())!));
    }

    [Fact]
    public async Task A_payment_after_the_deadline_never_resells_stock_and_is_refunded()
    {
        var (order, lot, grain) = await PlaceOrder(stock: 2, quantity: 2);
        cluster.Clock.Advance(TimeSpan.FromMinutes(16));
        var rival = Grains.GetGrain<IShopperCartGrain>(NewShopper());
        Value(await rival.SetItem((await lot.Get())!.LotId, 2)); // the returned stock is bought by someone else

        var late = Value(await Pay(order, order.Payment.PaymentId, order.TotalMinor, "CNY"));

        Assert.Equal((OrderStatus.Refunded, PaymentStatus.Refunded), (late.Status, late.Payment.Status));
        Assert.Equal((0, 2, 0), Counts((await lot.Get())!));
    }

    [Fact]
    public async Task Cash_on_delivery_is_confirmed_and_sold_at_once()
    {
        var (order, lot, _) = await PlaceOrder(method: "cash-on-delivery");

        Assert.Equal((OrderStatus.ConfirmedCod, PaymentStatus.CashOnDelivery), (order.Status, order.Payment.Status));
        Assert.Equal((8, 0, 2), Counts((await lot.Get())!));
        cluster.Clock.Advance(TimeSpan.FromDays(30));
        Assert.Equal((8, 0, 2), Counts((await lot.Get())!));
    }

    [Fact]
    public async Task Seller_stats_count_only_sold_orders()
    {
        var seller = NewSeller();
        var (lotId, lot) = await CreateLot(Grains, quantity: 10, limit: 5, price: 700, sellerId: seller);
        var paidCart = Grains.GetGrain<IShopperCartGrain>(NewShopper());
        Value(await paidCart.SetItem(lotId, 2));
        var paid = Value(await paidCart.Checkout(Ids.New(Ids.OrderPrefix), "wallet"));
        Value(await Pay(paid, paid.Payment.PaymentId, paid.TotalMinor, "CNY"));
        var unpaidCart = Grains.GetGrain<IShopperCartGrain>(NewShopper());
        Value(await unpaidCart.SetItem(lotId, 3));
        Value(await unpaidCart.Checkout(Ids.New(Ids.OrderPrefix), "bank-transfer"));

        var stats = Value(await lot.GetStats(seller));

        Assert.Equal((2, 3, 5, 1400L, 1), (stats.Sold, stats.Reserved, stats.Available, stats.RevenueMinor, stats.PaidOrders));
        Assert.Equal(2, Assert.Single(stats.SellThrough).Sold);
    }

    [Fact]
    public async Task Checkout_with_a_method_of_another_market_is_refused_and_keeps_the_holds()
    {
        var (lotId, lot) = await CreateLot(Grains, quantity: 10, limit: 5);
        var cart = Grains.GetGrain<IShopperCartGrain>(NewShopper());
        Value(await cart.SetItem(lotId, 2));

        Refused(await cart.Checkout(Ids.New(Ids.OrderPrefix), "mobile-money"), RefusalCode.InvalidRequest);

        Assert.Single((await cart.Get()).Items);
        Assert.Equal((8, 2, 0), Counts((await lot.Get())!));
    }

    /// <summary>A payment arrives for the order, by the way every payment arrives: through the shopper's cart.</summary>
    private Task<Outcome<Order>> Pay(Order order, string paymentId, long amountMinor, string currency) =>
        Grains.GetGrain<IShopperCartGrain>(order.ShopperId).ConfirmPayment(order.OrderId, paymentId, amountMinor, currency);

    private static (int Available, int Reserved, int Sold) Counts(Lot lot)
    {
        AssertInvariant(lot);
        return (lot.Available, lot.Reserved, lot.Sold);
    }
}
