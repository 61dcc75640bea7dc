using FlashSale.Carts;
using FlashSale.Common;
using FlashSale.Lots;
using FlashSale.Orders;
using FlashSale.Tests.Infrastructure;
using Orleans.Core.Internal;
using static FlashSale.Tests.Infrastructure.Sale;

namespace FlashSale.Tests.Orders;

/// <summary>
/// An order that owes its lots stock back (cancelled, expired, refunded) and whose activation dies
/// before the lots hear of it is woken by its reminder, so the stock returns to the sale without
/// waiting for the payment deadline. The reminder is fired by hand: Orleans ticks reminders at
/// most once a minute on the wall clock, and what is under test is that one is set and what firing
/// it does.
/// </summary>
[Collection(EngineCluster.Name)]
public sealed class StockOwedReminderTests(EngineClusterFixture cluster)
{
    private IGrainFactory Grains => cluster.Grains;

    [Fact]
    public async Task A_cancelled_order_whose_activation_died_before_the_lots_heard_returns_the_stock_on_its_reminder()
    {
        var (lotId, lot) = await CreateLot(Grains, quantity: 10, limit: 3);
        var shopperId = NewShopper();
        var cart = Grains.GetGrain<IShopperCartGrain>(shopperId);
        Value(await cart.SetItem(lotId, 2));
        var order = Value(await cart.Checkout(Ids.New(Ids.OrderPrefix), "bank-transfer")); // a 24-hour deadline
        var grain = Grains.GetGrain<IOrderGrain>(order.OrderId);

        // The lots cannot be told, and then the activation is gone (its retry timer with it).
        cluster.Journal.FailAppends(new IOException("disk gone"));
        await Assert.ThrowsAnyAsync<Exception>(() => grain.Cancel(shopperId));
        await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        cluster.Journal.FailAppends(null);

        Assert.Equal(2, (await lot.Get())!.Reserved);
        Assert.Equal([OrderGrain.StockOwedReminder], await cluster.ReminderNames(grain));

        await grain.Cast<IRemindable>().ReceiveReminder(OrderGrain.StockOwedReminder, default);

        var after = (await lot.Get())!;
        Assert.Equal((10, 0), (after.Available, after.Reserved));
        Assert.Equal(OrderStatus.Cancelled, (await grain.Get())!.Status);
        Assert.Empty(await cluster.ReminderNames(grain));
    }

    [Fact]
    public async Task A_cancel_that_reaches_the_lots_leaves_no_reminder()
    {
        var (lotId, lot) = await CreateLot(Grains, quantity: 10, limit: 3);
        var shopperId = NewShopper();
        var cart = Grains.GetGrain<IShopperCartGrain>(shopperId);
        Value(await cart.SetItem(lotId, 1));
        var order = Value(await cart.Checkout(Ids.New(Ids.OrderPrefix), "wallet"));
        var grain = Grains.GetGrain<IOrderGrain>(order.OrderId);

        Value(await grain.Cancel(shopperId));

        Assert.Equal(10, (await lot.Get())!.Available);
        Assert.Empty(await cluster.ReminderNames(grain));
    }
}
