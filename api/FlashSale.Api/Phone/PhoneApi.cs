using System.Text;
using FlashSale.Accounts;
using FlashSale.Api.Extensions;
using FlashSale.Payments;
using FlashSale.Phone;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace FlashSale.Api.Phone;

/// <summary>
/// The phone gateway's callbacks: a USSD session step and an inbound SMS. The caller is the
/// gateway, never a shopper: it proves itself with <c>FlashSale-Signature</c> over the raw body
/// (the webhooks' scheme, with the phone gateway's own secrets), checked before a byte is parsed,
/// so a forged or stale callback is a 401 that costs the engine nothing. The shopper is the
/// phone number the gateway vouches for.
/// </summary>
public static class PhoneApi
{
    /// <summary>A callback is a few hundred bytes; a form of every field at its longest is under 2 KB.</summary>
    public const int MaxBodyBytes = 4 * 1024;

    public const string FormContentType = "application/x-www-form-urlencoded";

    public static IEndpointRouteBuilder MapPhoneApi(this IEndpointRouteBuilder app)
    {
        var phone = app.MapGroup("/api/phone").WithTags("Phone channel").AllowAnonymous();
        // No Accepts<>(form) metadata: routing would answer another media type 415 before the
        // signature is checked; the route itself answers 401 (unsigned) or 400 (not a form).
        phone.MapPost("/ussd", Ussd)
            .WithSummary("A USSD session step from the phone gateway (signed form: sessionId, phoneNumber, serviceCode, text); answers text/plain CON or END");
        phone.MapPost("/sms", Sms)
            .WithSummary("An inbound SMS from the phone gateway (signed form: from, text, messageId); the reply goes out by SMS and is also answered as text/plain");
        return app;
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult, ValidationProblem>> Ussd(HttpRequest request, PhoneGateway gateway, CancellationToken cancellationToken) =>
        await SignedBodies.ReadAsync(request, MaxBodyBytes, cancellationToken) is { } body
            ? await gateway.Ussd(body, request.Headers[WebhookSignature.HeaderName].ToString(), request.ContentType)
            : Problems.Problem(StatusCodes.Status400BadRequest, Problems.InvalidRequest, ApiTexts.BodyTooLarge.Format(MaxBodyBytes));

    public static async Task<Results<ContentHttpResult, ProblemHttpResult, ValidationProblem>> Sms(HttpRequest request, PhoneGateway gateway, CancellationToken cancellationToken) =>
        await SignedBodies.ReadAsync(request, MaxBodyBytes, cancellationToken) is { } body
            ? await gateway.Sms(body, request.Headers[WebhookSignature.HeaderName].ToString(), request.ContentType)
            : Problems.Problem(StatusCodes.Status400BadRequest, Problems.InvalidRequest, ApiTexts.BodyTooLarge.Format(MaxBodyBytes));
}

/// <summary>
/// Verifies and reads one gateway callback and hands it to the engine: shared by the gateway's
/// routes and the sandbox, which signs and passes the same bytes through the same checks.
/// <para>
/// Each phone number has its own budget (<see cref="RateLimits.PhoneUssd"/>,
/// <see cref="RateLimits.PhoneSms"/>): every callback comes from the gateway's address, so only the
/// number inside the signed body tells one flooding number from the crowd. The budget is taken
/// after the signature (an unsigned request cannot spend a number's budget) and before the engine
/// is asked anything, so a refused request changes nothing.
/// </para>
/// </summary>
public sealed class PhoneGateway(
    IOptionsMonitor<PhoneGatewayOptions> options,
    TimeProvider time,
    IGrainFactory grains,
    SaleRateLimiter limiter,
    IOptionsMonitor<RateLimitOptions> rateLimits)
{
    public async Task<Results<ContentHttpResult, ProblemHttpResult, ValidationProblem>> Ussd(byte[] body, string? signature, string? contentType)
    {
        if (Refusal(body, signature, contentType, out var form) is { } refused)
        {
            return refused;
        }

        var errors = new RequestErrors();
        var sessionId = GatewayId(errors, form, "sessionId", PhoneChannel.MaxSessionIdLength);
        var phone = PhoneOf(errors, form, "phoneNumber");
        var serviceCode = Field(form, "serviceCode") ?? "";
        var text = Field(form, "text") ?? "";
        if (serviceCode.Length > PhoneChannel.MaxServiceCodeLength || serviceCode.Any(c => c is <= ' ' or > '~'))
        {
            errors.Add("serviceCode", ApiTexts.TooLong.Format("serviceCode", PhoneChannel.MaxServiceCodeLength));
        }

        if (text.Length > PhoneChannel.MaxUssdTextLength)
        {
            errors.Add("text", ApiTexts.TooLong.Format("text", PhoneChannel.MaxUssdTextLength));
        }
        else if (text.Any(char.IsControl))
        {
            errors.Add("text", ApiTexts.ControlCharacters.Format("text"));
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (await OverBudget(RateLimits.PhoneUssd, phone!))
        {
            // 200 with END, not 429: a gateway takes any other answer for a failed session and
            // shows the handset its own error, or retries. The number's market decides the
            // language: the session (and a language chosen in it) is not consulted for a refusal.
            var tooMany = new UssdScreen(Ends: true, PhoneTexts.TooManyRequests.In(PhoneChannel.CultureOf(phone!)));
            return TypedResults.Text(tooMany.Body, "text/plain", Encoding.UTF8);
        }

        var screen = await grains.GetGrain<IUssdSessionGrain>(PhoneChannel.SessionKey(phone!, sessionId!)).Step(new UssdStep(phone!, serviceCode, text));
        return TypedResults.Text(screen.Body, "text/plain", Encoding.UTF8);
    }

    public async Task<Results<ContentHttpResult, ProblemHttpResult, ValidationProblem>> Sms(byte[] body, string? signature, string? contentType)
    {
        if (Refusal(body, signature, contentType, out var form) is { } refused)
        {
            return refused;
        }

        var errors = new RequestErrors();
        var messageId = GatewayId(errors, form, "messageId", PhoneChannel.MaxMessageIdLength);
        var from = PhoneOf(errors, form, "from");
        var text = Field(form, "text") ?? "";
        if (text.Length > PhoneChannel.MaxSmsTextLength)
        {
            errors.Add("text", ApiTexts.TooLong.Format("text", PhoneChannel.MaxSmsTextLength));
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (await OverBudget(RateLimits.PhoneSms, from!))
        {
            // The message is dropped. The number is told so by SMS at most once a window: a reply
            // to each message of a flood would make the engine an amplifier, a text out for a text in.
            if (await OverBudget(RateLimits.PhoneSmsRefusalReply, from!))
            {
                return TypedResults.Text("", "text/plain", Encoding.UTF8);
            }

            await grains.GetGrain<ITooManyRequestsSmsGrain>(0).Send(from!);
            return TypedResults.Text(PhoneTexts.TooManyRequests.In(PhoneChannel.CultureOf(from!)), "text/plain", Encoding.UTF8);
        }

        var reply = await grains.GetGrain<ISmsCommandGrain>(messageId!).Handle(from!, text);
        return TypedResults.Text(reply.Text, "text/plain", Encoding.UTF8);
    }

    /// <summary>True when <paramref name="phone"/> has spent its budget of <paramref name="policy"/> (never while the rate limits are off).</summary>
    private async ValueTask<bool> OverBudget(string policy, string phone)
    {
        var limits = rateLimits.CurrentValue;
        return limits.Enabled && !(await limiter.TakeAsync(RateLimits.BucketsFor(policy, phone, address: null, limits))).Allowed;
    }

    /// <summary>The gateway's first secret, for the sandbox, which signs as the gateway would.</summary>
    public string SandboxSecret => options.CurrentValue.ActiveSecrets[0];

    /// <summary>The signature first, then the form: 401 for anything not signed now with an active secret, 400 for an authentic body that is not a form.</summary>
    private ProblemHttpResult? Refusal(byte[] body, string? signature, string? contentType, out Dictionary<string, StringValues> form)
    {
        form = [];
        var gateway = options.CurrentValue;
        if (WebhookSignature.Verify(signature, body, gateway.ActiveSecrets, time.GetUtcNow(), gateway.Tolerance) is not SignatureCheck.Valid)
        {
            return Problems.Problem(StatusCodes.Status401Unauthorized, Problems.SignatureInvalid, ApiTexts.PhoneCallbackSignature);
        }

        if (contentType is null || !contentType.StartsWith(PhoneApi.FormContentType, StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Problem(StatusCodes.Status400BadRequest, Problems.InvalidRequest, ApiTexts.SendForm);
        }

        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return Problems.Problem(StatusCodes.Status400BadRequest, Problems.InvalidRequest, ApiTexts.SendForm);
        }

        form = QueryHelpers.ParseQuery(decoded);
        return form.Values.Any(v => v.Count > 1) ? Problems.Problem(StatusCodes.Status400BadRequest, Problems.InvalidRequest, ApiTexts.SendForm) : null;
    }

    private static string? Field(Dictionary<string, StringValues> form, string name) =>
        form.TryGetValue(name, out var value) ? value.ToString() : null;

    private static string? GatewayId(RequestErrors errors, Dictionary<string, StringValues> form, string name, int max)
    {
        var value = Field(form, name);
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(name, ApiTexts.Required.Format(name));
            return null;
        }

        if (!PhoneChannel.IsGatewayId(value, max))
        {
            errors.Add(name, ApiTexts.GatewayId.Format(name, max));
            return null;
        }

        return value;
    }

    private static string? PhoneOf(RequestErrors errors, Dictionary<string, StringValues> form, string name)
    {
        var value = Field(form, name);
        if (value is { Length: > 1 } && value[0] == ' ' && char.IsAsciiDigit(value[1]))
        {
            // A gateway that did not escape the number's '+': form decoding made it a space.
            value = "+" + value[1..];
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(name, ApiTexts.Required.Format(name));
            return null;
        }

        var normalized = E164.Normalize(value);
        if (normalized is null)
        {
            errors.Add(name, Accounts.AccountApiTexts.NotAPhone.Format(name));
        }

        return normalized;
    }
}
