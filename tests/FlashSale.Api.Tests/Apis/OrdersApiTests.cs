using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FlashSale.Api.Extensions;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Orders;
using static FlashSale.Api.Tests.Infrastructure.SaleApi;

namespace FlashSale.Api.Tests.Apis;

/// <summary>The shopper's orders: read, cancel, and the payment deadline that returns unpaid stock.</summary>
[Collection(OrdersApiCollection.Name)]
public sealed class OrdersApiTests(FlashSaleApiFactory api)
{
    [Fact]
    public async Task A_shopper_lists_their_orders_oldest_first_and_reads_each()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 10);
        var shopper = await api.SignUpShopper();
        await shopper.Hold(lot.LotId, 1);
        var first = await shopper.PlaceOrder("wallet");
        await shopper.Hold(lot.LotId, 2);
        var second = await shopper.PlaceOrder("bank-transfer");

        var orders = await shopper.ListOrders();

        Assert.Equal([first.OrderId, second.OrderId], orders.Select(o => o.OrderId));
        var read = await shopper.GetOrder(second.OrderId);
        Assert.Equal((second.Status, second.TotalMinor, "bank-transfer"), (read.Status, read.TotalMinor, read.Payment.Method));
        Assert.Equal(second.Items, read.Items);
    }

    [Fact]
    public async Task Cancelling_an_order_awaiting_payment_returns_its_stock()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 10);
        var shopper = await api.SignUpShopper();
        await shopper.Hold(lot.LotId, 3);
        var order = await shopper.PlaceOrder("wallet");

        var cancelled = await shopper.Cancel(order.OrderId);

        Assert.Equal((OrderStatus.Cancelled, PaymentStatus.Cancelled), (cancelled.Status, cancelled.Payment.Status));
        Assert.Equal(OrderStatus.Cancelled, (await shopper.GetOrder(order.OrderId)).Status);
        var returned = await shopper.GetLot(lot.LotId);
        Assert.Equal((10, 0, 0), (returned.Available, returned.Reserved, returned.Sold));
    }

    [Fact]
    public async Task Only_an_order_awaiting_payment_can_be_cancelled()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 10);
        var shopper = await api.SignUpShopper();
        await shopper.Hold(lot.LotId, 1);
        var cancelled = await shopper.PlaceOrder("wallet");
        await shopper.Cancel(cancelled.OrderId);
        await shopper.Hold(lot.LotId, 2);
        var onDelivery = await shopper.PlaceOrder("cash-on-delivery");
        var before = await shopper.GetLot(lot.LotId);

        using var again = await shopper.Http.PostAsync(new Uri($"/api/orders/{cancelled.OrderId}/cancel", UriKind.Relative), null);
        using var confirmed = await shopper.Http.PostAsync(new Uri($"/api/orders/{onDelivery.OrderId}/cancel", UriKind.Relative), null);

        await again.ReadProblem(HttpStatusCode.Conflict, Problems.Conflict);
        await confirmed.ReadProblem(HttpStatusCode.Conflict, Problems.Conflict);
        Assert.Equal(OrderStatus.ConfirmedCod, (await shopper.GetOrder(onDelivery.OrderId)).Status);
        Assert.Equal(before, await shopper.GetLot(lot.LotId));
    }

    [Fact]
    public async Task An_order_unpaid_at_its_deadline_expires_and_its_stock_returns()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 10);
        var shopper = await api.SignUpShopper();
        await shopper.Hold(lot.LotId, 4);
        var order = await shopper.PlaceOrder("wallet");

        api.Clock.Advance(order.Payment.ExpiresAt - api.Clock.GetUtcNow() - TimeSpan.FromSeconds(1));
        Assert.Equal(OrderStatus.AwaitingPayment, (await shopper.GetOrder(order.OrderId)).Status);
        Assert.Equal((6, 4), Counts(await shopper.GetLot(lot.LotId)));

        api.Clock.Advance(TimeSpan.FromSeconds(1));
        var expired = await shopper.GetOrder(order.OrderId);
        Assert.Equal((OrderStatus.Expired, PaymentStatus.Expired), (expired.Status, expired.Payment.Status));
        var returned = await shopper.GetLot(lot.LotId);
        Assert.Equal((10, 0, 0), (returned.Available, returned.Reserved, returned.Sold));
        AssertInvariant(returned);
        using var cancel = await shopper.Http.PostAsync(new Uri($"/api/orders/{order.OrderId}/cancel", UriKind.Relative), null);
        await cancel.ReadProblem(HttpStatusCode.Conflict, Problems.Conflict);
    }

    [Fact]
    public async Task Another_shopper_cannot_see_or_cancel_an_order()
    {
        var scene = await Scene.Create(api);
        var stranger = await api.SignUpShopper("Zhao Lei");
        var before = await scene.Snapshot();

        using var read = await stranger.Http.GetAsync(new Uri($"/api/orders/{scene.Order.OrderId}", UriKind.Relative));
        using var cancel = await stranger.Http.PostAsync(new Uri($"/api/orders/{scene.Order.OrderId}/cancel", UriKind.Relative), null);

        await read.ReadProblem(HttpStatusCode.NotFound, Problems.NotFound);
        await cancel.ReadProblem(HttpStatusCode.NotFound, Problems.NotFound);
        Assert.Empty(await stranger.ListOrders());
        Assert.Equal(before, await scene.Snapshot());
        Assert.Equal(OrderStatus.AwaitingPayment, (await scene.Shopper.GetOrder(scene.Order.OrderId)).Status);
    }

    [Fact]
    public async Task An_order_has_exactly_the_contract_fields()
    {
        var scene = await Scene.Create(api);

        var json = await scene.Shopper.Http.GetFromJsonAsync<JsonElement>($"/api/orders/{scene.Order.OrderId}", ApiJson.Options);

        Assert.Equal(
            new HashSet<string> { "orderId", "shopperId", "status", "items", "totalMinor", "currency", "payment", "createdAt" },
            ApiJson.PropertyNames(json));
        Assert.Equal("awaiting-payment", json.GetProperty("status").GetString());
        var item = Assert.Single(json.GetProperty("items").EnumerateArray().ToList());
        Assert.Equal(new HashSet<string> { "lotId", "quantity", "priceMinor" }, ApiJson.PropertyNames(item));
        var payment = json.GetProperty("payment");
        Assert.Superset(new HashSet<string> { "paymentId", "method", "status", "expiresAt" }, ApiJson.PropertyNames(payment).ToHashSet());
        Assert.Subset(new HashSet<string> { "paymentId", "method", "status", "expiresAt", "instructions" }, ApiJson.PropertyNames(payment).ToHashSet());
    }

    [Theory]
    [MemberData(nameof(ContractRoutes.WrongRoles), ContractRoutes.Orders, MemberType = typeof(ContractRoutes))]
    public Task Only_a_shopper_has_orders(string route, string role) =>
        ContractRoutes.AssertForbiddenAndUnchanged(api, route, role);

    private static (int Available, int Reserved) Counts(FlashSale.Lots.Lot lot) => (lot.Available, lot.Reserved);
}
