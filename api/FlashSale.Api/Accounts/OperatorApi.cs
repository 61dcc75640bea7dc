using System.Globalization;
using FlashSale.Accounts;
using FlashSale.Api.Apis;
using FlashSale.Api.Extensions;
using FlashSale.Cluster.Embedded;
using FlashSale.Api.Identity;
using FlashSale.Common;
using FlashSale.Lots;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FlashSale.Api.Accounts;

/// <summary>The operators' routes: decide applications, suspend accounts, take lots down, back up the data folder.</summary>
public static class OperatorApi
{
    public static IEndpointRouteBuilder MapOperatorApi(this IEndpointRouteBuilder app)
    {
        var op = app.MapGroup("/api/operator").WithTags("Operators").RequireAuthorization(Roles.Operator);
        op.MapGet("/applications", ListApplications).WithSummary("Applications, by status (pending, approved, rejected; all without one)");
        op.MapPost("/applications/{applicationId}/approve", Approve).WithSummary("Approve an application: the role is the account's from its next refresh");
        op.MapPost("/applications/{applicationId}/reject", Reject).WithSummary("Reject an application");
        op.MapPost("/accounts/{accountId}/suspend", Suspend).WithSummary("Suspend an account: its tokens stop working within 60 s on every node");
        op.MapPost("/lots/{lotId}/take-down", TakeDown).WithSummary("Take a lot down: it leaves the catalog, its holds return, placed orders stand");
        // A backup writes a checkpoint and copies the folder: seconds to minutes, not an engine call,
        // so the engine's 3 s deadline does not bound it (CI's first run of it saw a 503 at 3 s).
        op.MapPost("/backups", TakeBackup).WithSummary("Back up the running data folder into a new folder of the backup path, ready for --data")
            .WithRequestTimeout(BackupTimeout);
        return app;
    }

    /// <summary>The longest a backup may take before its request is given up (and its partial copy deleted).</summary>
    public static readonly TimeSpan BackupTimeout = TimeSpan.FromMinutes(30);

    public static async Task<Results<Created<DataFolderBackupResult>, ProblemHttpResult>> TakeBackup(
        IServiceProvider services, [FromKeyedServices(FlashSaleClock.Key)] TimeProvider time, CancellationToken cancellation)
    {
        // Resolved here rather than bound: a cluster's API node has no embedded store to inject.
        if (services.GetService<EmbeddedRedisServer>() is not { } store || services.GetService<DataFolderOptions>() is not { } data)
        {
            return Problems.Problem(StatusCodes.Status409Conflict, Problems.Conflict, AccountApiTexts.BackupIsRedisOwn);
        }

        if (!store.Durable)
        {
            return Problems.Problem(StatusCodes.Status409Conflict, Problems.Conflict, AccountApiTexts.NothingOnDiskToBackUp);
        }

        var folder = Path.Combine(data.FullBackupPath, time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss.fff'Z'", CultureInfo.InvariantCulture));
        if (Directory.Exists(folder))
        {
            return Problems.Problem(StatusCodes.Status409Conflict, Problems.Conflict, AccountApiTexts.BackupUnderWay);
        }

        var backup = await DataFolderBackup.TakeAsync(store, folder, time, cancellation);
        return TypedResults.Created((string?)null, backup);
    }

    public static async Task<Results<Ok<IReadOnlyList<Application>>, ValidationProblem>> ListApplications(string? status, IGrainFactory grains)
    {
        ApplicationStatus? wanted = status switch
        {
            "pending" => ApplicationStatus.Pending,
            "approved" => ApplicationStatus.Approved,
            "rejected" => ApplicationStatus.Rejected,
            _ => null,
        };
        if (status is not null && wanted is null)
        {
            return new RequestErrors().Add("status", AccountApiTexts.StatusChoice.Format("status")).ToProblem();
        }

        return TypedResults.Ok(await grains.GetGrain<IApplicationsGrain>(0).List(wanted));
    }

    public static Task<Results<Ok<Application>, ProblemHttpResult>> Approve(string applicationId, IGrainFactory grains) =>
        Decide(applicationId, grains, (applications, id) => applications.Approve(id));

    public static Task<Results<Ok<Application>, ProblemHttpResult>> Reject(string applicationId, IGrainFactory grains) =>
        Decide(applicationId, grains, (applications, id) => applications.Reject(id));

    public static async Task<Results<Ok<SuspendedAccount>, ProblemHttpResult>> Suspend(string accountId, IGrainFactory grains, AccountStandingCache standing)
    {
        if (!AccountIds.IsAccountId(accountId) || await grains.GetGrain<IAccountGrain>(accountId).Suspend() is not { } account)
        {
            return Problems.NotFoundProblem(AccountTexts.TheAccount);
        }

        standing.Evict(accountId);
        return TypedResults.Ok(new SuspendedAccount(account.AccountId, account.Suspended));
    }

    public static async Task<Results<Ok<Lot>, ProblemHttpResult>> TakeDown(string lotId, IGrainFactory grains)
    {
        if (!LotsApi.IsLotId(lotId))
        {
            return Problems.NotFoundProblem(EngineTexts.TheLot);
        }

        // The lot first: once it has ended and returned its holds, leaving the catalog is only
        // a listing, and a retry after a failure in between finishes it.
        var taken = await grains.GetGrain<IProduceLotGrain>(lotId).TakeDown();
        if (!taken.Succeeded)
        {
            return Problems.From(taken.Refusal);
        }

        await grains.GetGrain<ILotCatalogGrain>(0).Remove(lotId);
        return TypedResults.Ok(taken.Value);
    }

    private static async Task<Results<Ok<Application>, ProblemHttpResult>> Decide(
        string applicationId, IGrainFactory grains, Func<IApplicationsGrain, string, Task<Outcome<Application>>> decide)
    {
        if (!AccountIds.IsApplicationId(applicationId))
        {
            return Problems.NotFoundProblem(AccountTexts.TheApplication);
        }

        var decided = await decide(grains.GetGrain<IApplicationsGrain>(0), applicationId);
        return decided.Succeeded ? TypedResults.Ok(decided.Value) : Problems.From(decided.Refusal);
    }
}

public sealed record SuspendedAccount(string AccountId, bool Suspended);
