using System.Security.Claims;
using FlashSale.Api.Extensions;
using FlashSale.Common;
using FlashSale.Api.Identity;
using FlashSale.WaitingRooms;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FlashSale.Api.Apis;

/// <summary>
/// A lot's waiting room, for sales opened with one. A shopper joins once and gets one ticket;
/// joining again returns the same ticket. Its position and admission time are fixed once given,
/// so a client counts down on its own; <c>GET</c> tells where the shopper stands now.
/// </summary>
public static class WaitingRoomApi
{
    public static IEndpointRouteBuilder MapWaitingRoomApi(this IEndpointRouteBuilder app)
    {
        var queue = app.MapGroup("/api/lots/{lotId}/queue").WithTags("Waiting room").RequireAuthorization(Roles.Shopper);
        queue.MapPost("/", Join).WithSummary("Join the lot's waiting room (one ticket per shopper)").RequireSaleRateLimit(RateLimits.Queue);
        queue.MapGet("/", GetTicket).WithSummary("The shopper's ticket: position, ahead, admission time");
        return app;
    }

    public static async Task<Results<Ok<QueueTicket>, ProblemHttpResult>> Join(string lotId, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!LotsApi.IsLotId(lotId))
        {
            return Problems.NotFoundProblem(EngineTexts.TheLot);
        }

        var ticket = await grains.GetGrain<IWaitingRoomGrain>(lotId).Join(user.ShopperId());
        return ticket.Succeeded ? TypedResults.Ok(ticket.Value) : Problems.From(ticket.Refusal);
    }

    public static async Task<Results<Ok<QueueTicket>, ProblemHttpResult>> GetTicket(string lotId, ClaimsPrincipal user, IGrainFactory grains) =>
        LotsApi.IsLotId(lotId) && await grains.GetGrain<IWaitingRoomGrain>(lotId).TicketOf(user.ShopperId()) is { } ticket
            ? TypedResults.Ok(ticket)
            : Problems.NotFoundProblem(EngineTexts.ATicketForThisLot);
}
