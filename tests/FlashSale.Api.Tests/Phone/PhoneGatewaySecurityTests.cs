using System.Net;
using FlashSale.Api.Extensions;
using FlashSale.Api.Tests.Infrastructure;

namespace FlashSale.Api.Tests.Phone;

/// <summary>
/// The gateway's callbacks are believed only when signed with an active secret within 300 s;
/// anything else is 401 and does nothing. An authentic callback repeated, or arriving late after
/// a newer step, acts once. Authentic but malformed input is a 400 or a readable END, never a
/// 5xx, and changes nothing.
/// </summary>
[Collection(PhoneApiCollection.Name)]
public sealed class PhoneGatewaySecurityTests(PhoneApiFactory api)
{
    [Theory]
    [InlineData("unsigned")]
    [InlineData("wrong secret")]
    [InlineData("stale timestamp")]
    [InlineData("future timestamp")]
    [InlineData("tampered body")]
    [InlineData("malformed header")]
    [InlineData("a payment webhook's secret")]
    public async Task A_callback_not_signed_now_with_the_gateways_secret_is_401_and_holds_nothing(string forgery)
    {
        var (lot, phone) = await LotAndPhone();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        // One callback that, were it believed, would open a session straight onto a hold of 2.
        var body = PhoneGatewayCalls.Form(("sessionId", "s1"), ("phoneNumber", phone.Phone), ("serviceCode", "*384*12#"), ("text", $"1*1*1*2"));
        var (sent, signature) = forgery switch
        {
            "unsigned" => (body, null),
            "wrong secret" => (body, PhoneGatewayCalls.Sign(body, "phsec_" + TestSecrets.Random())),
            "stale timestamp" => (body, PhoneGatewayCalls.Sign(body, api.Secret(), now - 301)),
            "future timestamp" => (body, PhoneGatewayCalls.Sign(body, api.Secret(), now + 301)),
            "tampered body" => (body[..^1] + "4", PhoneGatewayCalls.Sign(body, api.Secret())),
            "malformed header" => (body, "t=abc,v1=zz"),
            _ => (body, PhoneGatewayCalls.Sign(body, api.WebhookSecretOf("wallet"))),
        };

        using var ussd = await api.Post("/api/phone/ussd", sent, signature);
        await ussd.ReadProblem(HttpStatusCode.Unauthorized, Problems.SignatureInvalid);
        var sms = PhoneGatewayCalls.Form(("from", phone.Phone), ("text", $"BUY {lot.PhoneCode} 1"), ("messageId", "m-" + Guid.NewGuid().ToString("N")));
        using var text = await api.Post("/api/phone/sms", sms, forgery == "unsigned" ? null : PhoneGatewayCalls.Sign(sms, "phsec_" + TestSecrets.Random()));
        await text.ReadProblem(HttpStatusCode.Unauthorized, Problems.SignatureInvalid);

        Assert.Equal(0, (await api.CreateAnonymousClient().GetLot(lot.LotId)).Reserved);
        Assert.Empty((await phone.Cart()).Items);
        Assert.Empty(await phone.Orders());
    }

    [Fact]
    public async Task A_properly_signed_callback_is_answered_and_a_repeat_of_it_holds_nothing_more()
    {
        var (lot, phone) = await LotAndPhone();
        var session = Handset.NewSessionId();
        string Step(string text) => PhoneGatewayCalls.Form(("sessionId", session), ("phoneNumber", phone.Phone), ("serviceCode", "*384*12#"), ("text", text));
        async Task<string> Signed(string text)
        {
            var body = Step(text);
            using var response = await api.Post("/api/phone/ussd", body, PhoneGatewayCalls.Sign(body, api.Secret()));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            return Screens.Checked(await response.Content.ReadAsStringAsync());
        }

        await Signed("");
        var live = await Signed("1");
        var choice = Screens.ChoiceOf(live, $"#{lot.PhoneCode} ");
        await Signed($"1*{choice}");
        await Signed($"1*{choice}*1");
        var held = await Signed($"1*{choice}*1*2");
        Screens.AssertContinues(held, "Held 2");

        // The gateway repeats the hold step three times at once, and a stale step arrives late.
        var copies = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Signed($"1*{choice}*1*2")));
        Assert.All(copies, copy => Assert.Equal(held, copy));
        Assert.Equal(live, await Signed("1"));

        var checkout = await Signed($"1*{choice}*1*2*1");
        var placed = await Signed($"1*{choice}*1*2*1*2");
        Assert.Equal(placed, await Signed($"1*{choice}*1*2*1*2"));
        Assert.Single(await phone.Orders());
        var after = await api.CreateAnonymousClient().GetLot(lot.LotId);
        Assert.Equal(2, after.Reserved + after.Sold);
        Assert.Empty((await phone.Cart()).Items);

        Assert.Contains("Pay how?", checkout, StringComparison.Ordinal);
        Screens.AssertEnds(await Signed($"1*{choice}*1*2*1*2*1"), "This session has ended.");

        // Another branch of a session (not a step after the newest) is refused, and does nothing.
        session = Handset.NewSessionId();
        await Signed("");
        await Signed("1");
        await Signed($"1*{choice}");
        await Signed($"1*{choice}*1");
        Screens.AssertEnds(await Signed($"1*{choice}*3"), "out of step");
        Screens.AssertEnds(await Signed($"1*{choice}*1*1"), "This session has ended.");
        Assert.Single(await phone.Orders());
        Assert.Empty((await phone.Cart()).Items);
    }

    [Theory]
    [InlineData("text over the limit", 400)]
    [InlineData("1,000 stars", 400)]
    [InlineData("control character", 400)]
    [InlineData("no session id", 400)]
    [InlineData("session id with a slash", 400)]
    [InlineData("not a mobile number", 400)]
    [InlineData("json body", 400)]
    [InlineData("field twice", 400)]
    [InlineData("invalid utf-8", 400)]
    [InlineData("unknown option", 200)]
    [InlineData("letters", 200)]
    [InlineData("huge number", 200)]
    [InlineData("empty input", 200)]
    [InlineData("quantity over the limit", 200)]
    [InlineData("zero quantity", 200)]
    [InlineData("deep walk", 200)]
    public async Task Authentic_but_hostile_input_is_a_400_or_a_readable_end_and_changes_nothing(string abuse, int status)
    {
        var (lot, phone) = await LotAndPhone();
        var live = await phone.Dial();
        var choice = Screens.ChoiceOf(await phone.Press("1"), $"#{lot.PhoneCode} ");
        var session = Handset.NewSessionId();
        string Form(string text, string? sessionId = null, string? number = null) =>
            PhoneGatewayCalls.Form(("sessionId", sessionId ?? session), ("phoneNumber", number ?? phone.Phone), ("serviceCode", "*384*12#"), ("text", text));
        var (body, contentType) = abuse switch
        {
            "text over the limit" => (Form(new string('1', 183)), null),
            "1,000 stars" => (Form(new string('*', 1000)), null),
            "control character" => (Form("1\u0007"), null),
            "no session id" => (PhoneGatewayCalls.Form(("phoneNumber", phone.Phone), ("text", "")), null),
            "session id with a slash" => (Form("", sessionId: "a/b"), null),
            "not a mobile number" => (Form("", number: "+861001"), null),
            "json body" => ("{\"sessionId\":\"x\",\"phoneNumber\":\"" + phone.Phone + "\",\"text\":\"\"}", "application/json"),
            "field twice" => (Form("") + "&text=1", null),
            "invalid utf-8" => ("sessionId=x&phoneNumber=%2B254700000000&text=\u00ff", "application/x-www-form-urlencoded; charset=latin1"),
            "unknown option" => (Form("7"), null),
            "letters" => (Form("abc"), null),
            "huge number" => (Form($"1*{choice}*1*99999999999999999999"), null),
            "empty input" => (Form("1**"), null),
            "quantity over the limit" => (Form($"1*{choice}*1*5"), null),
            "zero quantity" => (Form($"1*{choice}*1*-0"), null),
            _ => (Form(string.Join('*', Enumerable.Repeat("1*0", 30))), null),
        };

        var bytes = abuse == "invalid utf-8" ? [.. System.Text.Encoding.ASCII.GetBytes("sessionId=x&phoneNumber=%2B254700000000&text="), 0xff, 0xfe] : System.Text.Encoding.UTF8.GetBytes(body);
        using var client = api.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/phone/ussd", UriKind.Relative)) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType ?? "application/x-www-form-urlencoded");
        request.Headers.TryAddWithoutValidation("FlashSale-Signature", FlashSale.Payments.WebhookSignature.Sign(api.Secret(), DateTimeOffset.UtcNow.ToUnixTimeSeconds(), bytes));
        using var response = await client.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        if (status == 400)
        {
            await response.ReadProblem(HttpStatusCode.BadRequest, Problems.InvalidRequest);
        }
        else
        {
            var screen = Screens.Checked(await response.Content.ReadAsStringAsync());
            Assert.True(screen.StartsWith("END ", StringComparison.Ordinal) || abuse == "deep walk", screen);
        }

        Assert.Empty((await phone.Cart()).Items);
        Assert.Equal(0, (await api.CreateAnonymousClient().GetLot(lot.LotId)).Reserved);
        Assert.NotEmpty(live);
    }

    private async Task<(FlashSale.Lots.Lot Lot, Handset Phone)> LotAndPhone()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 20, perShopperLimit: 4, priceMinor: 10000, currency: "KES", name: "Bananas", unit: "bunch");
        return (lot, new Handset(api, Handset.NewEnglishPhone()));
    }
}

internal static class WebhookSecrets
{
    public static string WebhookSecretOf(this FlashSaleApiFactory api, string method) =>
        Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Microsoft.Extensions.Options.IOptions<FlashSale.Payments.WebhookOptions>>(api.Services).Value.Secrets[method][0];
}
