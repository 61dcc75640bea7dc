using System.Net;
using System.Text.Json;
using FlashSale.Api.Apis;
using FlashSale.Api.Extensions;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Orders;
using FlashSale.Payments;

namespace FlashSale.Api.Tests.Payments;

/// <summary>
/// The webhook endpoint as an attacker and a sloppy gateway see it: anything not signed with an
/// active secret over these exact bytes, within 300 s, is 401 signature-invalid and leaves no trace.
/// </summary>
[Collection(PaymentsApiCollection.Name)]
public sealed class WebhookSecurityTests(PaymentsApiFactory api)
{
    private async Task<(Caller Shopper, Order Order, string LotId)> AwaitingWalletOrder()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 20, perShopperLimit: 5);
        var shopper = await api.SignUpShopper();
        await shopper.Hold(lot.LotId, 2);
        return (shopper, await shopper.PlaceOrder("wallet"), lot.LotId);
    }

    public static TheoryData<string> Forgeries() => new()
    {
        "bad signature",
        "stale timestamp",
        "future timestamp",
        "retired secret",
        "tampered body",
        "no signature",
        "malformed header",
        "another provider's secret",
    };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task A_forged_or_stale_webhook_is_refused_and_leaves_no_trace(string forgery)
    {
        var (shopper, order, lotId) = await AwaitingWalletOrder();
        var body = GatewayApi.Body(GatewayApi.NewEventId(), order);
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var (sent, signature) = forgery switch
        {
            "bad signature" => (body, $"t={now},v1={new string('a', 64)}"),
            "stale timestamp" => (body, GatewayApi.Sign(body, api.WebhookSecret(), at: now - 301)),
            "future timestamp" => (body, GatewayApi.Sign(body, api.WebhookSecret(), at: now + 301)),
            "retired secret" => (body, GatewayApi.Sign(body, "whsec_wallet_retired_long_ago_0123456789")),
            "tampered body" => (body.Replace($"\"amountMinor\":{order.TotalMinor}", "\"amountMinor\":1", StringComparison.Ordinal), GatewayApi.Sign(body, api.WebhookSecret())),
            "no signature" => (body, (string?)null),
            "malformed header" => (body, "sha256=deadbeef"),
            _ => (body, GatewayApi.Sign(body, api.WebhookSecret("bank-transfer"))),
        };
        var before = await State(shopper, order, lotId);

        using var response = await api.SendWebhook("wallet", sent, signature);

        await response.ReadProblem(HttpStatusCode.Unauthorized, Problems.SignatureInvalid);
        Assert.Equal(before, await State(shopper, order, lotId));
        Assert.Empty((await shopper.PaymentRecord(order.OrderId)).Events);

        // The same event, signed properly, is still new: the refusal did not mark it as seen.
        using var genuine = await api.SendWebhook("wallet", body, GatewayApi.Sign(body, api.WebhookSecret()));
        Assert.Equal(PaymentEventDisposition.Applied, (await genuine.ReadAs<WebhookReceipt>()).Disposition);
    }

    [Fact]
    public async Task A_webhook_signed_with_the_previous_secret_is_accepted_during_a_rotation()
    {
        var (shopper, order, _) = await AwaitingWalletOrder();
        var body = GatewayApi.Body(GatewayApi.NewEventId(), order);

        using var response = await api.SendWebhook("wallet", body, GatewayApi.Sign(body, api.PreviousWalletSecret));

        Assert.Equal(OrderStatus.Paid, (await response.ReadAs<WebhookReceipt>()).OrderStatus);
        Assert.Equal(OrderStatus.Paid, (await shopper.GetOrder(order.OrderId)).Status);
    }

    [Fact]
    public async Task An_event_seen_before_is_200_and_changes_nothing_more()
    {
        var (shopper, order, lotId) = await AwaitingWalletOrder();
        var eventId = GatewayApi.NewEventId();
        var body = GatewayApi.Body(eventId, order);
        using var first = await api.SendWebhook("wallet", body, GatewayApi.Sign(body, api.WebhookSecret()));
        Assert.Equal(PaymentEventDisposition.Applied, (await first.ReadAs<WebhookReceipt>()).Disposition);
        var after = await State(shopper, order, lotId);

        // The same id again, even with another body (a failure now), is a duplicate.
        var again = GatewayApi.Body(eventId, order, type: "payment.failed");
        using var duplicate = await api.SendWebhook("wallet", again, GatewayApi.Sign(again, api.WebhookSecret()));

        var receipt = await duplicate.ReadAs<WebhookReceipt>();
        Assert.Equal((PaymentEventDisposition.Duplicate, OrderStatus.Paid), (receipt.Disposition, receipt.OrderStatus));
        Assert.Equal(after, await State(shopper, order, lotId));
        Assert.Single((await shopper.PaymentRecord(order.OrderId)).Events);
    }

    [Fact]
    public async Task An_amount_or_currency_that_does_not_match_is_recorded_for_review_and_does_not_pay()
    {
        var (shopper, order, lotId) = await AwaitingWalletOrder();
        var before = await OrderAndLot(shopper, order, lotId);
        var shortBody = GatewayApi.Body(GatewayApi.NewEventId(), order, amountMinor: order.TotalMinor - 100);
        var otherCurrency = GatewayApi.Body(GatewayApi.NewEventId(), order, currency: "KES");

        using var shortPaid = await api.SendWebhook("wallet", shortBody, GatewayApi.Sign(shortBody, api.WebhookSecret()));
        using var wrongCurrency = await api.SendWebhook("wallet", otherCurrency, GatewayApi.Sign(otherCurrency, api.WebhookSecret()));

        Assert.Equal(PaymentEventDisposition.RecordedForReview, (await shortPaid.ReadAs<WebhookReceipt>()).Disposition);
        Assert.Equal(PaymentEventDisposition.RecordedForReview, (await wrongCurrency.ReadAs<WebhookReceipt>()).Disposition);
        Assert.Equal(before, await OrderAndLot(shopper, order, lotId));
        Assert.All((await shopper.PaymentRecord(order.OrderId)).Events, e => Assert.Equal(PaymentEventStatus.RecordedForReview, e.Status));
    }

    public static TheoryData<string, string> SignedButWrong() => new()
    {
        { "not json", "{\"eventId\":" },
        { "missing type", """{"eventId":"evt_x1","paymentId":"pay_0000000000000000","amountMinor":1,"currency":"CNY"}""" },
        { "unknown type", """{"eventId":"evt_x2","paymentId":"pay_0000000000000000","type":"payment.disputed","amountMinor":1,"currency":"CNY"}""" },
        { "fractional amount", """{"eventId":"evt_x3","paymentId":"pay_0000000000000000","type":"payment.succeeded","amountMinor":1.5,"currency":"CNY"}""" },
        { "huge amount", """{"eventId":"evt_x4","paymentId":"pay_0000000000000000","type":"payment.succeeded","amountMinor":99999999999999999999999,"currency":"CNY"}""" },
        { "bad currency", """{"eventId":"evt_x5","paymentId":"pay_0000000000000000","type":"payment.succeeded","amountMinor":1,"currency":"XXX"}""" },
    };

    [Theory]
    [MemberData(nameof(SignedButWrong))]
    public async Task An_authentic_body_that_is_not_a_notification_is_400(string because, string body)
    {
        using var response = await api.SendWebhook("wallet", body, GatewayApi.Sign(body, api.WebhookSecret()));

        var problem = await response.ReadProblem(HttpStatusCode.BadRequest, Problems.InvalidRequest);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()), because);
    }

    [Fact]
    public async Task An_authentic_event_for_a_payment_nobody_has_is_404()
    {
        var body = """{"eventId":"evt_nobody","paymentId":"pay_0000000000000000","type":"payment.succeeded","amountMinor":1,"currency":"CNY"}""";
        var malformedId = """{"eventId":"evt_nobody2","paymentId":"not-a-payment","type":"payment.succeeded","amountMinor":1,"currency":"CNY"}""";

        using var unknown = await api.SendWebhook("wallet", body, GatewayApi.Sign(body, api.WebhookSecret()));
        using var malformed = await api.SendWebhook("wallet", malformedId, GatewayApi.Sign(malformedId, api.WebhookSecret()));

        await unknown.ReadProblem(HttpStatusCode.NotFound, Problems.NotFound);
        await malformed.ReadProblem(HttpStatusCode.NotFound, Problems.NotFound);
    }

    [Fact]
    public async Task A_body_larger_than_a_notification_can_be_is_400()
    {
        var body = "{\"pad\":\"" + new string('x', PaymentWebhooksApi.MaxBodyBytes) + "\"}";

        using var response = await api.SendWebhook("wallet", body, GatewayApi.Sign(body, api.WebhookSecret()));

        await response.ReadProblem(HttpStatusCode.BadRequest, Problems.InvalidRequest);
    }

    private static async Task<string> OrderAndLot(Caller shopper, Order order, string lotId) =>
        JsonSerializer.Serialize(new { order = await shopper.GetOrder(order.OrderId), lot = await shopper.GetLot(lotId) }, ApiJson.Options);

    /// <summary>Everything a webhook could have changed, as the API shows it.</summary>
    private static async Task<string> State(Caller shopper, Order order, string lotId)
    {
        var current = await shopper.GetOrder(order.OrderId);
        var lot = await shopper.GetLot(lotId);
        var record = await shopper.PaymentRecord(order.OrderId);
        return JsonSerializer.Serialize(new { current, lot, record.Events, record.Refund, record.Settlement }, ApiJson.Options);
    }
}
