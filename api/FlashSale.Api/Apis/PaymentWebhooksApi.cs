using FlashSale.Api.Extensions;
using FlashSale.Common;
using FlashSale.Api.Payments;
using FlashSale.Orders;
using FlashSale.Payments;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FlashSale.Api.Apis;

/// <summary>
/// Where gateways notify the engine: <c>POST /api/payments/webhooks/{provider}</c>. The signature
/// is checked over the raw bytes before anything is read; a bad or stale one is a 401 that leaves
/// no trace. An authentic event is applied exactly once by its payment's grain.
/// </summary>
public static class PaymentWebhooksApi
{
    /// <summary>A notification is a few hundred bytes; anything far larger is not one.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapPaymentWebhooksApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/payments/webhooks").WithTags("Payments").AllowAnonymous()
            .MapPost("/{provider}", Receive)
            .Accepts<PaymentWebhookBody>("application/json")
            .WithSummary("A gateway's signed notification about a payment (FlashSale-Signature header)");
        return app;
    }

    public static async Task<Results<Ok<WebhookReceipt>, ProblemHttpResult>> Receive(
        string provider, HttpRequest request, PaymentProviders providers, TimeProvider time, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (providers.Find(provider) is not { AcceptsWebhooks: true } receiver)
        {
            return Problems.Problem(StatusCodes.Status404NotFound, Problems.NotFound, ApiTexts.NoWebhookProvider.Format(provider));
        }

        if (await SignedBodies.ReadAsync(request, MaxBodyBytes, cancellationToken) is not { } body)
        {
            return Problems.Problem(StatusCodes.Status400BadRequest, Problems.InvalidRequest, ApiTexts.NotificationTooLarge.Format(MaxBodyBytes));
        }

        var notification = receiver.VerifyNotification(request.Headers[WebhookSignature.HeaderName].ToString(), body, time.GetUtcNow());
        switch (notification.Rejection)
        {
            case NotificationRejection.SignatureInvalid:
                return Problems.Problem(StatusCodes.Status401Unauthorized, Problems.SignatureInvalid, notification.Detail);
            case NotificationRejection.Malformed:
                return Problems.Problem(StatusCodes.Status400BadRequest, Problems.InvalidRequest, notification.Detail);
            case NotificationRejection.NotSupported:
                return Problems.Problem(StatusCodes.Status404NotFound, Problems.NotFound, notification.Detail);
        }

        var paymentEvent = notification.Event!;
        if (!FlashSale.Payments.PaymentIds.IsPaymentId(paymentEvent.PaymentId))
        {
            return Problems.NotFoundProblem(EngineTexts.ThePayment);
        }

        var applied = await grains.GetGrain<IPaymentGrain>(paymentEvent.PaymentId).Apply(provider, paymentEvent);
        if (!applied.Succeeded)
        {
            return Problems.From(applied.Refusal);
        }

        var receipt = applied.Value;
        return TypedResults.Ok(new WebhookReceipt(receipt.EventId, receipt.Disposition, receipt.Order.OrderId, receipt.Order.Status, receipt.Detail));
    }
}

/// <summary>How the engine took a notification: applied now, a duplicate, or kept for review.</summary>
public sealed record WebhookReceipt(string EventId, PaymentEventDisposition Disposition, string OrderId, OrderStatus OrderStatus, string? Detail);
