using System.Security.Claims;
using FlashSale.Api.Extensions;
using FlashSale.Api.Identity;
using FlashSale.Carts;
using FlashSale.Common;
using FlashSale.Lots;
using FlashSale.Orders;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FlashSale.Api.Apis;

/// <summary>
/// Substitutes for presale orders a short harvest cut: the seller offers units of another grade's
/// declared harvest, reserved for the shopper until the balance is due; the shopper takes them up
/// as a new order (paid in full) or declines. Additions to the contract's "Presale lots".
/// </summary>
public static class SubstitutesApi
{
    public static IEndpointRouteBuilder MapSubstitutesApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/seller/orders").WithTags("Presale").RequireAuthorization(Roles.Seller)
            .MapPost("/{orderId}/substitute", Offer)
            .WithSummary("Offer a presale order the harvest cut short units of another grade's declared harvest (the order's seller)");

        var shopper = app.MapGroup("/api/orders").WithTags("Presale").RequireAuthorization(Roles.Shopper);
        shopper.MapPost("/{orderId}/substitute/accept", Accept).WithSummary("Take the substitute up: a new order for its units, paid in full");
        shopper.MapPost("/{orderId}/substitute/decline", Decline).WithSummary("Say no to the substitute: its units go back");
        return app;
    }

    public static async Task<Results<Ok<Order>, ValidationProblem, ProblemHttpResult>> Offer(
        string orderId, SubstituteOfferRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        var errors = new RequestErrors().Range("quantity", request.Quantity, 1, LotLimits.MaxQuantity);
        if (request.LotId is null)
        {
            errors.Add("lotId", ApiTexts.Required.Format("lotId"));
        }
        else if (!LotsApi.IsLotId(request.LotId))
        {
            errors.Add("lotId", ApiTexts.NotALotId.Format(request.LotId));
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (!Ids.IsWellFormed(orderId, Ids.OrderPrefix))
        {
            return Problems.NotFoundProblem(EngineTexts.TheOrder);
        }

        var offered = await grains.GetGrain<IOrderGrain>(orderId).OfferSubstitute(user.SellerId(), request.LotId!, request.Quantity!.Value);
        return offered.Succeeded ? TypedResults.Ok(offered.Value.WithoutPickupCode()) : Problems.From(offered.Refusal);
    }

    public static async Task<Results<Created<Order>, ValidationProblem, ProblemHttpResult>> Accept(
        string orderId, SubstituteAcceptRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        var errors = new RequestErrors().Text("paymentMethod", request.PaymentMethod, max: 64);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (!Ids.IsWellFormed(orderId, Ids.OrderPrefix))
        {
            return Problems.NotFoundProblem(EngineTexts.TheOrder);
        }

        var taken = await grains.GetGrain<IShopperCartGrain>(user.ShopperId()).AcceptSubstitute(orderId, request.PaymentMethod!);
        return taken.Succeeded ? TypedResults.Created($"/api/orders/{taken.Value.OrderId}", taken.Value) : Problems.From(taken.Refusal);
    }

    public static async Task<Results<Ok<Order>, ProblemHttpResult>> Decline(string orderId, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Ids.IsWellFormed(orderId, Ids.OrderPrefix))
        {
            return Problems.NotFoundProblem(EngineTexts.TheOrder);
        }

        var declined = await grains.GetGrain<IOrderGrain>(orderId).DeclineSubstitute(user.ShopperId());
        return declined.Succeeded ? TypedResults.Ok(declined.Value) : Problems.From(declined.Refusal);
    }
}

/// <summary>What the seller offers: <see cref="Quantity"/> units of another presale lot of theirs, <see cref="LotId"/>.</summary>
public sealed record SubstituteOfferRequest(string? LotId, int? Quantity);

/// <summary>How the shopper pays for the substitute (any of the market's methods but payment on delivery).</summary>
public sealed record SubstituteAcceptRequest(string? PaymentMethod);
