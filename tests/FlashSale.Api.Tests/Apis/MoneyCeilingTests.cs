using System.Net;
using System.Net.Http.Json;
using FlashSale.Api.Extensions;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Orders;

namespace FlashSale.Api.Tests.Apis;

/// <summary>
/// The overflow attack of issue #12: a shopper fills her cart to the top with costly lots, then
/// holds more and checks out. Totals are bounded by <c>FlashSale:Limits:MaxOrderTotalMinor</c>
/// (10⁹ here, the default), judged before any stock moves: every step past it is a 409
/// <c>limit-exceeded</c>, and no lot, cart, order or stat changes.
/// </summary>
[Collection(CartApiCollection.Name)]
public sealed class MoneyCeilingTests(FlashSaleApiFactory api)
{
    private const long Ceiling = 1_000_000_000;

    [Fact]
    public async Task A_cart_at_the_ceiling_takes_nothing_more_and_no_stock_moves()
    {
        var seller = await api.SignUpSeller();
        var costly = await seller.CreateLot(quantity: 100, perShopperLimit: 10, priceMinor: Ceiling / 10);
        var another = await seller.CreateLot(quantity: 100, perShopperLimit: 5, priceMinor: 1);
        var shopper = await api.SignUpShopper();
        await shopper.Hold(costly.LotId, 10); // exactly the ceiling

        using var more = await shopper.SetItem(another.LotId, 1);
        await more.ReadProblem(HttpStatusCode.Conflict, Problems.LimitExceeded);

        var untouched = await seller.GetLot(another.LotId);
        Assert.Equal((100, 0, 0), (untouched.Available, untouched.Reserved, untouched.Sold));
        var cart = await shopper.GetCart();
        Assert.Equal(Ceiling, cart.TotalMinor);
        Assert.Single(cart.Items);
    }

    [Fact]
    public async Task Raising_a_held_line_past_the_ceiling_is_refused_and_the_hold_stays_as_it_was()
    {
        var seller = await api.SignUpSeller();
        var first = await seller.CreateLot(quantity: 100, perShopperLimit: 10, priceMinor: Ceiling / 10);
        var second = await seller.CreateLot(quantity: 100, perShopperLimit: 10, priceMinor: Ceiling / 10);
        var shopper = await api.SignUpShopper();
        await shopper.Hold(first.LotId, 6);
        await shopper.Hold(second.LotId, 4);

        using var raise = await shopper.SetItem(second.LotId, 5);
        await raise.ReadProblem(HttpStatusCode.Conflict, Problems.LimitExceeded);

        Assert.Equal(4, (await seller.GetLot(second.LotId)).Reserved);
        using var checkout = await shopper.Http.SendAsync(CheckoutRequest());
        var order = await checkout.ReadAs<Order>(HttpStatusCode.Created);
        Assert.Equal(Ceiling, order.TotalMinor);
        using var orders = await shopper.Http.GetAsync(new Uri("/api/orders", UriKind.Relative));
        Assert.Single(await orders.ReadAs<Order[]>());
    }

    public static TheoryData<long, int> LinesAboveTheCeiling() => new()
    {
        { Ceiling / 10 + 1, 10 }, { 1_000_000_000_000, 1 }, { 1_000_000_000_000, 100 }, { Ceiling, 2 },
    };

    [Theory]
    [MemberData(nameof(LinesAboveTheCeiling))]
    public async Task A_lot_whose_per_shopper_allowance_costs_more_than_an_order_may_is_refused(long priceMinor, int perShopperLimit)
    {
        var seller = await api.SignUpSeller();
        using var created = await seller.Http.PostAsJsonAsync(
            "/api/lots", new { name = "Gold pears", unit = "box", priceMinor, currency = "CNY", quantity = 1000, perShopperLimit }, ApiJson.Options);

        var problem = await created.ReadProblem(HttpStatusCode.BadRequest, Problems.InvalidRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("perShopperLimit", out _));
    }

    [Theory]
    [InlineData("startsAt", 367)]
    [InlineData("endsAt", 400)]
    [InlineData("endsAt", 36_500)]
    public async Task A_sale_beyond_the_horizon_is_refused_before_anything_is_created(string field, int days)
    {
        var seller = await api.SignUpSeller();
        using var before = await api.CreateAnonymousClient().GetAsync(new Uri("/api/lots", UriKind.Relative));
        var count = (await before.ReadAs<Lots.Lot[]>()).Length;
        var at = api.Clock.GetUtcNow().AddDays(days);
        var body = field == "startsAt"
            ? (object)new { name = "Pears", unit = "box", priceMinor = 100, currency = "CNY", quantity = 10, perShopperLimit = 2, startsAt = at, endsAt = at.AddDays(1) }
            : new { name = "Pears", unit = "box", priceMinor = 100, currency = "CNY", quantity = 10, perShopperLimit = 2, endsAt = at };

        using var created = await seller.Http.PostAsJsonAsync("/api/lots", body, ApiJson.Options);

        var problem = await created.ReadProblem(HttpStatusCode.BadRequest, Problems.InvalidRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
        using var after = await api.CreateAnonymousClient().GetAsync(new Uri("/api/lots", UriKind.Relative));
        Assert.Equal(count, (await after.ReadAs<Lots.Lot[]>()).Length);
    }

    [Fact]
    public async Task A_sale_sixty_days_ahead_is_created_and_listed()
    {
        var seller = await api.SignUpSeller();
        var startsAt = api.Clock.GetUtcNow().AddDays(60);

        var lot = await seller.CreateLot(startsAt: startsAt, endsAt: startsAt.AddDays(1));

        using var list = await api.CreateAnonymousClient().GetAsync(new Uri("/api/lots", UriKind.Relative));
        Assert.Contains(await list.ReadAs<Lots.Lot[]>(), l => l.LotId == lot.LotId);
    }

    private static HttpRequestMessage CheckoutRequest()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/checkout", UriKind.Relative)) { Content = JsonContent.Create(new { paymentMethod = "wallet" }) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        return request;
    }
}
