using System.Security.Claims;
using System.Text.Json.Serialization;
using FlashSale.Api.Extensions;
using FlashSale.Api.Identity;
using FlashSale.Common;
using FlashSale.Lots;
using FlashSale.Orders;
using FlashSale.WaitingRooms;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlashSale.Api.Apis;

/// <summary>Produce lots: anyone may look; only the seller who created a lot may change it.</summary>
public static partial class LotsApi
{
    public static IEndpointRouteBuilder MapLotsApi(this IEndpointRouteBuilder app)
    {
        var lots = app.MapGroup("/api/lots").WithTags("Lots");
        lots.MapGet("/", ListLots).WithSummary("Lots with their live counts: a page with ?limit=N (and after=<next>), filtered by status, seller and currency");
        lots.MapGet("/{lotId}", GetLot).WithSummary("One lot");

        var owner = lots.MapGroup("").RequireAuthorization(Roles.Seller);
        owner.MapPost("/", CreateLot).WithSummary("Create a lot (seller)");
        owner.MapPost("/{lotId}/pause", PauseLot).WithSummary("Pause the sale of a lot (its seller)");
        owner.MapPost("/{lotId}/resume", ResumeLot).WithSummary("Resume the sale of a lot (its seller)");
        owner.MapPost("/{lotId}/restock", RestockLot).WithSummary("Add stock to a lot (its seller)");
        owner.MapPatch("/{lotId}", EditLot).WithSummary("Change a lot's name, unit, price, limit or times before it opens (its seller)");
        owner.MapPost("/{lotId}/end", EndLot).WithSummary("End the sale now: holds return, placed orders stand (its seller)");
        owner.MapGet("/{lotId}/stats", GetStats).WithSummary("Sell-through of a lot (its seller)");
        owner.MapPost("/{lotId}/surplus", SellSurplus).WithSummary("Put a presale's extra harvest (beyond the orders, and forfeited units) on sale as a new standard lot, in one call (its seller)");
        owner.MapGet("/{lotId}/harvest", GetHarvest).WithSummary("A presale's declared harvest and every order's share (its seller)");
        owner.MapGet("/{lotId}/harvest/preview", PreviewHarvest).WithSummary("The allocation a harvest of ?quantity=N would make now, changing nothing: pack and weigh by it (its seller)");
        owner.MapPost("/{lotId}/harvest", DeclareHarvest).WithSummary("Declare a presale's real harvest, once, within its window: the sale ends and the harvest is allocated among the deposits (its seller)");
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
            request.WaitingRoom is { } room ? new WaitingRoomPolicy(room.AdmitPerSecond!.Value, room.AdmissionWindowSeconds ?? WaitingRoomRequest.DefaultWindowSeconds) : null,
            Presale: request.ToPresaleTerms());
        // The seller's grain decides the live-lot quota and creates the lot in the same turn (409 limit-exceeded past it).
        var created = await grains.GetGrain<ISellerLotsGrain>(sellerId).CreateLot(lotId, definition);
        if (!created.Succeeded)
        {
            return Problems.From(created.Refusal);
        }

        await grains.GetGrain<ILotCatalogGrain>(0).Register(lotId, sellerId);
        return TypedResults.Created($"/api/lots/{lotId}", created.Value);
    }

    /// <summary>The most lots the plain array (no <c>limit</c>) answers, in creation order; pages reach the rest.</summary>
    public const int MaxUnpaged = 500;

    public const int MaxPageSize = 100;

    public static async Task<Results<Ok<Lot[]>, Catalog.LotPageResult, ValidationProblem>> ListLots(
        int? limit, string? after, string? status, string? sellerId, string? currency, IGrainFactory grains, Catalog.LotCatalogView catalog)
    {
        var query = new LotQuery(limit, after, status, sellerId, currency);
        var errors = query.Validate(out var matches, out var afterPlace);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (limit is { } size)
        {
            var (items, next) = await catalog.PageAsync(matches, afterPlace, size);
            return new Catalog.LotPageResult(items, next?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        // The plain array reads each lot itself, as it always did: exact as of this request.
        var ids = await grains.GetGrain<ILotCatalogGrain>(0).List();
        var lots = await Task.WhenAll(ids.Take(MaxUnpaged).Select(id => grains.GetGrain<IProduceLotGrain>(id).Get()));
        return TypedResults.Ok(lots.OfType<Lot>().Where(matches).ToArray());
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

    public static async Task<Results<Ok<Lot>, ValidationProblem, ProblemHttpResult>> EditLot(
        string lotId, EditLotRequest request, ClaimsPrincipal user, IGrainFactory grains, Edge.LotEdgeCache edge,
        [FromKeyedServices(FlashSaleClock.Key)] TimeProvider time, IOptions<MoneyLimitOptions> moneyLimits)
    {
        if (!IsLotId(lotId))
        {
            return Problems.NotFoundProblem(EngineTexts.TheLot);
        }

        var lotGrain = grains.GetGrain<IProduceLotGrain>(lotId);
        // The fields are judged against the lot as it is, to name the field at fault; the lot
        // judges the merged terms again when it applies them, so a concurrent edit cannot slip past.
        var current = await lotGrain.Get();
        var errors = request.Validate(current, time.GetUtcNow(), moneyLimits.Value.MaxOrderTotalMinor);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var edited = await lotGrain.Edit(user.SellerId(), request.ToEdit());
        if (!edited.Succeeded)
        {
            return Problems.From(edited.Refusal);
        }

        edge.Observed(lotId, edited.Value.Version);
        if (edited.Value.WaitingRoom is not null)
        {
            // Also after an edit that changed nothing: a retry then mends a room that missed the first.
            await grains.GetGrain<IWaitingRoomGrain>(lotId).LotTermsChanged();
        }

        return TypedResults.Ok(edited.Value);
    }

    public static async Task<Results<Ok<Lot>, ProblemHttpResult>> EndLot(string lotId, ClaimsPrincipal user, IGrainFactory grains, Edge.LotEdgeCache edge)
    {
        if (!IsLotId(lotId))
        {
            return Problems.NotFoundProblem(EngineTexts.TheLot);
        }

        var ended = await grains.GetGrain<IProduceLotGrain>(lotId).End(user.SellerId());
        if (ended.Succeeded)
        {
            edge.Observed(lotId, ended.Value.Version); // this host refuses new holds at once, before the feed says so
        }

        return ended.Succeeded ? TypedResults.Ok(ended.Value) : Problems.From(ended.Refusal);
    }

    public static async Task<Results<Ok<LotStats>, ProblemHttpResult>> GetStats(string lotId, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!IsLotId(lotId))
        {
            return Problems.NotFoundProblem(EngineTexts.TheLot);
        }

        var lot = grains.GetGrain<IProduceLotGrain>(lotId);
        var stats = await lot.GetStats(user.SellerId());
        if (!stats.Succeeded)
        {
            return Problems.From(stats.Refusal);
        }

        return await lot.Get() is { Presale: { } terms } presale
            ? TypedResults.Ok(stats.Value with { Presale = await PresaleStatsOf(presale, terms, lot, user.SellerId(), grains) })
            : TypedResults.Ok(stats.Value);
    }

    /// <summary>
    /// A presale's figures: before the harvest, from the lot's counts; after it, from the
    /// declaration and each allocated order's state (read 16 at a time), since only the orders know
    /// whether their balances are paid.
    /// </summary>
    private static async Task<PresaleStats> PresaleStatsOf(Lot lot, PresaleTerms terms, IProduceLotGrain grain, string sellerId, IGrainFactory grains)
    {
        var perUnit = terms.DepositPerUnit(lot.PriceMinor);
        if ((await grain.GetHarvest(sellerId)).Value is not { } harvest)
        {
            return new PresaleStats(lot.Quantity, lot.Sold, perUnit, checked(perUnit * lot.Sold));
        }

        var ordered = harvest.Orders.Sum(s => s.Ordered);
        var orders = new System.Collections.Concurrent.ConcurrentBag<Order>();
        await Parallel.ForEachAsync(harvest.Orders.Where(s => s.Allocated > 0), new ParallelOptions { MaxDegreeOfParallelism = HarvestFanOut }, async (share, _) =>
        {
            if (await grains.GetGrain<IOrderGrain>(share.OrderId).Get() is { } order)
            {
                orders.Add(order);
            }
        });

        long BalanceOf(Order o) => o.Presale?.BalanceMinor ?? 0;
        var paid = orders.Where(o => o.Status == OrderStatus.Paid).ToList();
        var awaiting = orders.Where(o => o.Status is OrderStatus.AwaitingBalance or OrderStatus.DepositPaid).ToList();
        return new PresaleStats(
            lot.Harvest?.Forecast ?? ordered, ordered, perUnit, checked(perUnit * ordered), harvest.Declared, harvest.Orders.Sum(s => s.Allocated),
            awaiting.Count, paid.Count, orders.Count(o => o.Status == OrderStatus.Forfeited),
            harvest.Orders.Count(s => s.Allocated == 0), checked(paid.Sum(BalanceOf)), checked(awaiting.Sum(BalanceOf)));
    }

    /// <summary>How many orders hear of a declared harvest at once; each also asks by itself (hourly in the window, and when it closes).</summary>
    private const int HarvestFanOut = 16;

    public static async Task<Results<Ok<HarvestDeclaration>, ValidationProblem, ProblemHttpResult>> DeclareHarvest(
        string lotId, HarvestRequest request, ClaimsPrincipal user, IGrainFactory grains, Edge.LotEdgeCache edge, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var errors = request.Validate();
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (!IsLotId(lotId))
        {
            return Problems.NotFoundProblem(EngineTexts.TheLot);
        }

        var lot = grains.GetGrain<IProduceLotGrain>(lotId);
        var declared = await lot.DeclareHarvest(user.SellerId(), request.Quantity!.Value, request.PackedGrams);
        if (!declared.Succeeded)
        {
            return Problems.From(declared.Refusal);
        }

        if (await lot.Get() is { } ended)
        {
            edge.Observed(lotId, ended.Version); // this host refuses new holds at once, before the feed says so
        }

        // The orders learn their shares now. The declaration is already written, so an order this
        // misses (a failure, or this host stopping) asks its lot by itself later; the answer does
        // not wait on that.
        var logger = loggers.CreateLogger("FlashSale.Api.Lots");
        await Parallel.ForEachAsync(declared.Value.Orders, new ParallelOptions { MaxDegreeOfParallelism = HarvestFanOut, CancellationToken = cancellationToken }, async (share, _) =>
        {
            try
            {
                await grains.GetGrain<IOrderGrain>(share.OrderId).CollectHarvest();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogShareNotTaken(logger, ex, share.OrderId, lotId);
            }
        });

        return TypedResults.Ok(declared.Value);
    }

    /// <summary>
    /// Moves the units of a declared harvest that nobody took into a new standard lot: the
    /// presale lot releases them (pending), the new lot is created under the seller's quota, and
    /// the release is confirmed, or reclaimed when the new lot is refused. A call that died
    /// half-way leaves the release pending, and the next call finishes that same new lot.
    /// </summary>
    public static async Task<Results<Created<Lot>, ValidationProblem, ProblemHttpResult>> SellSurplus(
        string lotId, SurplusRequest request, ClaimsPrincipal user, IGrainFactory grains,
        [FromKeyedServices(FlashSaleClock.Key)] TimeProvider time, IOptions<MoneyLimitOptions> moneyLimits)
    {
        if (!IsLotId(lotId))
        {
            return Problems.NotFoundProblem(EngineTexts.TheLot);
        }

        var presaleLot = grains.GetGrain<IProduceLotGrain>(lotId);
        if (await presaleLot.Get() is not { } presale)
        {
            return Problems.NotFoundProblem(EngineTexts.TheLot);
        }

        var errors = request.Validate(presale, time.GetUtcNow(), moneyLimits.Value.MaxOrderTotalMinor);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var sellerId = user.SellerId();
        var released = await presaleLot.ReleaseSurplus(sellerId, Ids.New(Ids.LotPrefix));
        if (!released.Succeeded)
        {
            return Problems.From(released.Refusal);
        }

        var (newLotId, quantity) = (released.Value.NewLotId, released.Value.Quantity);
        var definition = new LotDefinition(
            sellerId, presale.Name, presale.Unit, request.PriceMinor ?? presale.PriceMinor, presale.Currency, quantity,
            Math.Min(request.PerShopperLimit ?? presale.PerShopperLimit, quantity), request.StartsAt, request.EndsAt);
        var created = await grains.GetGrain<ISellerLotsGrain>(sellerId).CreateLot(newLotId, definition);

        // Refused but there: an earlier call created it and died before confirming.
        var lot = created.Succeeded ? created.Value : await grains.GetGrain<IProduceLotGrain>(newLotId).Get();
        if (lot is null)
        {
            await presaleLot.ReclaimSurplus(newLotId);
            return Problems.From(created.Refusal!);
        }

        await grains.GetGrain<ILotCatalogGrain>(0).Register(newLotId, sellerId);
        await presaleLot.ConfirmSurplus(newLotId);
        return TypedResults.Created($"/api/lots/{newLotId}", lot);
    }

    public static async Task<Results<Ok<HarvestDeclaration>, ProblemHttpResult>> GetHarvest(string lotId, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!IsLotId(lotId))
        {
            return Problems.NotFoundProblem(EngineTexts.TheLot);
        }

        var harvest = await grains.GetGrain<IProduceLotGrain>(lotId).GetHarvest(user.SellerId());
        return harvest.Succeeded ? TypedResults.Ok(harvest.Value) : Problems.From(harvest.Refusal);
    }

    public static async Task<Results<Ok<HarvestDeclaration>, ValidationProblem, ProblemHttpResult>> PreviewHarvest(
        string lotId, int? quantity, ClaimsPrincipal user, IGrainFactory grains)
    {
        var errors = new RequestErrors().Range("quantity", quantity, 0, LotLimits.MaxQuantity);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (!IsLotId(lotId))
        {
            return Problems.NotFoundProblem(EngineTexts.TheLot);
        }

        var preview = await grains.GetGrain<IProduceLotGrain>(lotId).PreviewHarvest(user.SellerId(), quantity!.Value);
        return preview.Succeeded ? TypedResults.Ok(preview.Value) : Problems.From(preview.Refusal);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} did not take its share of lot {LotId}'s harvest now; it asks for it by itself")]
    private static partial void LogShareNotTaken(ILogger logger, Exception exception, string orderId, string lotId);

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
    WaitingRoomRequest? WaitingRoom = null,
    string? Kind = null,
    int? DepositPercent = null,
    DateTimeOffset? HarvestFrom = null,
    DateTimeOffset? HarvestTo = null,
    int? BalanceWindowHours = null,
    string? Allocation = null,
    string? Grade = null,
    int? UnitWeightGrams = null,
    int? WeightTolerancePercent = null)
{
    private const string PresaleKind = "presale";

    private static readonly Dictionary<string, PresaleAllocation> Allocations = new(StringComparer.Ordinal)
    {
        ["pro-rata"] = PresaleAllocation.ProRata,
        ["first-come"] = PresaleAllocation.FirstCome,
    };

    public bool IsPresale => string.Equals(Kind, PresaleKind, StringComparison.Ordinal);

    /// <summary>The presale's terms, for a request that passed <see cref="Validate"/>; null for a standard lot.</summary>
    public PresaleTerms? ToPresaleTerms() => IsPresale
        ? new PresaleTerms(DepositPercent!.Value, HarvestFrom!.Value, HarvestTo!.Value, BalanceWindowHours!.Value, Allocations[Allocation!],
            string.IsNullOrWhiteSpace(Grade) ? null : Grade.Trim(), UnitWeightGrams, WeightTolerancePercent)
        : null;

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

        CheckSaleTimes(errors, StartsAt, EndsAt, now);

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

        ValidatePresale(errors, now);
        return errors;
    }

    /// <summary>A presale's terms, each named when wrong; on a standard lot every presale field is refused rather than ignored.</summary>
    private void ValidatePresale(RequestErrors errors, DateTimeOffset now)
    {
        if (Kind is not (null or "standard" or PresaleKind))
        {
            errors.Add("kind", ApiTexts.KindIs);
            return;
        }

        var presaleFields = new (string Field, object? Value)[]
        {
            ("depositPercent", DepositPercent), ("harvestFrom", HarvestFrom), ("harvestTo", HarvestTo), ("balanceWindowHours", BalanceWindowHours),
            ("allocation", Allocation), ("grade", Grade), ("unitWeightGrams", UnitWeightGrams), ("weightTolerancePercent", WeightTolerancePercent),
        };
        if (!IsPresale)
        {
            foreach (var (field, _) in presaleFields.Where(f => f.Value is not null))
            {
                errors.Add(field, ApiTexts.PresaleOnly.Format(field));
            }

            return;
        }

        errors.Range("depositPercent", DepositPercent, PresaleTerms.MinDepositPercent, PresaleTerms.MaxDepositPercent)
            .Range("balanceWindowHours", BalanceWindowHours, 1, PresaleTerms.MaxBalanceWindowHours)
            .Text("grade", Grade, required: false)
            .Range("unitWeightGrams", UnitWeightGrams, 1, 1_000_000, required: false)
            .Range("weightTolerancePercent", WeightTolerancePercent, 0, PresaleTerms.MaxWeightTolerancePercent, required: false);
        if (Allocation is null)
        {
            errors.Add("allocation", ApiTexts.Required.Format("allocation"));
        }
        else if (!Allocations.ContainsKey(Allocation))
        {
            errors.Add("allocation", ApiTexts.AllocationIs);
        }

        if (WeightTolerancePercent is not null && UnitWeightGrams is null)
        {
            errors.Add("weightTolerancePercent", ApiTexts.ToleranceNeedsWeight);
        }

        foreach (var (field, at) in new[] { ("harvestFrom", HarvestFrom), ("harvestTo", HarvestTo) })
        {
            if (at is null)
            {
                errors.Add(field, ApiTexts.Required.Format(field));
            }
        }

        CheckHorizon(errors, now, ("harvestFrom", HarvestFrom), ("harvestTo", HarvestTo));

        if (HarvestFrom is { } from && HarvestTo is { } to && (from <= (StartsAt ?? now) || to <= from || to <= now))
        {
            errors.Add("harvestTo", ApiTexts.HarvestAfterOpening);
        }
    }

    /// <summary>A new sale's times: <paramref name="startsAt"/> before <paramref name="endsAt"/>, the end in the future, both within the horizon.</summary>
    public static void CheckSaleTimes(RequestErrors errors, DateTimeOffset? startsAt, DateTimeOffset? endsAt, DateTimeOffset now)
    {
        if (startsAt is { } start && endsAt is { } end && start >= end)
        {
            errors.Add("endsAt", ApiTexts.EndsAfterStarts);
        }
        else if (endsAt is { } ending && ending <= now)
        {
            errors.Add("endsAt", ApiTexts.EndsInFuture);
        }

        CheckHorizon(errors, now, ("startsAt", startsAt), ("endsAt", endsAt));
    }

    /// <summary>Each time given is at most <see cref="Horizon"/> ahead of <paramref name="now"/>.</summary>
    public static void CheckHorizon(RequestErrors errors, DateTimeOffset now, params (string Field, DateTimeOffset? At)[] times)
    {
        foreach (var (field, at) in times)
        {
            if (at is { } time && time - now > Horizon)
            {
                errors.Add(field, ApiTexts.WithinHorizon.Format(field, (int)Horizon.TotalDays));
            }
        }
    }
}

/// <summary>Turns on a waiting room for a big sale: how many shoppers are let in per second, and for how long each.</summary>
public sealed record WaitingRoomRequest(int? AdmitPerSecond, int? AdmissionWindowSeconds)
{
    public const int DefaultWindowSeconds = 120;
}

public sealed record RestockRequest(int? Quantity);

/// <summary>
/// A presale's real harvest, in the lot's units; for units sold by weight, optionally what was
/// packed for each order (grams, by order id), each within the lot's tolerance.
/// </summary>
public sealed record HarvestRequest(int? Quantity, Dictionary<string, long>? PackedGrams = null)
{
    /// <summary>More weighed orders than any harvest has claims is not a declaration but a flood.</summary>
    public const int MaxWeighedOrders = 100_000;

    public RequestErrors Validate()
    {
        var errors = new RequestErrors().Range("quantity", Quantity, 0, LotLimits.MaxQuantity);
        if (PackedGrams is { Count: > MaxWeighedOrders })
        {
            errors.Add("packedGrams", ApiTexts.TooMany.Format("packedGrams", MaxWeighedOrders));
            return errors;
        }

        foreach (var (orderId, grams) in PackedGrams ?? [])
        {
            if (!Ids.IsWellFormed(orderId, Ids.OrderPrefix))
            {
                errors.Add("packedGrams", ApiTexts.NotAnOrderId.Format(orderId));
            }
            else
            {
                errors.Range($"packedGrams.{orderId}", grams, 1, LotLimits.MaxPackedGrams);
            }
        }

        return errors;
    }
}

/// <summary>
/// How the extra harvest goes on sale; every field is optional: the presale's price and limit,
/// live now with no end. The quantity is whatever the presale lot has left.
/// </summary>
public sealed record SurplusRequest(long? PriceMinor, int? PerShopperLimit, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt)
{
    public RequestErrors Validate(Lot presale, DateTimeOffset now, long maxOrderTotalMinor)
    {
        var errors = new RequestErrors()
            .Range("priceMinor", PriceMinor, 1, LotLimits.MaxPriceMinor, required: false)
            .Range("perShopperLimit", PerShopperLimit, 1, LotLimits.MaxQuantity, required: false);
        CreateLotRequest.CheckSaleTimes(errors, StartsAt, EndsAt, now);

        // Within the ranges the product fits in 64 bits; the new lot's limit is at most its quantity, so this bounds it.
        var price = PriceMinor ?? presale.PriceMinor;
        var limit = PerShopperLimit ?? presale.PerShopperLimit;
        if (price is > 0 and <= LotLimits.MaxPriceMinor && limit is > 0 and <= LotLimits.MaxQuantity && price * limit > maxOrderTotalMinor)
        {
            errors.Add(PerShopperLimit is null ? "priceMinor" : "perShopperLimit", ApiTexts.LineAboveOrderCeiling.Format(maxOrderTotalMinor));
        }

        return errors;
    }
}

/// <summary>A page of the catalog; <see cref="Next"/> (absent on the last page) is the <c>after</c> of the following one.</summary>
public sealed record LotPage(IReadOnlyList<Lot> Items, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Next);

/// <summary>
/// What a shopper asks of the catalog: a page size and where to continue, and filters:
/// <c>status</c> (one or more of scheduled, live, paused, sold-out, ended, comma-separated: "live now"
/// is <c>live</c>, "opening soon" is <c>scheduled</c>), <c>sellerId</c> and <c>currency</c>.
/// </summary>
public sealed record LotQuery(int? Limit, string? After, string? Status, string? SellerId, string? Currency)
{
    public RequestErrors Validate(out Func<Lot, bool> matches, out long afterPlace)
    {
        var errors = new RequestErrors();
        if (Limit is not null)
        {
            errors.Range("limit", Limit, 1, LotsApi.MaxPageSize);
        }

        afterPlace = 0;
        if (After is not null && (Limit is null || !long.TryParse(After, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out afterPlace)))
        {
            errors.Add("after", ApiTexts.AfterIsNext);
        }

        var statuses = new HashSet<LotStatus>();
        foreach (var name in Status?.Split(',', StringSplitOptions.TrimEntries) ?? [])
        {
            if (Live.LiveFormat.TryParseStatus(name) is { } parsed)
            {
                statuses.Add(parsed);
            }
            else
            {
                errors.Add("status", ApiTexts.StatusFilter);
                break;
            }
        }

        errors.Text("sellerId", SellerId, required: false, max: 64);
        if (Currency is not null && !Iso4217.IsCurrency(Currency))
        {
            errors.Add("currency", ApiTexts.NotACurrency.Format("currency"));
        }

        var (sellerId, currency) = (SellerId, Currency);
        matches = lot => (statuses.Count == 0 || statuses.Contains(lot.Status))
            && (sellerId is null || string.Equals(lot.SellerId, sellerId, StringComparison.Ordinal))
            && (currency is null || string.Equals(lot.Currency, currency, StringComparison.Ordinal));
        return errors;
    }
}

/// <summary>
/// A seller's change of a lot before it opens. Only the fields given change. The quantity
/// changes by restock, the currency and the waiting room not at all, so any other field is
/// refused rather than silently ignored.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record EditLotRequest(
    string? Name = null,
    string? Unit = null,
    long? PriceMinor = null,
    int? PerShopperLimit = null,
    DateTimeOffset? StartsAt = null,
    DateTimeOffset? EndsAt = null)
{
    /// <summary>Errors of the fields given; those that depend on the lot (the limit, the order ceiling, the times) are judged against <paramref name="lot"/>.</summary>
    public RequestErrors Validate(Lot? lot, DateTimeOffset now, long maxOrderTotalMinor)
    {
        var errors = new RequestErrors()
            .Text("name", Name, required: Name is not null)
            .Text("unit", Unit, required: Unit is not null)
            .Range("priceMinor", PriceMinor, 1, LotLimits.MaxPriceMinor, required: false)
            .Range("perShopperLimit", PerShopperLimit, 1, Math.Clamp(lot?.Quantity ?? LotLimits.MaxQuantity, 1, LotLimits.MaxQuantity), required: false);
        if (this == new EditLotRequest())
        {
            errors.Add("body", ApiTexts.NameAFieldToEdit);
        }

        CreateLotRequest.CheckHorizon(errors, now, ("startsAt", StartsAt), ("endsAt", EndsAt));
        if (lot is null || errors.Any)
        {
            return errors;
        }

        var startsAt = StartsAt ?? lot.StartsAt;
        if ((EndsAt ?? lot.EndsAt) is { } endsAt && endsAt <= startsAt)
        {
            errors.Add("endsAt", ApiTexts.EndsAfterStarts);
        }
        else if (EndsAt is { } end && end <= now)
        {
            errors.Add("endsAt", ApiTexts.EndsInFuture);
        }

        if ((PriceMinor ?? lot.PriceMinor) * (PerShopperLimit ?? lot.PerShopperLimit) > maxOrderTotalMinor)
        {
            errors.Add(PerShopperLimit is null ? "priceMinor" : "perShopperLimit", ApiTexts.LineAboveOrderCeiling.Format(maxOrderTotalMinor));
        }

        return errors;
    }

    public LotEdit ToEdit() => new(Name?.Trim(), Unit?.Trim(), PriceMinor, PerShopperLimit, StartsAt, EndsAt);
}
