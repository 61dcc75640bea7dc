using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using FlashSale.Api.Extensions;
using FlashSale.Api.Identity;
using FlashSale.Checkout;
using FlashSale.Common;
using FlashSale.Orders;
using FlashSale.Payments;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FlashSale.Api.Apis;

/// <summary>
/// Checkout, idempotent per the IETF Idempotency-Key draft: the key is required, a retry with the
/// same key and body gets the first answer, another body is 422, a retry during the first is 409.
/// </summary>
public static class CheckoutApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    private const int MaxKeyLength = 255;

    public static IEndpointRouteBuilder MapCheckoutApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/checkout").WithTags("Checkout").RequireAuthorization(Roles.Shopper)
            .MapPost("/", Checkout).WithSummary("Turn the cart's holds into an order (requires Idempotency-Key)")
            .RequireSaleRateLimit(RateLimits.Checkout);
        return app;
    }

    public static Task<Results<Created<Order>, ValidationProblem, ProblemHttpResult>> Checkout(
        CheckoutRequest request,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        ClaimsPrincipal user,
        IGrainFactory grains,
        IOptions<PaymentOptions> payments,
        CancellationToken cancellationToken) =>
        Execute(user.ShopperId(), request, idempotencyKey, grains, "/api/orders/", method =>
            // No agent could confirm the cash of a shopper it did not register: such an order could only expire.
            payments.Value.HasFlow(method, PaymentFlow.Agent) ? ApiTexts.VillageAgentIsForAgents : null, defaultDelivery: null, cancellationToken);

    /// <summary>
    /// One idempotent checkout for <paramref name="shopperId"/>: shared by the shopper's route and
    /// the agent's route for a villager. <paramref name="refuseMethod"/> may refuse a method the
    /// caller may not use, with the reason. <paramref name="cancellationToken"/> is the request's
    /// (and its engine deadline's): a checkout still queued when it fires is dropped, not run late.
    /// </summary>
    internal static async Task<Results<Created<Order>, ValidationProblem, ProblemHttpResult>> Execute(
        string shopperId, CheckoutRequest request, string? idempotencyKey, IGrainFactory grains, string locationPrefix, Func<string, LocalText?> refuseMethod,
        global::FlashSale.Fulfilment.OrderDelivery? defaultDelivery, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(idempotencyKey))
        {
            return Problems.Problem(StatusCodes.Status400BadRequest, Problems.IdempotencyKeyRequired, ApiTexts.SendIdempotencyKey);
        }

        if (idempotencyKey.Length > MaxKeyLength || idempotencyKey.Any(c => c is < '!' or > '~'))
        {
            return Problems.Problem(StatusCodes.Status400BadRequest, Problems.InvalidRequest, ApiTexts.IdempotencyKeyShape.Format(MaxKeyLength));
        }

        var errors = new RequestErrors().Text("paymentMethod", request.PaymentMethod, max: 64);
        if (!errors.Any && refuseMethod(request.PaymentMethod!) is { } refused)
        {
            errors.Add("paymentMethod", refused);
        }

        var delivery = request.Delivery is { } choice ? await Api.Fulfilment.DeliveryRequests.Resolve(choice, errors, grains) : defaultDelivery;
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var key = $"{shopperId}/{idempotencyKey}";
        var reply = await grains.GetGrain<ICheckoutRequestGrain>(key).Execute(Fingerprint(request), request.PaymentMethod!, delivery, cancellationToken);
        return reply switch
        {
            { Kind: CheckoutReplyKind.KeyReused } => Problems.Problem(StatusCodes.Status422UnprocessableEntity, Problems.IdempotencyKeyReused, ApiTexts.IdempotencyKeyUsedWithAnotherBody),
            { Kind: CheckoutReplyKind.InFlight } => Problems.Problem(StatusCodes.Status409Conflict, Problems.IdempotencyKeyInFlight, ApiTexts.IdempotencyKeyStillRunning),
            { Outcome.Succeeded: true } => TypedResults.Created(locationPrefix + reply.Outcome.Value!.OrderId, reply.Outcome.Value),
            _ => Problems.From(reply.Outcome!.Refusal!),
        };
    }

    /// <summary>What makes two checkout bodies "the same": the parsed request, not its whitespace.</summary>
    private static string Fingerprint(CheckoutRequest request) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("paymentMethod=" + request.PaymentMethod
            + (request.Delivery is { } delivery ? ";delivery=" + delivery.Canonical() : ""))));
}

/// <summary>The checkout body; <c>delivery</c> is optional and counts in the idempotency fingerprint.</summary>
public sealed record CheckoutRequest(string? PaymentMethod, Api.Fulfilment.DeliveryRequest? Delivery = null);
