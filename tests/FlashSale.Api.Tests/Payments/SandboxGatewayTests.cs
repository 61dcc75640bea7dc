using System.Net;
using System.Net.Http.Json;
using FlashSale.Api.Extensions;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Orders;
using FlashSale.Payments;
using FlashSale.Payments.Sandbox;

namespace FlashSale.Api.Tests.Payments;

/// <summary>
/// The sandbox behaves as a real asynchronous gateway: it retries with backoff while the engine
/// does not answer 2xx, and it can deliver twice, late and out of order. The engine applies each
/// event once whatever it does. The sandbox's clock is a fake: the tests move it to let a wait end.
/// </summary>
[Collection(PaymentsApiCollection.Name)]
public sealed class SandboxGatewayTests(PaymentsApiFactory api)
{
    private async Task<(Caller Seller, Caller Shopper, Order Order)> AwaitingOrder(string method = "wallet", int quantity = 2)
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 20, perShopperLimit: 5);
        var shopper = await api.SignUpShopper();
        await shopper.Hold(lot.LotId, quantity);
        return (seller, shopper, await shopper.PlaceOrder(method));
    }

    /// <summary>Moves the gateway's clock a second at a time until the condition holds; the loop bound only guards a broken test.</summary>
    private async Task AdvanceGatewayUntil(Func<Task<bool>> condition)
    {
        for (var second = 0; second < 600 && !await condition(); second++)
        {
            api.GatewayClock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5);
        }

        Assert.True(await condition(), "the gateway never got there");
    }

    [Fact]
    public async Task While_the_engine_does_not_answer_2xx_the_gateway_retries_with_growing_waits()
    {
        var (_, shopper, order) = await AwaitingOrder();
        api.Faults.FailNext(HttpStatusCode.ServiceUnavailable, null, HttpStatusCode.BadGateway);

        var completion = await api.Complete(order.Payment.PaymentId);
        await AdvanceGatewayUntil(async () => (await api.SandboxPayment(order.Payment.PaymentId)).Events[0].Acknowledged == 1);

        var attempts = (await api.SandboxPayment(order.Payment.PaymentId)).Events.Single(e => e.Event.EventId == completion.EventId).Attempts;
        Assert.Equal([503, 0, 502, 200], attempts.Select(a => a.StatusCode));
        // The gateway's clock moves only when the test moves it, so a wait can end late but never
        // early: each is at least the doubling backoff (2 s, 4 s, 8 s).
        var waits = attempts.Zip(attempts.Skip(1), (a, b) => b.At - a.At).ToList();
        Assert.True(waits[0] >= TimeSpan.FromSeconds(2) && waits[1] >= TimeSpan.FromSeconds(4) && waits[2] >= TimeSpan.FromSeconds(8), $"waits were {string.Join(", ", waits)}");
        Assert.Equal(OrderStatus.Paid, (await shopper.GetOrder(order.OrderId)).Status);
        Assert.Equal(PaymentEventStatus.Applied, Assert.Single((await shopper.PaymentRecord(order.OrderId)).Events).Status);
    }

    [Fact]
    public async Task Copies_delivered_at_once_are_all_acknowledged_and_applied_once()
    {
        var (seller, shopper, order) = await AwaitingOrder(quantity: 3);

        var completion = await api.Complete(order.Payment.PaymentId, copies: 5);
        var gateway = await api.WaitForAcknowledged(order.Payment.PaymentId, completion.EventId, answers: 5);

        Assert.Equal(5, Assert.Single(gateway.Events).Acknowledged);
        var paid = await shopper.GetOrder(order.OrderId);
        Assert.Equal(OrderStatus.Paid, paid.Status);
        Assert.Equal(PaymentEventStatus.Applied, Assert.Single((await shopper.PaymentRecord(order.OrderId)).Events).Status);
        var lot = await seller.GetLot(paid.Items[0].LotId);
        Assert.Equal((17, 0, 3), (lot.Available, lot.Reserved, lot.Sold));
    }

    [Fact]
    public async Task A_failure_delivered_after_the_success_it_preceded_changes_nothing()
    {
        var (_, shopper, order) = await AwaitingOrder();

        var failed = await api.Complete(order.Payment.PaymentId, "failed", delaySeconds: 60);
        var succeeded = await api.Complete(order.Payment.PaymentId);
        await api.WaitForAcknowledged(order.Payment.PaymentId, succeeded.EventId);
        Assert.Equal(OrderStatus.Paid, (await shopper.GetOrder(order.OrderId)).Status);
        await AdvanceGatewayUntil(async () => (await api.SandboxPayment(order.Payment.PaymentId)).Events.Single(e => e.Event.EventId == failed.EventId).Acknowledged == 1);

        var after = await shopper.GetOrder(order.OrderId);
        Assert.Equal((OrderStatus.Paid, PaymentStatus.Succeeded), (after.Status, after.Payment.Status));
        var events = (await shopper.PaymentRecord(order.OrderId)).Events;
        Assert.Equal([succeeded.EventId, failed.EventId], events.Select(e => e.EventId));
    }

    [Fact]
    public async Task A_success_after_the_deadline_takes_the_stock_again_if_it_is_still_there()
    {
        var (seller, shopper, order) = await AwaitingOrder();
        api.Clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(OrderStatus.Expired, (await shopper.GetOrder(order.OrderId)).Status);

        await api.Complete(order.Payment.PaymentId);
        var paid = await shopper.WaitFor(order.OrderId, OrderStatus.Paid);

        Assert.Equal(PaymentStatus.Succeeded, paid.Payment.Status);
        var record = await shopper.PaymentRecord(order.OrderId);
        Assert.Equal(SettlementPath.StockRetaken, record.Settlement!.Path);
        Assert.Null(record.Refund);
        var lot = await seller.GetLot(order.Items[0].LotId);
        Assert.Equal((18, 0, 2), (lot.Available, lot.Reserved, lot.Sold));
    }

    [Fact]
    public async Task A_success_after_the_deadline_whose_stock_is_gone_is_refunded_through_the_gateway()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 2, perShopperLimit: 2);
        var shopper = await api.SignUpShopper();
        await shopper.Hold(lot.LotId, 2);
        var order = await shopper.PlaceOrder("wallet");
        api.Clock.Advance(TimeSpan.FromMinutes(16));
        var rival = await api.SignUpShopper("Sun Yu");
        await rival.Hold(lot.LotId, 2);
        await rival.PlaceOrder("cash-on-delivery");

        var completion = await api.Complete(order.Payment.PaymentId);
        await api.WaitForAcknowledged(order.Payment.PaymentId, completion.EventId); // answered once the refund was made
        var refunded = await shopper.GetOrder(order.OrderId);

        Assert.Equal(PaymentStatus.Refunded, refunded.Payment.Status);
        var gateway = await api.SandboxPayment(order.Payment.PaymentId);
        Assert.Equal((SandboxPaymentStatus.Refunded, order.TotalMinor, 1), (gateway.Status, gateway.RefundedMinor, gateway.Refunds));
        var record = await shopper.PaymentRecord(order.OrderId);
        Assert.Equal((SettlementPath.Refunded, order.TotalMinor), (record.Settlement!.Path, record.Refund!.AmountMinor));
        var after = await seller.GetLot(lot.LotId);
        Assert.Equal((0, 0, 2), (after.Available, after.Reserved, after.Sold)); // sold once, to the rival
        Assert.Equal(1, (await seller.GetStats(lot.LotId)).PaidOrders);
    }

    [Fact]
    public async Task Only_the_orders_shopper_can_see_or_complete_its_payment_and_nobody_else_changes_anything()
    {
        var (_, shopper, order) = await AwaitingOrder();
        var otherShopper = await api.SignUpShopper();
        var agent = await api.SignUpAgent();
        var seller = await api.SignUpSeller();
        var path = $"/api/sandbox/payments/{order.Payment.PaymentId}";
        using var anonymous = api.CreateAnonymousClient();

        using var anonymousComplete = await anonymous.PostAsJsonAsync(path + "/complete", new { outcome = "succeeded" }, ApiJson.Options);
        using var anonymousRead = await anonymous.GetAsync(new Uri(path, UriKind.Relative));
        await anonymousComplete.ReadProblem(HttpStatusCode.Unauthorized, Problems.Unauthorized);
        await anonymousRead.ReadProblem(HttpStatusCode.Unauthorized, Problems.Unauthorized);
        foreach (var stranger in new[] { otherShopper, agent })
        {
            using var complete = await stranger.Http.PostAsJsonAsync(path + "/complete", new { outcome = "succeeded" }, ApiJson.Options);
            using var read = await stranger.Http.GetAsync(new Uri(path, UriKind.Relative));
            await complete.ReadProblem(HttpStatusCode.NotFound, Problems.NotFound);
            await read.ReadProblem(HttpStatusCode.NotFound, Problems.NotFound);
        }

        using var sellerComplete = await seller.Http.PostAsJsonAsync(path + "/complete", new { outcome = "succeeded" }, ApiJson.Options);
        await sellerComplete.ReadProblem(HttpStatusCode.Forbidden, Problems.Forbidden);

        Assert.Empty((await api.SandboxPayment(order.Payment.PaymentId)).Events);
        Assert.Equal(OrderStatus.AwaitingPayment, (await shopper.GetOrder(order.OrderId)).Status);
    }

    [Fact]
    public async Task The_sandbox_refuses_what_a_gateway_would_and_changes_nothing()
    {
        var (_, shopper, order) = await AwaitingOrder();
        var client = shopper.Http;
        var path = $"/api/sandbox/payments/{order.Payment.PaymentId}/complete";

        using var noOutcome = await client.PostAsJsonAsync(path, new { }, ApiJson.Options);
        using var badOutcome = await client.PostAsJsonAsync(path, new { outcome = "maybe" }, ApiJson.Options);
        using var tooMany = await client.PostAsJsonAsync(path, new { outcome = "succeeded", copies = 50 }, ApiJson.Options);
        using var negativeDelay = await client.PostAsJsonAsync(path, new { outcome = "succeeded", delaySeconds = -1 }, ApiJson.Options);
        using var unknown = await client.PostAsJsonAsync("/api/sandbox/payments/pay_0000000000000000/complete", new { outcome = "succeeded" }, ApiJson.Options);
        using var malformed = await client.GetAsync(new Uri("/api/sandbox/payments/nope", UriKind.Relative));

        foreach (var response in new[] { noOutcome, badOutcome, tooMany, negativeDelay })
        {
            await response.ReadProblem(HttpStatusCode.BadRequest, Problems.InvalidRequest);
        }

        await unknown.ReadProblem(HttpStatusCode.NotFound, Problems.NotFound);
        await malformed.ReadProblem(HttpStatusCode.NotFound, Problems.NotFound);
        Assert.Empty((await api.SandboxPayment(order.Payment.PaymentId)).Events);

        var succeeded = await api.Complete(order.Payment.PaymentId);
        await api.WaitForAcknowledged(order.Payment.PaymentId, succeeded.EventId);
        using var twice = await client.PostAsJsonAsync(path, new { outcome = "succeeded" }, ApiJson.Options);
        await twice.ReadProblem(HttpStatusCode.Conflict, Problems.Conflict);
        Assert.Equal(OrderStatus.Paid, (await shopper.GetOrder(order.OrderId)).Status);
    }
}
