using System.Security.Claims;
using FlashSale.Agents;
using FlashSale.Api.Extensions;
using FlashSale.Api.Identity;
using FlashSale.Carts;
using FlashSale.Common;
using FlashSale.Orders;
using FlashSale.Payments;
using FlashSale.WaitingRooms;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FlashSale.Api.Apis;

/// <summary>
/// A village agent's routes. The agent registers villagers (shoppers without a phone), holds and
/// checks out for them with the same carts and orders as any shopper, and confirms the cash it
/// collected. Only the registering agent may act for a villager: to any other caller the villager
/// and its orders do not exist (404). Villagers' limits apply per villager, and the agent's share
/// of a lot is capped by the agent's grain.
/// </summary>
public static class AgentApi
{
    public static IEndpointRouteBuilder MapAgentApi(this IEndpointRouteBuilder app)
    {
        var agent = app.MapGroup("/api/agent").WithTags("Village agents").RequireAuthorization(Roles.Agent);
        agent.MapPost("/villagers", RegisterVillager).WithSummary("Register a villager the agent will order for");
        agent.MapGet("/villagers", ListVillagers).WithSummary("The agent's villagers");
        agent.MapGet("/villagers/{shopperId}/cart", GetCart).WithSummary("A villager's cart");
        agent.MapPut("/villagers/{shopperId}/cart/items/{lotId}", SetItem).WithSummary("Hold a quantity of a lot for a villager (all or nothing)").RequireSaleRateLimit(RateLimits.Holds);
        agent.MapDelete("/villagers/{shopperId}/cart/items/{lotId}", RemoveItem).WithSummary("Release a villager's hold").RequireSaleRateLimit(RateLimits.Holds);
        agent.MapPost("/villagers/{shopperId}/lots/{lotId}/queue", JoinQueue).WithSummary("Join a lot's waiting room for a villager (one ticket per villager)").RequireSaleRateLimit(RateLimits.Queue);
        agent.MapGet("/villagers/{shopperId}/lots/{lotId}/queue", GetTicket).WithSummary("A villager's ticket for a lot's waiting room");
        agent.MapPost("/villagers/{shopperId}/checkout", Checkout).WithSummary("Check out a villager's cart (village-agent or cash-on-delivery; requires Idempotency-Key)").RequireSaleRateLimit(RateLimits.Checkout);
        agent.MapGet("/villagers/{shopperId}/orders", ListOrders).WithSummary("A villager's orders, oldest first");
        agent.MapGet("/orders/{orderId}", GetOrder).WithSummary("One order of one of the agent's villagers");
        agent.MapPost("/orders/{orderId}/cancel", CancelOrder).WithSummary("Cancel a villager's order awaiting payment");
        agent.MapPost("/orders/{orderId}/collected", MarkCollected).WithSummary("The agent collected the cash: the order is paid");
        return app;
    }

    public static async Task<Results<Created<VillagerView>, ValidationProblem>> RegisterVillager(RegisterVillagerRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        var errors = new RequestErrors().Text("name", request.Name);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var villager = await Agent(user, grains).RegisterVillager(request.Name!.Trim());
        return TypedResults.Created($"/api/agent/villagers/{villager.ShopperId}", VillagerView.Of(villager));
    }

    public static async Task<Ok<VillagerView[]>> ListVillagers(ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok((await Agent(user, grains).ListVillagers()).Select(VillagerView.Of).ToArray());

    public static async Task<Results<Ok<Cart>, ProblemHttpResult>> GetCart(string shopperId, ClaimsPrincipal user, IGrainFactory grains) =>
        await Represents(user, grains, shopperId)
            ? TypedResults.Ok(await grains.GetGrain<IShopperCartGrain>(shopperId).Get())
            : Problems.NotFoundProblem(EngineTexts.TheVillager);

    public static async Task<Results<Ok<Cart>, ValidationProblem, ProblemHttpResult>> SetItem(
        string shopperId, string lotId, SetCartItemRequest request, ClaimsPrincipal user, IGrainFactory grains, Edge.LotEdgeCache edge)
    {
        var errors = new RequestErrors().Range("quantity", request.Quantity, 0, Lots.LotLimits.MaxQuantity);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (!IsShopperId(shopperId))
        {
            return Problems.NotFoundProblem(EngineTexts.TheVillager);
        }

        if (!LotsApi.IsLotId(lotId))
        {
            return Problems.NotFoundProblem(EngineTexts.TheLot);
        }

        var cart = await Agent(user, grains).SetItem(shopperId, lotId, request.Quantity!.Value);
        edge.Answered(lotId, cart);
        return cart.Succeeded ? TypedResults.Ok(cart.Value) : Problems.From(cart.Refusal);
    }

    public static async Task<Results<Ok<Cart>, ProblemHttpResult>> RemoveItem(string shopperId, string lotId, ClaimsPrincipal user, IGrainFactory grains, Edge.LotEdgeCache edge)
    {
        if (!await Represents(user, grains, shopperId))
        {
            return Problems.NotFoundProblem(EngineTexts.TheVillager);
        }

        if (!LotsApi.IsLotId(lotId))
        {
            return Problems.NotFoundProblem(EngineTexts.TheLot);
        }

        var cart = await grains.GetGrain<IShopperCartGrain>(shopperId).RemoveItem(lotId);
        edge.Answered(lotId, cart);
        return cart.Succeeded ? TypedResults.Ok(cart.Value) : Problems.From(cart.Refusal);
    }

    /// <summary>
    /// Each villager is a person with a place of their own in the queue, exactly as a shopper
    /// joining for themselves; the agent's cap per lot still bounds what its villagers then hold.
    /// </summary>
    public static async Task<Results<Ok<QueueTicket>, ProblemHttpResult>> JoinQueue(string shopperId, string lotId, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!await Represents(user, grains, shopperId))
        {
            return Problems.NotFoundProblem(EngineTexts.TheVillager);
        }

        if (!LotsApi.IsLotId(lotId))
        {
            return Problems.NotFoundProblem(EngineTexts.TheLot);
        }

        var ticket = await grains.GetGrain<IWaitingRoomGrain>(lotId).Join(shopperId);
        return ticket.Succeeded ? TypedResults.Ok(ticket.Value) : Problems.From(ticket.Refusal);
    }

    public static async Task<Results<Ok<QueueTicket>, ProblemHttpResult>> GetTicket(string shopperId, string lotId, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!await Represents(user, grains, shopperId))
        {
            return Problems.NotFoundProblem(EngineTexts.TheVillager);
        }

        return LotsApi.IsLotId(lotId) && await grains.GetGrain<IWaitingRoomGrain>(lotId).TicketOf(shopperId) is { } ticket
            ? TypedResults.Ok(ticket)
            : Problems.NotFoundProblem(EngineTexts.ATicketForThisLot);
    }

    public static async Task<Results<Created<Order>, ValidationProblem, ProblemHttpResult>> Checkout(
        string shopperId,
        CheckoutRequest request,
        [FromHeader(Name = CheckoutApi.IdempotencyKeyHeader)] string? idempotencyKey,
        ClaimsPrincipal user,
        IGrainFactory grains,
        IOptions<PaymentOptions> payments,
        CancellationToken cancellationToken)
    {
        if (!await Represents(user, grains, shopperId))
        {
            return Problems.NotFoundProblem(EngineTexts.TheVillager);
        }

        // A villager has no phone: the agent collects cash, now or on delivery; without a
        // delivery choice the order goes to the agent's own service point.
        var ownPoint = await grains.GetGrain<global::FlashSale.Fulfilment.IPickupPointDirectoryGrain>(0).Find(global::FlashSale.Fulfilment.PickupPoints.PointIdOf(user.AgentId()));
        return await CheckoutApi.Execute(shopperId, request, idempotencyKey, grains, "/api/agent/orders/", method =>
            payments.Value.HasFlow(method, PaymentFlow.Agent) || payments.Value.HasFlow(method, PaymentFlow.OnDelivery)
                ? null
                : ApiTexts.AgentPaysInCash,
            ownPoint is null ? null : global::FlashSale.Fulfilment.OrderDelivery.AtPoint(ownPoint),
            cancellationToken);
    }

    public static async Task<Results<Ok<Order[]>, ProblemHttpResult>> ListOrders(string shopperId, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!await Represents(user, grains, shopperId))
        {
            return Problems.NotFoundProblem(EngineTexts.TheVillager);
        }

        var ids = await grains.GetGrain<IShopperCartGrain>(shopperId).ListOrderIds();
        var orders = await Task.WhenAll(ids.Select(id => grains.GetGrain<IOrderGrain>(id).Get()));
        return TypedResults.Ok(orders.OfType<Order>().ToArray());
    }

    public static async Task<Results<Ok<Order>, ProblemHttpResult>> GetOrder(string orderId, ClaimsPrincipal user, IGrainFactory grains) =>
        await VillagerOrder(orderId, user, grains) is { } order ? TypedResults.Ok(order) : Problems.NotFoundProblem(EngineTexts.TheOrder);

    public static async Task<Results<Ok<Order>, ProblemHttpResult>> CancelOrder(string orderId, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (await VillagerOrder(orderId, user, grains) is not { } order)
        {
            return Problems.NotFoundProblem(EngineTexts.TheOrder);
        }

        var cancelled = await grains.GetGrain<IOrderGrain>(orderId).Cancel(order.ShopperId);
        return cancelled.Succeeded ? TypedResults.Ok(cancelled.Value) : Problems.From(cancelled.Refusal);
    }

    public static async Task<Results<Ok<Order>, ProblemHttpResult>> MarkCollected(string orderId, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Ids.IsWellFormed(orderId, Ids.OrderPrefix))
        {
            return Problems.NotFoundProblem(EngineTexts.TheOrder);
        }

        var collected = await Agent(user, grains).MarkCollected(orderId);
        return collected.Succeeded ? TypedResults.Ok(collected.Value) : Problems.From(collected.Refusal);
    }

    internal static IAgentGrain Agent(ClaimsPrincipal user, IGrainFactory grains) => grains.GetGrain<IAgentGrain>(user.AgentId());

    internal static bool IsShopperId(string shopperId) => Ids.IsWellFormed(shopperId, Ids.ShopperPrefix);

    internal static async Task<bool> Represents(ClaimsPrincipal user, IGrainFactory grains, string shopperId) =>
        IsShopperId(shopperId) && await Agent(user, grains).Represents(shopperId);

    private static async Task<Order?> VillagerOrder(string orderId, ClaimsPrincipal user, IGrainFactory grains) =>
        Ids.IsWellFormed(orderId, Ids.OrderPrefix)
        && await grains.GetGrain<IOrderGrain>(orderId).Get() is { } order
        && await Agent(user, grains).Represents(order.ShopperId)
            ? order
            : null;
}

public sealed record RegisterVillagerRequest(string? Name);

/// <summary>A villager as the agent sees it; <c>shopperId</c> names the villager in the agent's routes.</summary>
public sealed record VillagerView(string ShopperId, string Name, DateTimeOffset RegisteredAt)
{
    public static VillagerView Of(Villager villager) => new(villager.ShopperId, villager.Name, villager.RegisteredAt);
}
