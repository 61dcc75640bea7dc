using FlashSale.Common;
using Microsoft.Extensions.DependencyInjection;

namespace FlashSale.Accounts;

/// <summary>Every application, in the order they came. Applications are rare: one grain serves them all.</summary>
internal sealed class ApplicationsGrain(
    [PersistentState("applications", StorageNames.Default)] IPersistentState<ApplicationsState> state,
    [FromKeyedServices(FlashSaleClock.Key)] TimeProvider time) : Grain, IApplicationsGrain
{
    public async Task<Outcome<Application>> Submit(string accountId, ApplicationRole role, string name, string village)
    {
        if (await GrainFactory.GetGrain<IAccountGrain>(accountId).Get() is not { } account)
        {
            return Refusal.NotFound(AccountTexts.TheAccount);
        }

        if ((role == ApplicationRole.Seller ? account.SellerId : account.AgentId) is not null)
        {
            return Refusal.Conflict(AccountTexts.AlreadyHolds);
        }

        if (state.State.Applications.Any(a => a.AccountId == accountId && a.Role == role && a.Status == ApplicationStatus.Pending))
        {
            return Refusal.Conflict(AccountTexts.AlreadyPending);
        }

        var application = new Application(Ids.New(AccountIds.ApplicationPrefix), accountId, role, name, village, ApplicationStatus.Pending, time.GetUtcNow(), null);
        state.State.Applications.Add(application);
        await state.WriteStateAsync();
        return Outcome<Application>.Ok(application);
    }

    public Task<IReadOnlyList<Application>> ListByAccount(string accountId) =>
        Task.FromResult<IReadOnlyList<Application>>(state.State.Applications.Where(a => a.AccountId == accountId).ToList());

    public Task<IReadOnlyList<Application>> List(ApplicationStatus? status) =>
        Task.FromResult<IReadOnlyList<Application>>(state.State.Applications.Where(a => status is null || a.Status == status).ToList());

    public async Task<Outcome<Application>> Approve(string applicationId)
    {
        if (Pending(applicationId) is not (var index, var application))
        {
            return RefusalFor(applicationId);
        }

        // The role first: a crash before the write below leaves the application pending, and its
        // second approval grants nothing twice (Grant is idempotent).
        if (await GrainFactory.GetGrain<IAccountGrain>(application.AccountId).Grant(application.Role) is not { } account)
        {
            return Refusal.NotFound(AccountTexts.TheAccount);
        }

        // An approved agent's station is a service point from now on (GET /api/pickup-points), under
        // the name and village the application gave; registering is idempotent, like the grant.
        if (application.Role == ApplicationRole.Agent && account.AgentId is { } agentId)
        {
            await GrainFactory.GetGrain<Fulfilment.IPickupPointDirectoryGrain>(0).Register(agentId, application.Name, application.Village);
        }

        return await Decide(index, application, ApplicationStatus.Approved);
    }

    public async Task<Outcome<Application>> Reject(string applicationId) =>
        Pending(applicationId) is (var index, var application)
            ? await Decide(index, application, ApplicationStatus.Rejected)
            : RefusalFor(applicationId);

    private async Task<Outcome<Application>> Decide(int index, Application application, ApplicationStatus status)
    {
        var decided = application with { Status = status, DecidedAt = time.GetUtcNow() };
        state.State.Applications[index] = decided;
        await state.WriteStateAsync();
        return Outcome<Application>.Ok(decided);
    }

    private (int Index, Application Application)? Pending(string applicationId)
    {
        var index = state.State.Applications.FindIndex(a => a.ApplicationId == applicationId);
        return index >= 0 && state.State.Applications[index].Status == ApplicationStatus.Pending ? (index, state.State.Applications[index]) : null;
    }

    private Refusal RefusalFor(string applicationId) =>
        state.State.Applications.Find(a => a.ApplicationId == applicationId) is { } decided
            ? Refusal.Conflict(AccountTexts.AlreadyDecided.Format(decided.Status == ApplicationStatus.Approved ? AccountTexts.Approved : AccountTexts.Rejected))
            : Refusal.NotFound(AccountTexts.TheApplication);
}

[GenerateSerializer]
public sealed class ApplicationsState
{
    [Id(0)]
    public List<Application> Applications { get; set; } = [];
}
