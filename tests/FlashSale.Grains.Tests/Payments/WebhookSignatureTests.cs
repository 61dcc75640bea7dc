using System.Text;
using FlashSale.Payments;

namespace FlashSale.Tests.Payments;

/// <summary>The webhook signature check, case by case: rotation, replay, tampering, and every malformed header.</summary>
public sealed class WebhookSignatureTests
{
    private const string Current = "whsec_current_0123456789";
    private const string Previous = "whsec_previous_0123456789";
    private const string Retired = "whsec_retired_0123456789";

    private static readonly DateTimeOffset Now = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly long T = Now.ToUnixTimeSeconds();
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"eventId":"evt_1","paymentId":"pay_1","type":"payment.succeeded","amountMinor":1000,"currency":"CNY"}""");
    private static readonly string[] Active = [Current, Previous];

    public static TheoryData<string, string?, string, SignatureCheck> Cases()
    {
        var mac = Sign(Current, T).Split("v1=")[1];
        return new TheoryData<string, string?, string, SignatureCheck>
        {
            { "signed with the current secret", Sign(Current, T), "body", SignatureCheck.Valid },
            { "signed with the previous secret during a rotation", Sign(Previous, T), "body", SignatureCheck.Valid },
            { "signed with a retired secret", Sign(Retired, T), "body", SignatureCheck.NoMatch },
            { "a tampered body", Sign(Current, T), "tampered", SignatureCheck.NoMatch },
            { "a timestamp other than the signed one", $"t={T + 1},v1={mac}", "body", SignatureCheck.NoMatch },
            { "exactly 300 s old", Sign(Current, T - 300), "body", SignatureCheck.Valid },
            { "301 s old", Sign(Current, T - 301), "body", SignatureCheck.OutsideTolerance },
            { "301 s in the future", Sign(Current, T + 301), "body", SignatureCheck.OutsideTolerance },
            { "two v1 values, one right (a gateway rotating)", $"t={T},v1={new string('0', 64)},v1={mac}", "body", SignatureCheck.Valid },
            { "an unknown scheme beside v1", $"t={T},v0=abc,v1={mac}", "body", SignatureCheck.Valid },
            { "spaces around the parts", $" t={T} , v1={mac} ", "body", SignatureCheck.Valid },
            { "upper-case hex", $"t={T},v1={mac.ToUpperInvariant()}", "body", SignatureCheck.Valid },
            { "no header", null, "body", SignatureCheck.Missing },
            { "an empty header", "", "body", SignatureCheck.Missing },
            { "no timestamp", $"v1={mac}", "body", SignatureCheck.Malformed },
            { "no v1", $"t={T}", "body", SignatureCheck.Malformed },
            { "two timestamps", $"t={T},t={T},v1={mac}", "body", SignatureCheck.Malformed },
            { "a negative timestamp", $"t=-{T},v1={mac}", "body", SignatureCheck.Malformed },
            { "a timestamp that is not a number", $"t=now,v1={mac}", "body", SignatureCheck.Malformed },
            { "a timestamp too long to be one", $"t={new string('9', 40)},v1={mac}", "body", SignatureCheck.Malformed },
            { "a short mac", $"t={T},v1={mac[..62]}", "body", SignatureCheck.Malformed },
            { "a mac that is not hex", $"t={T},v1={new string('z', 64)}", "body", SignatureCheck.Malformed },
            { "a part without '='", $"t={T},v1", "body", SignatureCheck.Malformed },
            { "a header far too long", $"t={T},v1={mac}," + new string('x', 2000), "body", SignatureCheck.Malformed },
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_signature_is_judged(string because, string? header, string body, SignatureCheck expected)
    {
        var bytes = body == "tampered" ? Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Body).Replace("1000", "1", StringComparison.Ordinal)) : Body;

        var check = WebhookSignature.Verify(header, bytes, Active, Now, TimeSpan.FromSeconds(300));

        Assert.True(expected == check, $"{because}: expected {expected}, got {check}");
    }

    [Fact]
    public void With_no_active_secret_nothing_is_accepted() =>
        Assert.Equal(SignatureCheck.NoMatch, WebhookSignature.Verify(Sign(Current, T), Body, [], Now, TimeSpan.FromSeconds(300)));

    public static TheoryData<string, string?> Bodies() => new()
    {
        { """{"eventId":"evt_1","paymentId":"pay_1","type":"payment.succeeded","amountMinor":1000,"currency":"CNY","extra":{"a":1}}""", null },
        { """{"eventId":"evt_1","paymentId":"pay_1","type":"payment.failed","amountMinor":0,"currency":"KES"}""", null },
        { "not json", "not JSON" },
        { "[]", "not a JSON object" },
        { """{"paymentId":"pay_1","type":"payment.succeeded","amountMinor":1000,"currency":"CNY"}""", "eventId" },
        { """{"eventId":"","paymentId":"pay_1","type":"payment.succeeded","amountMinor":1000,"currency":"CNY"}""", "eventId" },
        { """{"eventId":"evt 1","paymentId":"pay_1","type":"payment.succeeded","amountMinor":1000,"currency":"CNY"}""", "eventId" },
        { """{"eventId":"evt_1","paymentId":7,"type":"payment.succeeded","amountMinor":1000,"currency":"CNY"}""", "paymentId" },
        { """{"eventId":"evt_1","paymentId":"pay_1","type":"payment.refunded","amountMinor":1000,"currency":"CNY"}""", "type" },
        { """{"eventId":"evt_1","paymentId":"pay_1","type":"payment.succeeded","amountMinor":10.5,"currency":"CNY"}""", "amountMinor" },
        { """{"eventId":"evt_1","paymentId":"pay_1","type":"payment.succeeded","amountMinor":-1,"currency":"CNY"}""", "amountMinor" },
        { """{"eventId":"evt_1","paymentId":"pay_1","type":"payment.succeeded","amountMinor":"1000","currency":"CNY"}""", "amountMinor" },
        { """{"eventId":"evt_1","paymentId":"pay_1","type":"payment.succeeded","amountMinor":1e30,"currency":"CNY"}""", "amountMinor" },
        { """{"eventId":"evt_1","paymentId":"pay_1","type":"payment.succeeded","amountMinor":1000,"currency":"cny"}""", "currency" },
        { """{"eventId":"evt_1","paymentId":"pay_1","type":"payment.succeeded","amountMinor":1000}""", "currency" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void An_authentic_body_is_read_or_refused_with_a_reason(string body, string? refusedFor)
    {
        var notification = PaymentNotificationJson.Read(Encoding.UTF8.GetBytes(body));

        if (refusedFor is null)
        {
            Assert.Null(notification.Rejection);
            Assert.Equal(("evt_1", "pay_1"), (notification.Event!.EventId, notification.Event.PaymentId));
        }
        else
        {
            Assert.Equal(NotificationRejection.Malformed, notification.Rejection);
            Assert.Contains(refusedFor, notification.Detail, StringComparison.Ordinal);
        }
    }

    private static string Sign(string secret, long t) => WebhookSignature.Sign(secret, t, Body);
}
