using System.Collections.Concurrent;
using FlashSale.Carts;
using FlashSale.Common;
using FlashSale.Lots;
using FlashSale.Orders;
using FlashSale.Tests.Infrastructure;
using Orleans.Core.Internal;
using static FlashSale.Tests.Infrastructure.Sale;

namespace FlashSale.Tests.Carts;

[Collection(EngineCluster.Name)]
public sealed class ShopperCartGrainTests(EngineClusterFixture cluster)
{
    private IGrainFactory Grains => cluster.Grains;

    private IShopperCartGrain NewCart() => Grains.GetGrain<IShopperCartGrain>(NewShopper());

    [Fact]
    public async Task Holding_reserves_stock_and_the_cart_shows_price_total_and_expiry()
    {
        var (lotId, lot) = await CreateLot(Grains, quantity: 10, limit: 3, price: 6800);
        var cart = NewCart();

        var view = Value(await cart.SetItem(lotId, 3));

        var item = Assert.Single(view.Items);
        Assert.Equal((lotId, 3, 6800L), (item.LotId, item.Quantity, item.PriceMinor));
        Assert.Equal(cluster.Clock.GetUtcNow().AddMinutes(10), item.ExpiresAt);
        Assert.Equal((20400L, "CNY"), (view.TotalMinor, view.Currency));
        Assert.Equal((7, 3), ((await lot.Get())!.Available, (await lot.Get())!.Reserved));
    }

    [Fact]
    public async Task Setting_a_smaller_quantity_releases_the_difference_and_zero_or_remove_releases_all()
    {
        var (lotId, lot) = await CreateLot(Grains, quantity: 10, limit: 3);
        var cart = NewCart();
        Value(await cart.SetItem(lotId, 3));

        Value(await cart.SetItem(lotId, 1));
        Assert.Equal(9, (await lot.Get())!.Available);

        var empty = Value(await cart.SetItem(lotId, 0));
        Assert.Empty(empty.Items);
        Assert.Null(empty.Currency);
        Assert.Equal(10, (await lot.Get())!.Available);

        Value(await cart.SetItem(lotId, 2));
        Assert.Empty(Value(await cart.RemoveItem(lotId)).Items);
        Assert.Equal(10, (await lot.Get())!.Available);
    }

    [Fact]
    public async Task The_limit_counts_what_is_held_plus_what_is_in_live_orders()
    {
        var (lotId, lot) = await CreateLot(Grains, quantity: 10, limit: 2);
        var cart = NewCart();

        Refused(await cart.SetItem(lotId, 3), RefusalCode.LimitExceeded);
        Value(await cart.SetItem(lotId, 2));
        var order = Value(await cart.Checkout(Ids.New(Ids.OrderPrefix), "wallet"));

        Refused(await cart.SetItem(lotId, 1), RefusalCode.LimitExceeded);
        Assert.Equal((8, 2), ((await lot.Get())!.Available, (await lot.Get())!.Reserved));

        Value(await Grains.GetGrain<IOrderGrain>(order.OrderId).Cancel(order.ShopperId));
        Value(await cart.SetItem(lotId, 2));
    }

    [Fact]
    public async Task A_cart_holds_one_currency()
    {
        var (cny, _) = await CreateLot(Grains, currency: "CNY");
        var (kes, kesLot) = await CreateLot(Grains, currency: "KES");
        var cart = NewCart();
        Value(await cart.SetItem(cny, 1));

        Refused(await cart.SetItem(kes, 1), RefusalCode.CurrencyMismatch);

        Assert.Equal(100, (await kesLot.Get())!.Available);
    }

    [Fact]
    public async Task Unknown_lots_and_negative_quantities_are_refused_without_change()
    {
        var cart = NewCart();
        var (lotId, lot) = await CreateLot(Grains);

        Refused(await cart.SetItem(Ids.New(Ids.LotPrefix), 1), RefusalCode.NotFound);
        Refused(await cart.SetItem(lotId, -1), RefusalCode.InvalidRequest);
        Refused(await cart.RemoveItem(Ids.New(Ids.LotPrefix)), RefusalCode.NotFound);

        Assert.Empty((await cart.Get()).Items);
        Assert.Equal(1, (await lot.Get())!.Version);
    }

    [Fact]
    public async Task Expired_holds_leave_the_cart_and_return_to_the_lot()
    {
        var (lotId, lot) = await CreateLot(Grains, quantity: 10, limit: 2);
        var cart = NewCart();
        Value(await cart.SetItem(lotId, 2));

        cluster.Clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Empty((await cart.Get()).Items);
        Assert.Equal((10, 0), ((await lot.Get())!.Available, (await lot.Get())!.Reserved));
        Refused(await cart.Checkout(Ids.New(Ids.OrderPrefix), "wallet"), RefusalCode.Conflict);
    }

    [Fact]
    public async Task The_cart_survives_deactivation()
    {
        var (lotId, _) = await CreateLot(Grains, quantity: 10, limit: 2);
        var cart = NewCart();
        Value(await cart.SetItem(lotId, 2));

        await cart.Cast<IGrainManagementExtension>().DeactivateOnIdle();

        Assert.Equal(2, Assert.Single((await cart.Get()).Items).Quantity);
    }

    /// <summary>
    /// The surge of the opening second: 1,000 shoppers send 2,000 holds at once at a lot of 100
    /// with a limit of 2, some asking for more than the limit.
    /// </summary>
    [Fact]
    public async Task Surge_of_2000_holds_from_1000_shoppers_never_oversells_or_breaks_the_limit()
    {
        var (lotId, lot) = await CreateLot(Grains, quantity: 100, limit: 2);
        var shoppers = Enumerable.Range(0, 1000).Select(_ => NewShopper()).ToList();
        var answers = new ConcurrentBag<Outcome<Cart>>();

        await Task.WhenAll(shoppers.SelectMany((shopper, i) => new[] { 1 + (i % 2), 1 + (i % 3) }.Select(async quantity =>
            answers.Add(await Grains.GetGrain<IShopperCartGrain>(shopper).SetItem(lotId, quantity)))));

        var after = (await lot.Get())!;
        AssertInvariant(after);
        Assert.Equal(2000, answers.Count);
        Assert.All(answers.Where(a => !a.Succeeded), a => Assert.Contains(a.Refusal!.Code, new[] { RefusalCode.SoldOut, RefusalCode.LimitExceeded }));
        Assert.Contains(answers, a => a.Refusal?.Code == RefusalCode.LimitExceeded); // the 3s
        Assert.Equal((0, 100, 0), (after.Available, after.Reserved, after.Sold));

        var held = await Task.WhenAll(shoppers.Select(async s => (await Grains.GetGrain<IShopperCartGrain>(s).Get()).Items.Sum(i => i.Quantity)));
        Assert.All(held, h => Assert.InRange(h, 0, 2));
        Assert.Equal(100, held.Sum());
    }
}
