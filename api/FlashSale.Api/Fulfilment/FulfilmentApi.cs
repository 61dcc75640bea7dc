using System.Globalization;
using System.Security.Claims;
using System.Text;
using FlashSale.Api.Apis;
using FlashSale.Api.Extensions;
using FlashSale.Api.Identity;
using FlashSale.Common;
using FlashSale.Fulfilment;
using FlashSale.Lots;
using FlashSale.Orders;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FlashSale.Api.Fulfilment;

/// <summary>
/// From paid to picked up: service points, the shopper's delivery choice, the seller's order desk
/// and moves, and the agent's parcels. Sellers and agents see orders without the pickup code;
/// an order that is not the caller's to move is "not found", as elsewhere.
/// </summary>
public static class FulfilmentApi
{
    public const int MaxPageSize = 100;
    public const int DefaultPageSize = 50;
    public const int MaxReasonLength = 500;
    public const int MaxTrackingIdLength = 64;

    public static IEndpointRouteBuilder MapFulfilmentApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/pickup-points", ListPickupPoints).WithTags("Fulfilment").AllowAnonymous()
            .WithSummary("Service points of approved agents, those of the given village first");

        app.MapGroup("/api/orders").WithTags("Orders").RequireAuthorization(Roles.Shopper)
            .MapPut("/{orderId}/delivery", SetDelivery).WithSummary("Choose or change the order's delivery (before packing)");

        var seller = app.MapGroup("/api/seller/orders").WithTags("Fulfilment").RequireAuthorization(Roles.Seller);
        seller.MapPost("/{orderId}/pack", Pack).WithSummary("Pack the seller's shipment of an order");
        seller.MapPost("/{orderId}/ship", Ship).WithSummary("Ship the seller's packed shipment (optional trackingId)");
        seller.MapPost("/ship", ShipBatch).WithSummary("Ship many packed orders at once, optionally all to one service point");
        seller.MapPost("/{orderId}/deliver", Deliver).WithSummary("Home delivery: the shipment reached the shopper (cash on delivery is paid)");
        seller.MapPost("/{orderId}/cancel", Cancel).WithSummary("Cancel before shipping, with a reason: stock returns, payment refunded once");
        seller.MapPost("/{orderId}/reset-pickup-code", ResetPickupCode).WithSummary("Unlock an order's pickup code after too many wrong tries");

        var sellerDesk = app.MapGroup("/api").WithTags("Fulfilment").RequireAuthorization(Roles.Seller);
        sellerDesk.MapGet("/lots/{lotId}/orders", ListLotOrders).WithSummary("The lot's orders for its seller (paged; text/csv for a packing list)");
        sellerDesk.MapGet("/sellers/me/lots", ListMyLots).WithSummary("The seller's own lots");

        var agent = app.MapGroup("/api/agent/parcels").WithTags("Fulfilment").RequireAuthorization(Roles.Agent);
        agent.MapGet("/", ListParcels).WithSummary("Parcels shipped to the agent's service point");
        agent.MapPost("/{orderId}/arrived", Arrived).WithSummary("The parcel arrived at the point");
        agent.MapPost("/{orderId}/handover", Handover).WithSummary("Hand the parcel over against the shopper's pickup code");
        return app;
    }

    public static async Task<Results<Ok<PickupPoint[]>, ValidationProblem>> ListPickupPoints(string? village, IGrainFactory grains)
    {
        var errors = new RequestErrors().Text("village", village, required: false, max: DeliveryRequests.MaxNameLength);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        return TypedResults.Ok((await grains.GetGrain<IPickupPointDirectoryGrain>(0).List(village?.Trim())).ToArray());
    }

    public static async Task<Results<Ok<Order>, ValidationProblem, ProblemHttpResult>> SetDelivery(
        string orderId, DeliveryRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        var errors = new RequestErrors();
        var delivery = await DeliveryRequests.Resolve(request, errors, grains);
        if (delivery is null)
        {
            return errors.ToProblem();
        }

        if (!IsOrderId(orderId))
        {
            return Problems.NotFoundProblem(EngineTexts.TheOrder);
        }

        var set = await Order(grains, orderId).SetDelivery(user.ShopperId(), delivery);
        return set.Succeeded ? TypedResults.Ok(set.Value) : Problems.From(set.Refusal);
    }

    public static async Task<Results<Ok<Order>, ValidationProblem, ProblemHttpResult>> Pack(string orderId, ClaimsPrincipal user, IGrainFactory grains) =>
        IsOrderId(orderId) ? Answer(await Order(grains, orderId).Pack(user.SellerId())) : NotFound();

    public static async Task<Results<Ok<Order>, ValidationProblem, ProblemHttpResult>> Ship(
        string orderId, [FromBody] ShipRequest? request, ClaimsPrincipal user, IGrainFactory grains)
    {
        var errors = new RequestErrors().Text("trackingId", request?.TrackingId, required: false, max: MaxTrackingIdLength);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        return IsOrderId(orderId) ? Answer(await Order(grains, orderId).Ship(user.SellerId(), request?.TrackingId?.Trim())) : NotFound();
    }

    /// <summary>
    /// Ships each listed order the seller has packed; with <c>pointId</c>, only orders going to
    /// that point. Each order is judged alone: the answer lists what shipped and what was refused.
    /// </summary>
    public static async Task<Results<Ok<BatchShipResult>, ValidationProblem>> ShipBatch(BatchShipRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        var errors = new RequestErrors().Text("trackingId", request.TrackingId, required: false, max: MaxTrackingIdLength);
        if (request.OrderIds is not { Length: > 0 and <= MaxPageSize } orderIds)
        {
            errors.Add("orderIds", FulfilmentApiTexts.OrderIdsCount.Format(MaxPageSize));
        }

        if (request.PointId is not null && !Ids.IsWellFormed(request.PointId, PickupPoints.PointPrefix))
        {
            errors.Add("pointId", FulfilmentApiTexts.NoSuchPoint);
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var shipped = new List<Order>();
        var refused = new List<BatchRefusal>();
        foreach (var orderId in request.OrderIds!.Distinct(StringComparer.Ordinal))
        {
            Outcome<Order> outcome;
            if (!IsOrderId(orderId))
            {
                outcome = Refusal.NotFound(EngineTexts.TheOrder);
            }
            else if (request.PointId is { } pointId && (await grains.GetGrain<IOrderGrain>(orderId).Get())?.Delivery?.PointId != pointId)
            {
                outcome = Refusal.Conflict(FulfilmentApiTexts.NotToThisPoint);
            }
            else
            {
                outcome = await Order(grains, orderId).Ship(user.SellerId(), request.TrackingId?.Trim());
            }

            if (outcome.Succeeded)
            {
                shipped.Add(outcome.Value.WithoutPickupCode());
            }
            else
            {
                refused.Add(new BatchRefusal(orderId, Problems.TypeOf(Live.LiveFormat.Code(outcome.Refusal.Code)), outcome.Refusal.DetailIn(CultureInfo.CurrentUICulture)));
            }
        }

        return TypedResults.Ok(new BatchShipResult([.. shipped], [.. refused]));
    }

    public static async Task<Results<Ok<Order>, ValidationProblem, ProblemHttpResult>> Deliver(string orderId, ClaimsPrincipal user, IGrainFactory grains) =>
        IsOrderId(orderId) ? Answer(await Order(grains, orderId).Deliver(user.SellerId())) : NotFound();

    public static async Task<Results<Ok<Order>, ValidationProblem, ProblemHttpResult>> Cancel(
        string orderId, CancelShipmentRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        var errors = new RequestErrors().Text("reason", request.Reason, max: MaxReasonLength);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        return IsOrderId(orderId) ? Answer(await Order(grains, orderId).CancelBySeller(user.SellerId(), request.Reason!.Trim())) : NotFound();
    }

    public static async Task<Results<Ok<Order>, ValidationProblem, ProblemHttpResult>> ResetPickupCode(string orderId, ClaimsPrincipal user, IGrainFactory grains) =>
        IsOrderId(orderId) ? Answer(await Order(grains, orderId).ResetPickupCode(user.SellerId())) : NotFound();

    /// <summary>
    /// The lot's fulfilled orders, in the order they were paid, filtered by the seller's shipment
    /// status; <c>after</c> is the position the previous page ended at. With <c>Accept: text/csv</c>
    /// the same page as a packing list, grouped by destination.
    /// </summary>
    public static async Task<Results<Ok<OrderPage>, FileContentHttpResult, ValidationProblem, ProblemHttpResult>> ListLotOrders(
        string lotId, string? status, int? limit, string? after, HttpRequest http, ClaimsPrincipal user, IGrainFactory grains)
    {
        var errors = new RequestErrors();
        ShipmentStatus? wanted = null;
        if (status is not null)
        {
            wanted = Enum.GetValues<ShipmentStatus>().Cast<ShipmentStatus?>().FirstOrDefault(s => ShipmentStatuses.Kebab(s!.Value) == status);
            if (wanted is null)
            {
                errors.Add("status", FulfilmentApiTexts.StatusIs.Format(string.Join(", ", Enum.GetValues<ShipmentStatus>().Select(ShipmentStatuses.Kebab))));
            }
        }

        if (limit is not null)
        {
            errors.Range("limit", limit, 1, MaxPageSize);
        }

        var from = 0;
        if (after is not null && (!int.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out from) || from < 0))
        {
            errors.Add("after", FulfilmentApiTexts.AfterIs);
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var sellerId = user.SellerId();
        if (!LotsApi.IsLotId(lotId) || await grains.GetGrain<IProduceLotGrain>(lotId).Get() is not { } lot)
        {
            return Problems.NotFoundProblem(EngineTexts.TheLot);
        }

        if (!string.Equals(lot.SellerId, sellerId, StringComparison.Ordinal))
        {
            return Problems.From(Refusal.Forbidden(EngineTexts.OnlyTheSeller));
        }

        var page = await Page(grains.GetGrain<ILotOrdersGrain>(lotId), sellerId, wanted, from, limit ?? DefaultPageSize, grains);
        return http.Headers.Accept.Any(a => a?.Contains("text/csv", StringComparison.OrdinalIgnoreCase) == true)
            ? TypedResults.File(Encoding.UTF8.GetBytes(PackingList.Csv(page.Items, lot)), "text/csv; charset=utf-8", $"packing-{lotId}.csv")
            : TypedResults.Ok(page);
    }

    public static async Task<Ok<Lot[]>> ListMyLots(ClaimsPrincipal user, IGrainFactory grains)
    {
        var ids = await grains.GetGrain<ILotCatalogGrain>(0).ListBySeller(user.SellerId());
        var lots = await Task.WhenAll(ids.Select(id => grains.GetGrain<IProduceLotGrain>(id).Get()));
        return TypedResults.Ok(lots.OfType<Lot>().ToArray());
    }

    public static async Task<Ok<Order[]>> ListParcels(ClaimsPrincipal user, IGrainFactory grains)
    {
        var agentId = user.AgentId();
        var ids = await grains.GetGrain<IAgentParcelsGrain>(agentId).List();
        var orders = await Task.WhenAll(ids.Select(id => grains.GetGrain<IOrderGrain>(id).Get()));
        return TypedResults.Ok(orders.OfType<Order>()
            .Where(o => string.Equals(o.Delivery?.AgentId, agentId, StringComparison.Ordinal))
            .Select(o => o.WithoutPickupCode())
            .ToArray());
    }

    public static async Task<Results<Ok<Order>, ValidationProblem, ProblemHttpResult>> Arrived(string orderId, ClaimsPrincipal user, IGrainFactory grains) =>
        IsOrderId(orderId) ? Answer(await Order(grains, orderId).Arrived(user.AgentId())) : NotFound(FulfilmentTexts.TheParcel);

    public static async Task<Results<Ok<Order>, ValidationProblem, ProblemHttpResult>> Handover(
        string orderId, HandoverRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (request.PickupCode is not { Length: 6 } code || !code.All(char.IsAsciiDigit))
        {
            return new RequestErrors().Add("pickupCode", FulfilmentApiTexts.PickupCodeShape).ToProblem();
        }

        return IsOrderId(orderId) ? Answer(await Order(grains, orderId).Handover(user.AgentId(), code)) : NotFound(FulfilmentTexts.TheParcel);
    }

    private static async Task<OrderPage> Page(ILotOrdersGrain index, string sellerId, ShipmentStatus? wanted, int from, int limit, IGrainFactory grains)
    {
        var items = new List<Order>();
        var position = from;
        while (items.Count < limit)
        {
            var ids = await index.Page(position, MaxPageSize);
            if (ids.Count == 0)
            {
                return new OrderPage([.. items], null);
            }

            var orders = await Task.WhenAll(ids.Select(id => grains.GetGrain<IOrderGrain>(id).Get()));
            foreach (var order in orders)
            {
                position++;
                if (order?.Fulfilment?.ShipmentOf(sellerId) is { } shipment && (wanted is null || shipment.Status == wanted))
                {
                    items.Add(order.WithoutPickupCode());
                    if (items.Count == limit)
                    {
                        break;
                    }
                }
            }
        }

        var more = (await index.Page(position, 1)).Count > 0;
        return new OrderPage([.. items], more ? position.ToString(CultureInfo.InvariantCulture) : null);
    }

    /// <summary>A seller's or agent's answer: the order without its pickup code, or the refusal.</summary>
    private static Results<Ok<Order>, ValidationProblem, ProblemHttpResult> Answer(Outcome<Order> outcome) =>
        outcome.Succeeded ? TypedResults.Ok(outcome.Value.WithoutPickupCode()) : Problems.From(outcome.Refusal);

    private static ProblemHttpResult NotFound(LocalText? what = null) => Problems.NotFoundProblem(what ?? EngineTexts.TheOrder);

    private static IOrderFulfilmentGrain Order(IGrainFactory grains, string orderId) => grains.GetGrain<IOrderFulfilmentGrain>(orderId);

    private static bool IsOrderId(string orderId) => Ids.IsWellFormed(orderId, Ids.OrderPrefix);
}

public sealed record ShipRequest(string? TrackingId);

public sealed record BatchShipRequest(string[]? OrderIds, string? PointId, string? TrackingId);

public sealed record BatchRefusal(string OrderId, string Type, string Detail);

public sealed record BatchShipResult(Order[] Shipped, BatchRefusal[] Refused);

public sealed record CancelShipmentRequest(string? Reason);

public sealed record HandoverRequest(string? PickupCode);

/// <summary>A page of orders; <c>next</c> is absent on the last page.</summary>
public sealed record OrderPage(Order[] Items, [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Next);
