using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FlashSale.Api.Extensions;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Carts;
using static FlashSale.Api.Tests.Infrastructure.SaleApi;

namespace FlashSale.Api.Tests.Apis;

/// <summary>The shopper's cart: holding reserves stock, releasing or expiring returns it.</summary>
[Collection(CartApiCollection.Name)]
public sealed class CartApiTests(FlashSaleApiFactory api)
{
    private static readonly TimeSpan HoldDuration = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task A_new_shopper_has_an_empty_cart()
    {
        var shopper = await api.SignUpShopper();

        var cart = await shopper.GetCart();

        Assert.Equal(shopper.Id, cart.ShopperId);
        Assert.Empty(cart.Items);
        Assert.Equal(0, cart.TotalMinor);
    }

    [Fact]
    public async Task Holding_reserves_stock_and_shows_in_the_cart_until_it_expires()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 10, perShopperLimit: 5, priceMinor: 6800);
        var shopper = await api.SignUpShopper();

        var cart = await shopper.Hold(lot.LotId, 3);

        var expiresAt = api.Clock.GetUtcNow() + HoldDuration;
        Assert.Equal(new CartItem(lot.LotId, 3, 6800, expiresAt), Assert.Single(cart.Items));
        Assert.Equal((3 * 6800L, "CNY"), (cart.TotalMinor, cart.Currency));
        var held = await shopper.GetLot(lot.LotId);
        Assert.Equal((7, 3, 0), (held.Available, held.Reserved, held.Sold));
        Assert.True(held.Version > lot.Version);
        Assert.Equal(cart, await shopper.GetCart(), CartComparer.Instance);
    }

    [Fact]
    public async Task Setting_another_quantity_takes_or_returns_only_the_difference()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 10, perShopperLimit: 5);
        var shopper = await api.SignUpShopper();
        await shopper.Hold(lot.LotId, 2);

        await shopper.Hold(lot.LotId, 5);
        Assert.Equal((5, 5), Counts(await shopper.GetLot(lot.LotId)));

        var fewer = await shopper.Hold(lot.LotId, 1);
        Assert.Equal(1, Assert.Single(fewer.Items).Quantity);
        Assert.Equal((9, 1), Counts(await shopper.GetLot(lot.LotId)));

        var none = await shopper.Hold(lot.LotId, 0);
        Assert.Empty(none.Items);
        Assert.Equal((10, 0), Counts(await shopper.GetLot(lot.LotId)));
    }

    [Fact]
    public async Task Deleting_an_item_returns_its_stock()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 10);
        var other = await seller.CreateLot(quantity: 10);
        var shopper = await api.SignUpShopper();
        await shopper.Hold(lot.LotId, 4);
        await shopper.Hold(other.LotId, 1);

        var cart = await shopper.Release(lot.LotId);

        Assert.Equal(other.LotId, Assert.Single(cart.Items).LotId);
        var released = await shopper.GetLot(lot.LotId);
        Assert.Equal((10, 0), Counts(released));
        AssertInvariant(released);
    }

    [Fact]
    public async Task Deleting_an_item_that_is_not_held_changes_nothing()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 10);
        var shopper = await api.SignUpShopper();

        var cart = await shopper.Release(lot.LotId);

        Assert.Empty(cart.Items);
        Assert.Equal(lot, await shopper.GetLot(lot.LotId));
    }

    [Fact]
    public async Task A_hold_lasts_ten_minutes_then_its_stock_returns_and_the_cart_empties()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 10);
        var shopper = await api.SignUpShopper();
        await shopper.Hold(lot.LotId, 4);

        api.Clock.Advance(HoldDuration - TimeSpan.FromSeconds(1));
        Assert.Single((await shopper.GetCart()).Items);
        Assert.Equal((6, 4), Counts(await shopper.GetLot(lot.LotId)));

        api.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty((await shopper.GetCart()).Items);
        var returned = await shopper.GetLot(lot.LotId);
        Assert.Equal((10, 0, 0), (returned.Available, returned.Reserved, returned.Sold));
        AssertInvariant(returned);
    }

    [Fact]
    public async Task Holding_again_renews_the_expiry()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 10);
        var shopper = await api.SignUpShopper();
        await shopper.Hold(lot.LotId, 2);

        api.Clock.Advance(TimeSpan.FromMinutes(6));
        await shopper.Hold(lot.LotId, 3);
        api.Clock.Advance(TimeSpan.FromMinutes(6));

        Assert.Equal(3, Assert.Single((await shopper.GetCart()).Items).Quantity);
        Assert.Equal((7, 3), Counts(await shopper.GetLot(lot.LotId)));
    }

    [Fact]
    public async Task A_hold_beyond_the_stock_is_sold_out_and_takes_nothing()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 3, perShopperLimit: 3);
        var first = await api.SignUpShopper();
        var second = await api.SignUpShopper();
        await first.Hold(lot.LotId, 2);
        var before = await second.GetLot(lot.LotId);

        using var response = await second.SetItem(lot.LotId, 2);

        await response.ReadProblem(HttpStatusCode.Conflict, Problems.SoldOut);
        Assert.Equal(before, await second.GetLot(lot.LotId));
        Assert.Empty((await second.GetCart()).Items);
    }

    [Fact]
    public async Task A_hold_beyond_the_per_shopper_limit_is_refused()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 10, perShopperLimit: 2);
        var shopper = await api.SignUpShopper();

        using var response = await shopper.SetItem(lot.LotId, 3);

        await response.ReadProblem(HttpStatusCode.Conflict, Problems.LimitExceeded);
        Assert.Equal(lot, await shopper.GetLot(lot.LotId));
    }

    [Fact]
    public async Task The_limit_counts_what_the_shopper_bought_until_that_order_is_cancelled()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 10, perShopperLimit: 2);
        var shopper = await api.SignUpShopper();
        await shopper.Hold(lot.LotId, 2);
        var order = await shopper.PlaceOrder("wallet");

        using var overLimit = await shopper.SetItem(lot.LotId, 1);
        await overLimit.ReadProblem(HttpStatusCode.Conflict, Problems.LimitExceeded);

        await shopper.Cancel(order.OrderId);
        await shopper.Hold(lot.LotId, 2);
    }

    [Fact]
    public async Task A_cart_holds_one_currency()
    {
        var seller = await api.SignUpSeller();
        var yuan = await seller.CreateLot(currency: "CNY");
        var shillings = await seller.CreateLot(currency: "KES");
        var shopper = await api.SignUpShopper();
        await shopper.Hold(yuan.LotId, 1);

        using var response = await shopper.SetItem(shillings.LotId, 1);

        await response.ReadProblem(HttpStatusCode.Conflict, Problems.CurrencyMismatch);
        Assert.Equal(shillings, await shopper.GetLot(shillings.LotId));
    }

    [Fact]
    public async Task A_cart_has_exactly_the_contract_fields()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot();
        var shopper = await api.SignUpShopper();
        await shopper.Hold(lot.LotId, 1);

        var json = await shopper.Http.GetFromJsonAsync<JsonElement>("/api/cart", ApiJson.Options);

        Assert.Equal(new HashSet<string> { "shopperId", "items", "totalMinor", "currency" }, ApiJson.PropertyNames(json));
        var item = Assert.Single(json.GetProperty("items").EnumerateArray().ToList());
        Assert.Equal(new HashSet<string> { "lotId", "quantity", "priceMinor", "expiresAt" }, ApiJson.PropertyNames(item));
    }

    [Theory]
    [MemberData(nameof(ContractRoutes.WrongRoles), ContractRoutes.Cart, MemberType = typeof(ContractRoutes))]
    public Task Only_a_shopper_has_a_cart(string route, string role) =>
        ContractRoutes.AssertForbiddenAndUnchanged(api, route, role);

    private static (int Available, int Reserved) Counts(FlashSale.Lots.Lot lot) => (lot.Available, lot.Reserved);

    /// <summary>Carts hold a list, which records compare by reference; this compares the items.</summary>
    private sealed class CartComparer : IEqualityComparer<Cart>
    {
        public static readonly CartComparer Instance = new();

        public bool Equals(Cart? x, Cart? y) =>
            x is not null && y is not null && x with { Items = [] } == y with { Items = [] } && x.Items.SequenceEqual(y.Items);

        public int GetHashCode(Cart obj) => obj.ShopperId.GetHashCode(StringComparison.Ordinal);
    }
}
