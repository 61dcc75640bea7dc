using System.Security.Claims;
using FlashSale.Api.Extensions;
using FlashSale.Api.Identity;
using FlashSale.Carts;
using FlashSale.Common;
using FlashSale.Orders;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FlashSale.Api.Apis;

/// <summary>The shopper's orders. Another shopper's order is "not found": its existence is not revealed.</summary>
public static class OrdersApi
{
    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var orders = app.MapGroup("/api/orders").WithTags("Orders").RequireAuthorization(Roles.Shopper);
        orders.MapGet("/", ListOrders).WithSummary("The shopper's orders, oldest first");
        orders.MapGet("/{orderId}", GetOrder).WithSummary("One of the shopper's orders");
        orders.MapPost("/{orderId}/cancel", CancelOrder).WithSummary("Cancel an order awaiting payment; its stock returns");
        return app;
    }

    public static async Task<Ok<Order[]>> ListOrders(ClaimsPrincipal user, IGrainFactory grains)
    {
        var ids = await grains.GetGrain<IShopperCartGrain>(user.ShopperId()).ListOrderIds();
        var orders = await Task.WhenAll(ids.Select(id => grains.GetGrain<IOrderGrain>(id).Get()));
        return TypedResults.Ok(orders.OfType<Order>().ToArray());
    }

    public static async Task<Results<Ok<Order>, ProblemHttpResult>> GetOrder(string orderId, ClaimsPrincipal user, IGrainFactory grains) =>
        Ids.IsWellFormed(orderId, Ids.OrderPrefix)
        && await grains.GetGrain<IOrderGrain>(orderId).Get() is { } order
        && string.Equals(order.ShopperId, user.ShopperId(), StringComparison.Ordinal)
            ? TypedResults.Ok(order)
            : Problems.NotFoundProblem(EngineTexts.TheOrder);

    public static async Task<Results<Ok<Order>, ProblemHttpResult>> CancelOrder(string orderId, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Ids.IsWellFormed(orderId, Ids.OrderPrefix))
        {
            return Problems.NotFoundProblem(EngineTexts.TheOrder);
        }

        var cancelled = await grains.GetGrain<IOrderGrain>(orderId).Cancel(user.ShopperId());
        return cancelled.Succeeded ? TypedResults.Ok(cancelled.Value) : Problems.From(cancelled.Refusal);
    }
}
