using System.Security.Claims;
using FlashSale.Api.Extensions;
using FlashSale.Api.Identity;
using FlashSale.Common;
using FlashSale.Lots;
using FlashSale.WaitingRooms;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FlashSale.Api.Apis;

/// <summary>Produce lots: anyone may look; only the seller who created a lot may change it.</summary>
public static class LotsApi
{
    public static IEndpointRouteBuilder MapLotsApi(this IEndpointRouteBuilder app)
    {
        var lots = app.MapGroup("/api/lots").WithTags("Lots");
        lots.MapGet("/", ListLots).WithSummary("All lots with their live counts");
        lots.MapGet("/{lotId}", GetLot).WithSummary("One lot");

        var owner = lots.MapGroup("").RequireAuthorization(Roles.Seller);
        owner.MapPost("/", CreateLot).WithSummary("Create a lot (seller)");
        owner.MapPost("/{lotId}/pause", PauseLot).WithSummary("Pause the sale of a lot (its seller)");
        owner.MapPost("/{lotId}/resume", ResumeLot).WithSummary("Resume the sale of a lot (its seller)");
        owner.MapPost("/{lotId}/restock", RestockLot).WithSummary("Add stock to a lot (its seller)");
        owner.MapGet("/{lotId}/stats", GetStats).WithSummary("Sell-through of a lot (its seller)");
        return app;
    }

    public static async Task<Results<Created<Lot>, ValidationProblem, ProblemHttpResult>> CreateLot(
        CreateLotRequest request, ClaimsPrincipal user, IGrainFactory grains, [FromKeyedServices(FlashSaleClock.Key)] TimeProvider time,
        IOptions<MoneyLimitOptions> moneyLimits)
    {
        var errors = request.Validate(time.GetUtcNow(), moneyLimits.Value.MaxOrderTotalMinor);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var lotId = Ids.New(Ids.LotPrefix);
        var sellerId = user.SellerId();
        var definition = new LotDefinition(
            sellerId, request.Name!.Trim(), request.Unit!.Trim(), request.PriceMinor!.Value, request.Currency!,
            request.Quantity!.Value, request.PerShopperLimit!.Value, request.StartsAt, request.EndsAt,
            request.WaitingRoom is { } room ? new WaitingRoomPolicy(room.AdmitPerSecond!.Value, room.AdmissionWindowSeconds ?? WaitingRoomRequest.DefaultWindowSeconds) : null);
        // The seller's grain decides the live-lot quota and creates the lot in the same turn (409 limit-exceeded past it).
        var created = await grains.GetGrain<ISellerLotsGrain>(sellerId).CreateLot(lotId, definition);
        if (!created.Succeeded)
        {
            return Problems.From(created.Refusal);
        }

        await grains.GetGrain<ILotCatalogGrain>(0).Register(lotId, sellerId);
        return TypedResults.Created($"/api/lots/{lotId}", created.Value);
    }

    public static async Task<Ok<Lot[]>> ListLots(IGrainFactory grains)
    {
        var ids = await grains.GetGrain<ILotCatalogGrain>(0).List();
        var lots = await Task.WhenAll(ids.Select(id => grains.GetGrain<IProduceLotGrain>(id).Get()));
        return TypedResults.Ok(lots.OfType<Lot>().ToArray());
    }

    public static async Task<Results<Ok<Lot>, ProblemHttpResult>> GetLot(string lotId, IGrainFactory grains) =>
        IsLotId(lotId) && await grains.GetGrain<IProduceLotGrain>(lotId).Get() is { } lot
            ? TypedResults.Ok(lot)
            : Problems.NotFoundProblem(EngineTexts.TheLot);

    public static Task<Results<Ok<Lot>, ProblemHttpResult>> PauseLot(string lotId, ClaimsPrincipal user, IGrainFactory grains) =>
        AsOwner(lotId, grains, lot => lot.Pause(user.SellerId()));

    public static Task<Results<Ok<Lot>, ProblemHttpResult>> ResumeLot(string lotId, ClaimsPrincipal user, IGrainFactory grains) =>
        AsOwner(lotId, grains, lot => lot.Resume(user.SellerId()));

    public static async Task<Results<Ok<Lot>, ValidationProblem, ProblemHttpResult>> RestockLot(
        string lotId, RestockRequest request, ClaimsPrincipal user, IGrainFactory grains, Edge.LotEdgeCache edge)
    {
        var errors = new RequestErrors().Range("quantity", request.Quantity, 1, LotLimits.MaxQuantity);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (!IsLotId(lotId))
        {
            return Problems.NotFoundProblem(EngineTexts.TheLot);
        }

        var restocked = await grains.GetGrain<IProduceLotGrain>(lotId).Restock(user.SellerId(), request.Quantity!.Value);
        if (restocked.Succeeded)
        {
            edge.Observed(lotId, restocked.Value.Version); // this host sells the new stock at once, before the feed says so
        }

        return restocked.Succeeded ? TypedResults.Ok(restocked.Value) : Problems.From(restocked.Refusal);
    }

    public static async Task<Results<Ok<LotStats>, ProblemHttpResult>> GetStats(string lotId, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!IsLotId(lotId))
        {
            return Problems.NotFoundProblem(EngineTexts.TheLot);
        }

        var stats = await grains.GetGrain<IProduceLotGrain>(lotId).GetStats(user.SellerId());
        return stats.Succeeded ? TypedResults.Ok(stats.Value) : Problems.From(stats.Refusal);
    }

    public static bool IsLotId(string lotId) => Ids.IsWellFormed(lotId, Ids.LotPrefix);

    private static async Task<Results<Ok<Lot>, ProblemHttpResult>> AsOwner(string lotId, IGrainFactory grains, Func<IProduceLotGrain, Task<Outcome<Lot>>> act)
    {
        if (!IsLotId(lotId))
        {
            return Problems.NotFoundProblem(EngineTexts.TheLot);
        }

        var outcome = await act(grains.GetGrain<IProduceLotGrain>(lotId));
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : Problems.From(outcome.Refusal);
    }
}

public sealed record CreateLotRequest(
    string? Name,
    string? Unit,
    long? PriceMinor,
    string? Currency,
    int? Quantity,
    int? PerShopperLimit,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    WaitingRoomRequest? WaitingRoom = null)
{
    /// <summary>How far ahead a sale may start or end: far enough for any harvest, near enough that no timer or sum is stretched.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(366);

    public RequestErrors Validate(DateTimeOffset now, long maxOrderTotalMinor)
    {
        var errors = new RequestErrors()
            .Text("name", Name)
            .Text("unit", Unit)
            .Range("priceMinor", PriceMinor, 1, LotLimits.MaxPriceMinor)
            .Range("quantity", Quantity, 1, LotLimits.MaxQuantity)
            .Range("perShopperLimit", PerShopperLimit, 1, Math.Clamp(Quantity ?? LotLimits.MaxQuantity, 1, LotLimits.MaxQuantity));
        if (Currency is null)
        {
            errors.Add("currency", ApiTexts.Required.Format("currency"));
        }
        else if (!Iso4217.IsCurrency(Currency))
        {
            errors.Add("currency", ApiTexts.NotACurrency.Format("currency"));
        }

        if (StartsAt is { } startsAt && EndsAt is { } endsAt && startsAt >= endsAt)
        {
            errors.Add("endsAt", ApiTexts.EndsAfterStarts);
        }
        else if (EndsAt is { } end && end <= now)
        {
            errors.Add("endsAt", ApiTexts.EndsInFuture);
        }

        foreach (var (field, at) in new[] { ("startsAt", StartsAt), ("endsAt", EndsAt) })
        {
            if (at is { } time && time - now > Horizon)
            {
                errors.Add(field, ApiTexts.WithinHorizon.Format(field, (int)Horizon.TotalDays));
            }
        }

        // One shopper's whole allowance must fit in one order, or the lot invites refusals (and,
        // before the ceiling, sums that wrap). Within the ranges above the products fit in 64 bits.
        if (PriceMinor is > 0 and <= LotLimits.MaxPriceMinor && PerShopperLimit is > 0 and <= LotLimits.MaxQuantity
            && PriceMinor.Value * PerShopperLimit.Value > maxOrderTotalMinor)
        {
            errors.Add("perShopperLimit", ApiTexts.LineAboveOrderCeiling.Format(maxOrderTotalMinor));
        }

        if (WaitingRoom is { } room)
        {
            errors.Range("waitingRoom.admitPerSecond", room.AdmitPerSecond, 1, 10_000);
            if (room.AdmissionWindowSeconds is not null)
            {
                errors.Range("waitingRoom.admissionWindowSeconds", room.AdmissionWindowSeconds, 10, 3600);
            }
        }

        return errors;
    }
}

/// <summary>Turns on a waiting room for a big sale: how many shoppers are let in per second, and for how long each.</summary>
public sealed record WaitingRoomRequest(int? AdmitPerSecond, int? AdmissionWindowSeconds)
{
    public const int DefaultWindowSeconds = 120;
}

public sealed record RestockRequest(int? Quantity);
