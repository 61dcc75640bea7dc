using System.Net;
using FlashSale.Api.Extensions;
using FlashSale.Api.Fulfilment;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Ledger;
using FlashSale.Orders;
using FlashSale.Payments.Sandbox;
using static FlashSale.Api.Tests.Fulfilment.FulfilmentCalls;

namespace FlashSale.Api.Tests.Payments;

/// <summary>A seller's cancel of a paid order sends the money back through the gateway's refund, once, and the ledger says so.</summary>
[Collection(PaymentsApiCollection.Name)]
public sealed class SellerCancelRefundTests(PaymentsApiFactory api)
{
    [Fact]
    public async Task A_paid_order_cancelled_by_its_seller_is_refunded_once_through_the_gateway()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 10, priceMinor: 1200);
        var shopper = await api.SignUpShopper();
        var order = await shopper.Buy(lot.LotId, 2, Home(), paymentMethod: "wallet");
        var paid = await api.Complete(order.Payment.PaymentId);
        await shopper.WaitFor(order.OrderId, OrderStatus.Paid);
        await api.WaitForAcknowledged(order.Payment.PaymentId, paid.EventId);

        var cancelled = await seller.Move($"/api/seller/orders/{order.OrderId}/cancel", new { reason = "Frost took the crop" });
        using var again = await seller.Post($"/api/seller/orders/{order.OrderId}/cancel", new { reason = "again" });
        using var duplicate = await api.SendWebhook("wallet", GatewayApi.Body(paid.EventId, order), GatewayApi.Sign(GatewayApi.Body(paid.EventId, order), api.WebhookSecret()));

        Assert.Equal((OrderStatus.Refunded, PaymentStatus.Refunded), (cancelled.Status, cancelled.Payment.Status));
        await again.ReadProblem(HttpStatusCode.Conflict, Problems.Conflict);
        Assert.Equal(HttpStatusCode.OK, duplicate.StatusCode);
        var gateway = await api.SandboxPayment(order.Payment.PaymentId);
        Assert.Equal((SandboxPaymentStatus.Refunded, 2400L, 1), (gateway.Status, gateway.RefundedMinor, gateway.Refunds));
        Assert.Equal([new LedgerBalance("CNY", 2400, 2400, 0, 0, 0, 0)], (await seller.Get<LedgerView>("/api/sellers/me/ledger")).Balances);
        var after = await seller.GetLot(lot.LotId);
        Assert.Equal((10, 0, 0), (after.Available, after.Reserved, after.Sold));
    }
}
