using System.Security.Claims;
using FlashSale.Api.Extensions;
using FlashSale.Api.Identity;
using FlashSale.Orders;
using FlashSale.Common;
using FlashSale.Api.Payments;
using FlashSale.Payments;
using FlashSale.Payments.Sandbox;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FlashSale.Api.Apis;

/// <summary>
/// The sandbox gateway's console, standing in for the page where a shopper approves a wallet
/// payment or the bank that confirms a transfer. Completing a payment makes the sandbox send the
/// signed webhook over HTTP, as a real gateway would. Mapped only in Development, when the sandbox
/// is enabled. Only the order's shopper (or the village agent who registered her) may see or
/// complete its payment, as only she could approve it in her wallet: to anyone else it does not
/// exist (404), and an anonymous caller is 401.
/// </summary>
public static class SandboxGatewayApi
{
    public const int MaxCopies = 5;
    public const int MaxDelaySeconds = 86_400;

    public static WebApplication MapSandboxGatewayApi(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment() || !app.Services.GetRequiredService<IOptions<SandboxGatewayOptions>>().Value.Enabled)
        {
            return app;
        }

        var sandbox = app.MapGroup("/api/sandbox/payments").WithTags("Sandbox gateway").RequireAuthorization(SandboxPayer);
        sandbox.MapGet("/{paymentId}", GetPayment).WithSummary("The sandbox gateway's view of a payment: its events and every delivery try");
        sandbox.MapPost("/{paymentId}/complete", Complete).WithSummary("Finish the payment at the gateway; the sandbox then sends the signed webhook");
        return app;
    }

    /// <summary>The policy of the sandbox's routes: a shopper, or an agent acting for a villager.</summary>
    public const string SandboxPayer = "sandbox-payer";

    public static async Task<Results<Ok<SandboxPayment>, ProblemHttpResult>> GetPayment(string paymentId, ClaimsPrincipal user, IGrainFactory grains) =>
        await PayersPayment(paymentId, user, grains) is { } payment
            ? TypedResults.Ok(payment)
            : Problems.NotFoundProblem(EngineTexts.ThePayment);

    public static async Task<Results<Accepted<SandboxCompletion>, ValidationProblem, ProblemHttpResult>> Complete(
        string paymentId, SandboxCompleteRequest request, ClaimsPrincipal user, IGrainFactory grains, SandboxWebhookSender sender)
    {
        var errors = new RequestErrors();
        var outcome = request.Outcome switch
        {
            "succeeded" => PaymentEventType.Succeeded,
            "failed" => PaymentEventType.Failed,
            _ => (PaymentEventType?)null,
        };
        if (outcome is null)
        {
            errors.Add("outcome", ApiTexts.SandboxOutcome);
        }

        errors.Range("copies", request.Copies ?? 1, 1, MaxCopies).Range("delaySeconds", request.DelaySeconds ?? 0, 0, MaxDelaySeconds);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (await PayersPayment(paymentId, user, grains) is not { } payment)
        {
            return Problems.NotFoundProblem(EngineTexts.ThePayment);
        }

        var sandboxPayment = grains.GetGrain<ISandboxPaymentGrain>(paymentId);
        var completed = await sandboxPayment.Complete(outcome!.Value);
        if (!completed.Succeeded)
        {
            return Problems.From(completed.Refusal);
        }

        var provider = payment.Terms.Provider;
        var copies = request.Copies ?? 1;
        var delay = TimeSpan.FromSeconds(request.DelaySeconds ?? 0);
        sender.Send(new SandboxDispatch(provider, completed.Value, copies, delay));
        return TypedResults.Accepted($"/api/sandbox/payments/{paymentId}",
            new SandboxCompletion(paymentId, completed.Value.EventId, PaymentEvent.TypeNameOf(completed.Value.Type), copies, (int)delay.TotalSeconds));
    }

    /// <summary>The payment, when the caller is its order's shopper or that shopper's agent; null otherwise.</summary>
    private static async Task<SandboxPayment?> PayersPayment(string paymentId, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!FlashSale.Payments.PaymentIds.IsPaymentId(paymentId)
            || await grains.GetGrain<ISandboxPaymentGrain>(paymentId).Get() is not { } payment
            || await grains.GetGrain<IOrderGrain>(payment.Terms.OrderId).Get() is not { } order)
        {
            return null;
        }

        var pays = user.IsInRole(Roles.Shopper) && order.ShopperId == user.ShopperId()
            || user.IsInRole(Roles.Agent) && await AgentApi.Represents(user, grains, order.ShopperId);
        return pays ? payment : null;
    }
}

/// <summary>
/// <c>outcome</c> is the contract's; <c>copies</c> (1–5, default 1) sends the same event that many
/// times at once, and <c>delaySeconds</c> (default 0) holds it back, for testing duplicates, late
/// and out-of-order delivery.
/// </summary>
public sealed record SandboxCompleteRequest(string? Outcome, int? Copies, int? DelaySeconds);

/// <summary>The event the sandbox will deliver, and how.</summary>
public sealed record SandboxCompletion(string PaymentId, string EventId, string Type, int Copies, int DelaySeconds);
