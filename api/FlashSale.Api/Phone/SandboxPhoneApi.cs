using System.Text;
using FlashSale.Payments;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FlashSale.Api.Phone;

/// <summary>
/// The sandbox phone gateway (Development only; not mapped elsewhere, so 404): it turns a
/// handset's step or text into the callback a real gateway would send, a form signed with the
/// gateway's first secret at this instant, and passes those bytes through the very checks and
/// handling of <c>/api/phone/ussd</c> and <c>/api/phone/sms</c>, returning their answer. The
/// simulator and the tests drive the channel through it; what was texted back is in
/// <c>GET /api/sandbox/sms?phone=</c>.
/// </summary>
public static class SandboxPhoneApi
{
    /// <summary>The code a sandbox session says was dialled, unless the body names one.</summary>
    public const string DefaultServiceCode = "*384*12#";

    public static WebApplication MapSandboxPhoneApi(this WebApplication app)
    {
        if (app.Environment.IsDevelopment())
        {
            var sandbox = app.MapGroup("/api/sandbox/phone").WithTags("Sandbox gateway").AllowAnonymous();
            sandbox.MapPost("/ussd", Ussd).WithSummary("Play a handset's USSD step through the signed gateway callback; answers its CON/END text (Development only)");
            sandbox.MapPost("/sms", Sms).WithSummary("Send a handset's SMS through the signed gateway callback; answers the reply text (Development only)");
        }

        return app;
    }

    public static Task<Results<ContentHttpResult, ProblemHttpResult, ValidationProblem>> Ussd(SandboxUssdRequest request, PhoneGateway gateway, TimeProvider time)
    {
        var body = Form(("sessionId", request.SessionId), ("phoneNumber", request.PhoneNumber), ("serviceCode", request.ServiceCode ?? DefaultServiceCode), ("text", request.Text ?? ""));
        return gateway.Ussd(body, WebhookSignature.Sign(gateway.SandboxSecret, time.GetUtcNow().ToUnixTimeSeconds(), body), PhoneApi.FormContentType);
    }

    public static Task<Results<ContentHttpResult, ProblemHttpResult, ValidationProblem>> Sms(SandboxSmsRequest request, PhoneGateway gateway, TimeProvider time)
    {
        // A real gateway numbers its messages; a sandbox message is new each time unless the
        // caller names one (to play a gateway's repeated delivery).
        var body = Form(("from", request.From), ("text", request.Text ?? ""), ("messageId", request.MessageId ?? "sbx-" + Guid.NewGuid().ToString("N")));
        return gateway.Sms(body, WebhookSignature.Sign(gateway.SandboxSecret, time.GetUtcNow().ToUnixTimeSeconds(), body), PhoneApi.FormContentType);
    }

    private static byte[] Form(params (string Name, string? Value)[] fields) =>
        Encoding.UTF8.GetBytes(string.Join('&', fields.Where(f => f.Value is not null).Select(f => $"{f.Name}={Uri.EscapeDataString(f.Value!)}")));
}

/// <summary>A handset's USSD step: the session, the number, every input so far joined by <c>*</c> (empty to open).</summary>
public sealed record SandboxUssdRequest(string? SessionId, string? PhoneNumber, string? Text, string? ServiceCode = null);

/// <summary>A handset's text message; <c>messageId</c> (optional, an addition) replays a gateway's repeated delivery.</summary>
public sealed record SandboxSmsRequest(string? From, string? Text, string? MessageId = null);
