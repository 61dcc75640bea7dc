using FlashSale.Carts;
using FlashSale.Common;
using FlashSale.Lots;
using FlashSale.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Orleans.Storage;
using static FlashSale.Tests.Infrastructure.Sale;

namespace FlashSale.Tests.Carts;

/// <summary>
/// A cart writes a line only when it arrives; the lots hold the truth of every hold, and a new
/// activation reads each stored line back from its lot. Deactivating a cart here loses whatever
/// it kept only in memory, as a crash of its silo would: the cart writes nothing on its way out.
/// </summary>
[Collection(EngineCluster.Name)]
public sealed class CartLinesFromLotsTests(EngineClusterFixture cluster)
{
    private IGrainFactory Grains => cluster.Grains;

    [Fact]
    public async Task A_line_changed_after_it_was_stored_is_read_back_from_its_lot_after_a_restart()
    {
        var (lotId, lot) = await CreateLot(Grains, quantity: 10, limit: 5, price: 1200);
        var shopper = NewShopper();
        var cart = Grains.GetGrain<IShopperCartGrain>(shopper);
        Value(await cart.SetItem(lotId, 1));
        cluster.Clock.Advance(TimeSpan.FromMinutes(3));
        var changed = Assert.Single(Value(await cart.SetItem(lotId, 4)).Items);

        // The change was not written: the store still has the line as it arrived.
        var stored = Assert.Single((await StoredCart(cart)).Lines.Values);
        Assert.Equal(1, stored.Quantity);
        Assert.True(stored.ExpiresAt < changed.ExpiresAt);

        await Restart(cart);

        var item = Assert.Single((await cart.Get()).Items);
        Assert.Equal((lotId, 4, 1200L, changed.ExpiresAt), (item.LotId, item.Quantity, item.PriceMinor, item.ExpiresAt));
        Assert.Equal(new HeldStock(4, changed.ExpiresAt), await lot.GetHold(shopper));
        Assert.Equal(4, await cart.QuantityTowardsLimit(lotId));
    }

    [Fact]
    public async Task A_released_line_stays_released_after_a_restart_and_a_new_line_is_written_at_once()
    {
        var (releasedLot, lot) = await CreateLot(Grains, quantity: 10, limit: 5);
        var (keptLot, _) = await CreateLot(Grains, quantity: 10, limit: 5);
        var cart = Grains.GetGrain<IShopperCartGrain>(NewShopper());
        Value(await cart.SetItem(releasedLot, 2));
        Value(await cart.RemoveItem(releasedLot));
        Assert.Contains(releasedLot, (await StoredCart(cart)).Lines.Keys); // the release was not written alone

        Value(await cart.SetItem(keptLot, 3));
        Assert.Equal([keptLot], (await StoredCart(cart)).Lines.Keys); // a new line writes the cart as it is

        Value(await cart.SetItem(releasedLot, 1));
        Value(await cart.SetItem(releasedLot, 0));
        await Restart(cart);

        var item = Assert.Single((await cart.Get()).Items);
        Assert.Equal((keptLot, 3), (item.LotId, item.Quantity));
        Assert.Equal(10, (await lot.Get())!.Available);
    }

    [Fact]
    public async Task A_hold_that_lapsed_while_the_cart_was_away_is_gone_when_it_comes_back()
    {
        var (lotId, lot) = await CreateLot(Grains, quantity: 10, limit: 5);
        var shopper = NewShopper();
        var cart = Grains.GetGrain<IShopperCartGrain>(shopper);
        Value(await cart.SetItem(lotId, 2));
        await Restart(cart);

        cluster.Clock.Advance(TimeSpan.FromMinutes(11));

        Assert.Empty((await cart.Get()).Items);
        Assert.Null(await lot.GetHold(shopper));
        Assert.Equal(10, (await lot.Get())!.Available);
        Value(await cart.SetItem(lotId, 5)); // nothing of the lapsed hold counts towards the limit
    }

    [Fact]
    public async Task A_checkout_after_a_restart_takes_the_quantity_the_lot_holds()
    {
        var (lotId, lot) = await CreateLot(Grains, quantity: 10, limit: 5, price: 500);
        var cart = Grains.GetGrain<IShopperCartGrain>(NewShopper());
        Value(await cart.SetItem(lotId, 1));
        Value(await cart.SetItem(lotId, 3));
        await Restart(cart);

        var order = Value(await cart.Checkout(Ids.New(Ids.OrderPrefix), "cash-on-delivery"));

        Assert.Equal((3, 1500L), (Assert.Single(order.Items).Quantity, order.TotalMinor));
        var counts = (await lot.Get())!;
        Assert.Equal((7, 0, 3), (counts.Available, counts.Reserved, counts.Sold));
        Assert.Empty((await cart.Get()).Items);
    }

    [Fact]
    public async Task A_lot_reports_only_live_holds()
    {
        var (lotId, lot) = await CreateLot(Grains, quantity: 10, limit: 5);
        var shopper = NewShopper();
        var expiresAt = cluster.Clock.GetUtcNow().AddMinutes(10);

        Assert.Null(await lot.GetHold(shopper));
        Value(await lot.SetHold(shopper, 2, expiresAt));
        Assert.Equal(new HeldStock(2, expiresAt), await lot.GetHold(shopper));

        cluster.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Null(await lot.GetHold(shopper));
        Assert.Null(await Grains.GetGrain<IProduceLotGrain>(Ids.New(Ids.LotPrefix)).GetHold(shopper));
        Assert.Equal(lotId, (await lot.Get())!.LotId);
    }

    private static ValueTask Restart(IShopperCartGrain cart) => cart.Cast<IGrainManagementExtension>().DeactivateOnIdle();

    /// <summary>The cart as its storage holds it, read straight from the silo's grain storage.</summary>
    private async Task<CartState> StoredCart(IShopperCartGrain cart)
    {
        var storage = cluster.SiloServices.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);
        var state = new GrainState<CartState>(new CartState());
        await storage.ReadStateAsync("cart", cart.GetGrainId(), state);
        return state.State ?? throw new InvalidOperationException("the cart was never stored");
    }
}
