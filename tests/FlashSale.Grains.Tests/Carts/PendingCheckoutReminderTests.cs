using FlashSale.Carts;
using FlashSale.Common;
using FlashSale.Orders;
using FlashSale.Tests.Infrastructure;
using static FlashSale.Tests.Infrastructure.Sale;

namespace FlashSale.Tests.Carts;

/// <summary>
/// A checkout that dies between recording its intent and recording the order is finished by the
/// cart's reminder, with no further call from the shopper. The reminder is fired by hand here:
/// Orleans ticks reminders at most once a minute on the wall clock, and what is under test is
/// that one is registered and what firing it does.
/// </summary>
[Collection(EngineCluster.Name)]
public sealed class PendingCheckoutReminderTests(EngineClusterFixture cluster)
{
    private IGrainFactory Grains => cluster.Grains;

    [Fact]
    public async Task A_checkout_that_died_part_way_is_finished_by_its_reminder_without_the_shopper()
    {
        var (lotId, lot) = await CreateLot(Grains, quantity: 10, limit: 3);
        var cart = Grains.GetGrain<IShopperCartGrain>(NewShopper());
        Value(await cart.SetItem(lotId, 2));
        var orderId = Ids.New(Ids.OrderPrefix);

        cluster.Journal.FailAppends(new IOException("disk gone"));
        await Assert.ThrowsAnyAsync<Exception>(() => cart.Checkout(orderId, "cash-on-delivery"));
        cluster.Journal.FailAppends(null);

        Assert.Null(await Grains.GetGrain<IOrderGrain>(orderId).Get());
        Assert.Equal([ShopperCartGrain.PendingCheckoutReminder], await cluster.ReminderNames(cart));

        await cart.Cast<IRemindable>().ReceiveReminder(ShopperCartGrain.PendingCheckoutReminder, default);

        var order = await Grains.GetGrain<IOrderGrain>(orderId).Get();
        Assert.Equal(OrderStatus.ConfirmedCod, order?.Status);
        var counts = (await lot.Get())!;
        Assert.Equal((8, 0, 2), (counts.Available, counts.Reserved, counts.Sold));
        Assert.Empty(await cluster.ReminderNames(cart));
        Assert.Equal([orderId], await cart.ListOrderIds());
    }

    [Fact]
    public async Task A_checkout_that_completes_leaves_no_reminder_and_a_stale_one_is_forgotten()
    {
        var (lotId, _) = await CreateLot(Grains, quantity: 10, limit: 3);
        var cart = Grains.GetGrain<IShopperCartGrain>(NewShopper());
        Value(await cart.SetItem(lotId, 1));

        Value(await cart.Checkout(Ids.New(Ids.OrderPrefix), "cash-on-delivery"));
        Assert.Empty(await cluster.ReminderNames(cart));

        // A reminder that fires after a call of the shopper's already finished the checkout.
        await cart.Cast<IRemindable>().ReceiveReminder(ShopperCartGrain.PendingCheckoutReminder, default);
        Assert.Empty(await cluster.ReminderNames(cart));
        Assert.Single(await cart.ListOrderIds());
    }
}
