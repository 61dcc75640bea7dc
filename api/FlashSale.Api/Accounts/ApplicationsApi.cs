using System.Security.Claims;
using FlashSale.Accounts;
using FlashSale.Api.Extensions;
using FlashSale.Api.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FlashSale.Api.Accounts;

/// <summary>
/// An account applies to sell or to be a village agent; an operator decides. Until approved the
/// account is a shopper only, so seller and agent routes answer it 403 <c>forbidden</c>; the new
/// role is in the token from the next refresh.
/// </summary>
public static class ApplicationsApi
{
    public static IEndpointRouteBuilder MapApplicationsApi(this IEndpointRouteBuilder app)
    {
        var applications = app.MapGroup("/api/applications").WithTags("Accounts").RequireAuthorization();
        applications.MapPost("/", Apply).WithSummary("Apply to sell or to be a village agent");
        applications.MapGet("/mine", Mine).WithSummary("The caller's applications, oldest first");
        return app;
    }

    public static async Task<Results<Accepted<Application>, ValidationProblem, ProblemHttpResult>> Apply(
        ApplicationBody request, ClaimsPrincipal user, IGrainFactory grains)
    {
        var errors = new RequestErrors().Text("name", request.Name).Text("village", request.Village);
        var role = ParseRole(errors, request.Role);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (user.AccountId() is not { } accountId)
        {
            return Problems.Problem(StatusCodes.Status403Forbidden, Problems.Forbidden, AccountApiTexts.AccountsOnly);
        }

        var submitted = await grains.GetGrain<IApplicationsGrain>(0).Submit(accountId, role!.Value, request.Name!.Trim(), request.Village!.Trim());
        return submitted.Succeeded
            ? TypedResults.Accepted($"/api/applications/mine", submitted.Value)
            : Problems.From(submitted.Refusal);
    }

    public static async Task<Results<Ok<IReadOnlyList<Application>>, ProblemHttpResult>> Mine(ClaimsPrincipal user, IGrainFactory grains) =>
        user.AccountId() is { } accountId
            ? TypedResults.Ok(await grains.GetGrain<IApplicationsGrain>(0).ListByAccount(accountId))
            : Problems.Problem(StatusCodes.Status403Forbidden, Problems.Forbidden, AccountApiTexts.AccountsOnly);

    private static ApplicationRole? ParseRole(RequestErrors errors, string? role)
    {
        switch (role)
        {
            case "seller":
                return ApplicationRole.Seller;
            case "agent":
                return ApplicationRole.Agent;
            case null:
                errors.Add("role", ApiTexts.Required.Format("role"));
                return null;
            default:
                errors.Add("role", AccountApiTexts.RoleChoice.Format("role"));
                return null;
        }
    }
}

public sealed record ApplicationBody(string? Role, string? Name, string? Village);
