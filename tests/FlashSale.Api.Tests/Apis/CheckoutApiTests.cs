using System.Net;
using FlashSale.Api.Extensions;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Common;
using FlashSale.Orders;
using static FlashSale.Api.Tests.Infrastructure.SaleApi;

namespace FlashSale.Api.Tests.Apis;

/// <summary>Checkout turns holds into an order, exactly once per Idempotency-Key.</summary>
[Collection(CheckoutApiCollection.Name)]
public sealed class CheckoutApiTests(FlashSaleApiFactory api)
{
    [Fact]
    public async Task Checkout_moves_the_holds_into_an_order_awaiting_payment()
    {
        var seller = await api.SignUpSeller();
        var pears = await seller.CreateLot(quantity: 10, priceMinor: 6800);
        var oranges = await seller.CreateLot(quantity: 10, priceMinor: 9900);
        var shopper = await api.SignUpShopper();
        await shopper.Hold(pears.LotId, 2);
        await shopper.Hold(oranges.LotId, 1);

        using var response = await shopper.Checkout("wallet", NewIdempotencyKey());
        var order = await response.ReadAs<Order>(HttpStatusCode.Created);

        var now = api.Clock.GetUtcNow();
        Assert.Equal(new Uri($"/api/orders/{order.OrderId}", UriKind.Relative), response.Headers.Location);
        Assert.True(Ids.IsWellFormed(order.OrderId, Ids.OrderPrefix), order.OrderId);
        Assert.Equal((shopper.Id, OrderStatus.AwaitingPayment, 2 * 6800L + 9900, "CNY", now), (order.ShopperId, order.Status, order.TotalMinor, order.Currency, order.CreatedAt));
        Assert.Equal(
            new[] { new OrderItem(pears.LotId, 2, 6800), new OrderItem(oranges.LotId, 1, 9900) }.OrderBy(i => i.LotId, StringComparer.Ordinal),
            order.Items.OrderBy(i => i.LotId, StringComparer.Ordinal));
        Assert.Equal(("wallet", PaymentStatus.Pending, now + TimeSpan.FromMinutes(15)), (order.Payment.Method, order.Payment.Status, order.Payment.ExpiresAt));
        Assert.False(string.IsNullOrEmpty(order.Payment.PaymentId));

        // The stock stays reserved, now for the order; the cart lets go of it.
        var lot = await shopper.GetLot(pears.LotId);
        Assert.Equal((8, 2, 0), (lot.Available, lot.Reserved, lot.Sold));
        Assert.Empty((await shopper.GetCart()).Items);
    }

    [Fact]
    public async Task Cash_on_delivery_confirms_the_order_at_once_and_sells_the_stock()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 10);
        var shopper = await api.SignUpShopper();
        await shopper.Hold(lot.LotId, 3);

        var order = await shopper.PlaceOrder("cash-on-delivery");

        Assert.Equal((OrderStatus.ConfirmedCod, PaymentStatus.CashOnDelivery), (order.Status, order.Payment.Status));
        var sold = await shopper.GetLot(lot.LotId);
        Assert.Equal((7, 0, 3), (sold.Available, sold.Reserved, sold.Sold));
        AssertInvariant(sold);
    }

    [Fact]
    public async Task Checking_out_an_empty_cart_is_a_conflict()
    {
        var shopper = await api.SignUpShopper();

        using var response = await shopper.Checkout("wallet", NewIdempotencyKey());

        await response.ReadProblem(HttpStatusCode.Conflict, Problems.Conflict);
        Assert.Empty(await shopper.ListOrders());
    }

    [Fact]
    public async Task Checkout_takes_only_holds_that_have_not_expired()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 10);
        var shopper = await api.SignUpShopper();
        await shopper.Hold(lot.LotId, 2);
        api.Clock.Advance(TimeSpan.FromMinutes(10));

        using var response = await shopper.Checkout("wallet", NewIdempotencyKey());

        await response.ReadProblem(HttpStatusCode.Conflict, Problems.Conflict);
        var returned = await shopper.GetLot(lot.LotId);
        Assert.Equal((10, 0), (returned.Available, returned.Reserved));
    }

    [Fact]
    public async Task A_retry_with_the_same_key_and_body_returns_the_first_order()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 10);
        var shopper = await api.SignUpShopper();
        await shopper.Hold(lot.LotId, 2);
        var key = NewIdempotencyKey();

        using var first = await shopper.Checkout("wallet", key);
        var placed = await first.ReadAs<Order>(HttpStatusCode.Created);
        await shopper.Hold(lot.LotId, 1); // a retry must not check this hold out too
        using var retry = await shopper.Checkout("wallet", key);
        var replayed = await retry.ReadAs<Order>(HttpStatusCode.Created);

        Assert.Equal(placed.OrderId, replayed.OrderId);
        Assert.Equal(placed.Items, replayed.Items);
        Assert.Equal(placed.OrderId, Assert.Single(await shopper.ListOrders()).OrderId);
        Assert.Single((await shopper.GetCart()).Items);
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_422_and_places_nothing()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 10);
        var shopper = await api.SignUpShopper();
        await shopper.Hold(lot.LotId, 2);
        var key = NewIdempotencyKey();
        using var first = await shopper.Checkout("wallet", key);
        var placed = await first.ReadAs<Order>(HttpStatusCode.Created);
        await shopper.Hold(lot.LotId, 1);

        using var reused = await shopper.Checkout("bank-transfer", key);

        await reused.ReadProblem(HttpStatusCode.UnprocessableEntity, Problems.IdempotencyKeyReused);
        Assert.Equal(placed.OrderId, Assert.Single(await shopper.ListOrders()).OrderId);
        Assert.Single((await shopper.GetCart()).Items);
    }

    [Fact]
    public async Task The_same_key_is_separate_for_each_shopper()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 10);
        var first = await api.SignUpShopper();
        var second = await api.SignUpShopper();
        await first.Hold(lot.LotId, 1);
        await second.Hold(lot.LotId, 1);
        const string sharedKey = "checkout-1";

        using var firstAnswer = await first.Checkout("wallet", sharedKey);
        using var secondAnswer = await second.Checkout("wallet", sharedKey);

        var firstOrder = await firstAnswer.ReadAs<Order>(HttpStatusCode.Created);
        var secondOrder = await secondAnswer.ReadAs<Order>(HttpStatusCode.Created);
        Assert.NotEqual(firstOrder.OrderId, secondOrder.OrderId);
        Assert.Equal(second.Id, secondOrder.ShopperId);
    }

    [Fact]
    public async Task A_checkout_without_a_key_is_400_and_leaves_the_cart_alone()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 10);
        var shopper = await api.SignUpShopper();
        await shopper.Hold(lot.LotId, 2);

        using var response = await shopper.Checkout("wallet", idempotencyKey: null);

        await response.ReadProblem(HttpStatusCode.BadRequest, Problems.IdempotencyKeyRequired);
        Assert.Single((await shopper.GetCart()).Items);
        Assert.Empty(await shopper.ListOrders());
    }

    [Fact]
    public async Task Twenty_concurrent_requests_with_one_key_place_exactly_one_order()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 10);
        var shopper = await api.SignUpShopper();
        await shopper.Hold(lot.LotId, 2);
        var key = NewIdempotencyKey();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => shopper.Checkout("wallet", key)));

        var order = Assert.Single(await shopper.ListOrders());
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var response in responses)
        {
            using (response)
            {
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    Assert.Equal(order.OrderId, (await response.ReadAs<Order>(HttpStatusCode.Created)).OrderId);
                }
                else
                {
                    await response.ReadProblem(HttpStatusCode.Conflict, Problems.IdempotencyKeyInFlight);
                }
            }
        }

        var reserved = await shopper.GetLot(lot.LotId);
        Assert.Equal((8, 2), (reserved.Available, reserved.Reserved));
    }

    [Theory]
    [MemberData(nameof(ContractRoutes.WrongRoles), ContractRoutes.Checkout, MemberType = typeof(ContractRoutes))]
    public Task Only_a_shopper_may_check_out(string route, string role) =>
        ContractRoutes.AssertForbiddenAndUnchanged(api, route, role);
}
