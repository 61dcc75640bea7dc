using System.Security.Claims;
using FlashSale.Api.Edge;
using FlashSale.Api.Extensions;
using FlashSale.Common;
using FlashSale.Api.Identity;
using FlashSale.Carts;
using FlashSale.Lots;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FlashSale.Api.Apis;

/// <summary>The caller's own cart: the route has no shopper id, so no shopper can name another's.</summary>
public static class CartApi
{
    public static IEndpointRouteBuilder MapCartApi(this IEndpointRouteBuilder app)
    {
        var cart = app.MapGroup("/api/cart").WithTags("Cart").RequireAuthorization(Roles.Shopper);
        cart.MapGet("/", GetCart).WithSummary("The shopper's cart");
        cart.MapPut("/items/{lotId}", SetItem).WithSummary("Hold a quantity of a lot (all or nothing)").RequireSaleRateLimit(RateLimits.Holds);
        cart.MapDelete("/items/{lotId}", RemoveItem).WithSummary("Release a hold").RequireSaleRateLimit(RateLimits.Holds);
        return app;
    }

    public static async Task<Ok<Cart>> GetCart(ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IShopperCartGrain>(user.ShopperId()).Get());

    public static async Task<Results<Ok<Cart>, ValidationProblem, ProblemHttpResult>> SetItem(
        string lotId, SetCartItemRequest request, ClaimsPrincipal user, IGrainFactory grains, LotEdgeCache edge, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors().Range("quantity", request.Quantity, 0, LotLimits.MaxQuantity);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (!LotsApi.IsLotId(lotId))
        {
            return Problems.NotFoundProblem(EngineTexts.TheLot);
        }

        var shopperId = user.ShopperId();
        if (edge.Answer(lotId, shopperId, request.Quantity!.Value) is { } atTheEdge)
        {
            return Problems.From(atTheEdge);
        }

        // A client that has gone is not worth a grain call: a call still queued at the cart is
        // dropped by Orleans, and the cart stops before it asks the lot (docs/architecture.md).
        var cart = await grains.GetGrain<IShopperCartGrain>(shopperId).SetItem(lotId, request.Quantity.Value, cancellationToken);
        edge.Answered(lotId, cart);
        return cart.Succeeded ? TypedResults.Ok(cart.Value) : Problems.From(cart.Refusal);
    }

    public static async Task<Results<Ok<Cart>, ProblemHttpResult>> RemoveItem(string lotId, ClaimsPrincipal user, IGrainFactory grains, LotEdgeCache edge, CancellationToken cancellationToken)
    {
        if (!LotsApi.IsLotId(lotId))
        {
            return Problems.NotFoundProblem(EngineTexts.TheLot);
        }

        var cart = await grains.GetGrain<IShopperCartGrain>(user.ShopperId()).RemoveItem(lotId, cancellationToken);
        edge.Answered(lotId, cart);
        return cart.Succeeded ? TypedResults.Ok(cart.Value) : Problems.From(cart.Refusal);
    }
}

/// <summary>The quantity to hold; 0 releases the hold.</summary>
public sealed record SetCartItemRequest(int? Quantity);
