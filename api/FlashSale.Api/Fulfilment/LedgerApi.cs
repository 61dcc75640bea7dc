using System.Globalization;
using System.Security.Claims;
using System.Text;
using FlashSale.Api.Extensions;
using FlashSale.Api.Identity;
using FlashSale.Common;
using FlashSale.Fulfilment;
using FlashSale.Ledger;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FlashSale.Api.Fulfilment;

/// <summary>
/// The money trail to the farmer: the seller's ledger and daily statements, the cash each agent
/// holds, and remittances (the agent records a hand-over; only the seller's confirmation lowers
/// the agent's held cash and raises the seller's remitted figure).
/// </summary>
public static class LedgerApi
{
    public static IEndpointRouteBuilder MapLedgerApi(this IEndpointRouteBuilder app)
    {
        var seller = app.MapGroup("/api/sellers/me").WithTags("Money").RequireAuthorization(Roles.Seller);
        seller.MapGet("/ledger", GetLedger).WithSummary("The seller's balances per currency");
        seller.MapGet("/statements/{date}", GetStatement).WithSummary("One UTC day's entries and closing balances (JSON, or text/csv)");
        seller.MapGet("/remittances", ListRemittances).WithSummary("Cash agents say they handed over, pending or confirmed");
        seller.MapPost("/remittances/{remittanceId}/confirm", ConfirmRemittance).WithSummary("Confirm an agent's cash arrived");

        var agent = app.MapGroup("/api/agent").WithTags("Money").RequireAuthorization(Roles.Agent);
        agent.MapGet("/cash", GetCash).WithSummary("The cash the agent holds, per seller");
        agent.MapPost("/remittances", Remit).WithSummary("Record cash handed to a seller (pending until the seller confirms)");
        return app;
    }

    public static async Task<Ok<LedgerView>> GetLedger(ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(new LedgerView([.. await Ledger(user, grains).GetBalances()]));

    public static async Task<Results<Ok<LedgerStatement>, FileContentHttpResult, ValidationProblem>> GetStatement(
        string date, HttpRequest http, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return new RequestErrors().Add("date", FulfilmentApiTexts.DateIs).ToProblem();
        }

        var statement = await Ledger(user, grains).GetStatement(day);
        return http.Headers.Accept.Any(a => a?.Contains("text/csv", StringComparison.OrdinalIgnoreCase) == true)
            ? TypedResults.File(Encoding.UTF8.GetBytes(StatementCsv.Of(statement)), "text/csv; charset=utf-8", $"statement-{date}.csv")
            : TypedResults.Ok(statement);
    }

    public static async Task<Ok<Remittance[]>> ListRemittances(ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok((await Ledger(user, grains).ListRemittances()).ToArray());

    public static async Task<Results<Ok<Remittance>, ProblemHttpResult>> ConfirmRemittance(string remittanceId, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Ids.IsWellFormed(remittanceId, RemittanceIds.Prefix))
        {
            return Problems.NotFoundProblem(FulfilmentTexts.TheRemittance);
        }

        var confirmed = await Ledger(user, grains).ConfirmRemittance(remittanceId);
        return confirmed.Succeeded ? TypedResults.Ok(confirmed.Value) : Problems.From(confirmed.Refusal);
    }

    public static async Task<Ok<AgentCashHeld[]>> GetCash(ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok((await grains.GetGrain<IAgentCashGrain>(user.AgentId()).GetHeld()).ToArray());

    public static async Task<Results<Created<Remittance>, ValidationProblem, ProblemHttpResult>> Remit(RemitRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        var errors = new RequestErrors().Range("amountMinor", request.AmountMinor, 1, Lots.LotLimits.MaxPriceMinor);
        if (!Ids.IsWellFormed(request.SellerId, Ids.SellerPrefix))
        {
            errors.Add("sellerId", FulfilmentApiTexts.NotASeller);
        }

        if (!Iso4217.IsCurrency(request.Currency))
        {
            errors.Add("currency", ApiTexts.NotACurrency.Format("currency"));
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var remitted = await grains.GetGrain<IAgentCashGrain>(user.AgentId()).Remit(request.SellerId!, request.Currency!, request.AmountMinor!.Value);
        return remitted.Succeeded
            ? TypedResults.Created($"/api/sellers/me/remittances/{remitted.Value.RemittanceId}", remitted.Value)
            : Problems.From(remitted.Refusal);
    }

    private static ISellerLedgerGrain Ledger(ClaimsPrincipal user, IGrainFactory grains) => grains.GetGrain<ISellerLedgerGrain>(user.SellerId());
}

public sealed record LedgerView(LedgerBalance[] Balances);

public sealed record RemitRequest(string? SellerId, string? Currency, long? AmountMinor);
