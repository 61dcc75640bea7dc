using FlashSale.Accounts;
using FlashSale.Api.Extensions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FlashSale.Api.Accounts;

/// <summary>
/// The sandbox SMS gateway's outbox: where, in Development, a person or a test reads the code a
/// real gateway would have texted. Never mapped outside Development, so it answers 404 there.
/// </summary>
public static class SandboxSmsApi
{
    public static WebApplication MapSandboxSmsApi(this WebApplication app)
    {
        if (app.Environment.IsDevelopment())
        {
            app.MapGet("/api/sandbox/sms", Outbox).WithTags("Sandbox gateway").AllowAnonymous()
                .WithSummary("Messages the sandbox SMS gateway sent to a number, newest last (Development only)");
        }

        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<SmsMessage>>, ValidationProblem>> Outbox(string? phone, IGrainFactory grains)
    {
        var errors = new RequestErrors();
        var normalized = AuthApi.Phone(errors, phone);
        return errors.Any
            ? errors.ToProblem()
            : TypedResults.Ok(await grains.GetGrain<ISandboxSmsOutboxGrain>(normalized!).List());
    }
}
