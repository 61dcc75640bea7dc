using System.Net;
using System.Net.Http.Json;
using FlashSale.Api.Apis;
using FlashSale.Api.Extensions;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Orders;
using FlashSale.Payments;
using FlashSale.Payments.Sandbox;

namespace FlashSale.Api.Tests.Payments;

/// <summary>Each payment method end to end through the HTTP API, with the sandbox gateway sending real webhooks.</summary>
[Collection(PaymentsApiCollection.Name)]
public sealed class PaymentMethodsEndToEndTests(PaymentsApiFactory api)
{
    [Fact]
    public async Task A_wallet_payment_is_confirmed_by_the_gateways_signed_webhook()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 20, perShopperLimit: 5, priceMinor: 6800);
        var shopper = await api.SignUpShopper();
        await shopper.Hold(lot.LotId, 2);
        var order = await shopper.PlaceOrder("wallet");
        Assert.Equal((OrderStatus.AwaitingPayment, PaymentStatus.Pending), (order.Status, order.Payment.Status));
        Assert.Contains($"/api/sandbox/payments/{order.Payment.PaymentId}", order.Payment.Instructions, StringComparison.Ordinal);
        Assert.Contains("136.00 CNY", order.Payment.Instructions, StringComparison.Ordinal);
        Assert.Equal(SandboxPaymentStatus.Pending, (await api.SandboxPayment(order.Payment.PaymentId)).Status);

        var completion = await api.Complete(order.Payment.PaymentId);
        var paid = await shopper.WaitFor(order.OrderId, OrderStatus.Paid);

        Assert.Equal(PaymentStatus.Succeeded, paid.Payment.Status);
        var gateway = await api.WaitForAcknowledged(order.Payment.PaymentId, completion.EventId);
        Assert.Equal(200, Assert.Single(Assert.Single(gateway.Events).Attempts).StatusCode);
        var record = await shopper.PaymentRecord(order.OrderId);
        Assert.Equal((completion.EventId, "payment.succeeded", PaymentEventStatus.Applied), (Assert.Single(record.Events).EventId, record.Events[0].Type, record.Events[0].Status));
        Assert.Equal(SettlementPath.Paid, record.Settlement!.Path);
        var stats = await seller.GetStats(lot.LotId);
        Assert.Equal((2, 13600L, 1), (stats.Sold, stats.RevenueMinor, stats.PaidOrders));
    }

    [Fact]
    public async Task A_bank_transfer_that_first_fails_waits_and_then_is_paid()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 20, perShopperLimit: 5);
        var shopper = await api.SignUpShopper();
        await shopper.Hold(lot.LotId, 1);
        var order = await shopper.PlaceOrder("bank-transfer");
        Assert.Equal(api.Clock.GetUtcNow().AddHours(24), order.Payment.ExpiresAt);
        Assert.Contains($"reference {order.Payment.PaymentId}", order.Payment.Instructions, StringComparison.Ordinal);

        var failed = await api.Complete(order.Payment.PaymentId, "failed");
        await api.WaitForAcknowledged(order.Payment.PaymentId, failed.EventId);
        var afterFailure = await shopper.GetOrder(order.OrderId);
        Assert.Equal((OrderStatus.AwaitingPayment, PaymentStatus.Failed), (afterFailure.Status, afterFailure.Payment.Status));
        Assert.Equal((19, 1, 0), Counts(await seller.GetLot(lot.LotId)));

        await api.Complete(order.Payment.PaymentId);
        await shopper.WaitFor(order.OrderId, OrderStatus.Paid);

        Assert.Equal((19, 0, 1), Counts(await seller.GetLot(lot.LotId)));
    }

    [Fact]
    public async Task Mobile_money_pays_in_the_second_market()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 20, perShopperLimit: 5, priceMinor: 25000, currency: "KES");
        var shopper = await api.SignUpShopper();
        await shopper.Hold(lot.LotId, 2);
        using var wrongMarket = await shopper.Checkout("wallet", SaleApi.NewIdempotencyKey());
        await wrongMarket.ReadProblem(HttpStatusCode.BadRequest, Problems.InvalidRequest);

        var order = await shopper.PlaceOrder("mobile-money");
        await api.Complete(order.Payment.PaymentId);
        var paid = await shopper.WaitFor(order.OrderId, OrderStatus.Paid);

        Assert.Equal(("KES", 50000L), (paid.Currency, paid.TotalMinor));
        Assert.Contains("500.00 KES", order.Payment.Instructions, StringComparison.Ordinal);
        Assert.Equal((18, 0, 2), Counts(await seller.GetLot(lot.LotId)));
    }

    [Fact]
    public async Task Cash_on_delivery_is_confirmed_at_once_within_a_cap_of_open_orders()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 50, perShopperLimit: 20);
        var shopper = await api.SignUpShopper();
        for (var i = 0; i < new CashOnDeliveryOptions().MaxOpenOrdersPerShopper; i++)
        {
            await shopper.Hold(lot.LotId, 1);
            var order = await shopper.PlaceOrder("cash-on-delivery");
            Assert.Equal((OrderStatus.ConfirmedCod, PaymentStatus.CashOnDelivery), (order.Status, order.Payment.Status));
        }

        await shopper.Hold(lot.LotId, 1);
        var before = await seller.GetLot(lot.LotId);
        using var over = await shopper.Checkout("cash-on-delivery", SaleApi.NewIdempotencyKey());

        await over.ReadProblem(HttpStatusCode.Conflict, Problems.LimitExceeded);
        Assert.Equal(before, await seller.GetLot(lot.LotId));
        Assert.Single((await shopper.GetCart()).Items);
        Assert.Equal(3, (await seller.GetStats(lot.LotId)).PaidOrders);
    }

    [Fact]
    public async Task A_gateway_method_has_no_cash_confirmation_and_cash_methods_have_no_webhook()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 20, perShopperLimit: 5);
        var shopper = await api.SignUpShopper();
        await shopper.Hold(lot.LotId, 1);
        var order = await shopper.PlaceOrder("cash-on-delivery");
        var body = GatewayApi.Body(GatewayApi.NewEventId(), order);

        using var webhook = await api.SendWebhook("cash-on-delivery", body, GatewayApi.Sign(body, api.WebhookSecret()));
        using var unknown = await api.SendWebhook("carrier-pigeon", body, GatewayApi.Sign(body, api.WebhookSecret()));
        using var complete = await shopper.Http.PostAsJsonAsync($"/api/sandbox/payments/{order.Payment.PaymentId}/complete", new { outcome = "succeeded" }, ApiJson.Options);

        await webhook.ReadProblem(HttpStatusCode.NotFound, Problems.NotFound);
        await unknown.ReadProblem(HttpStatusCode.NotFound, Problems.NotFound);
        await complete.ReadProblem(HttpStatusCode.NotFound, Problems.NotFound); // the sandbox never opened a cash payment
        Assert.Equal(OrderStatus.ConfirmedCod, (await shopper.GetOrder(order.OrderId)).Status);
    }

    private static (int Available, int Reserved, int Sold) Counts(FlashSale.Lots.Lot lot)
    {
        SaleApi.AssertInvariant(lot);
        return (lot.Available, lot.Reserved, lot.Sold);
    }
}
