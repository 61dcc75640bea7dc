using FlashSale.Common;

namespace FlashSale.Accounts;

/// <summary>The roles one applies for; serialized in kebab case (<c>seller</c>, <c>agent</c>).</summary>
public enum ApplicationRole
{
    Seller,
    Agent,
}

public enum ApplicationStatus
{
    Pending,
    Approved,
    Rejected,
}

/// <summary>An account's application to sell, or to serve a village as an agent.</summary>
[GenerateSerializer, Immutable]
public sealed record Application(
    [property: Id(0)] string ApplicationId,
    [property: Id(1)] string AccountId,
    [property: Id(2)] ApplicationRole Role,
    [property: Id(3)] string Name,
    [property: Id(4)] string Village,
    [property: Id(5)] ApplicationStatus Status,
    [property: Id(6)] DateTimeOffset SubmittedAt,
    [property: Id(7)] DateTimeOffset? DecidedAt);

/// <summary>
/// Every application (one grain, key 0): operators list them by status, and approving one grants
/// the role on the account before the application is marked approved, so a crash in between
/// leaves a pending application whose second approval changes nothing more.
/// </summary>
public interface IApplicationsGrain : IGrainWithIntegerKey
{
    /// <summary>A new pending application; 409 while the same account has one pending for the same role, or already holds it.</summary>
    Task<Outcome<Application>> Submit(string accountId, ApplicationRole role, string name, string village);

    Task<IReadOnlyList<Application>> ListByAccount(string accountId);

    Task<IReadOnlyList<Application>> List(ApplicationStatus? status);

    Task<Outcome<Application>> Approve(string applicationId);

    Task<Outcome<Application>> Reject(string applicationId);
}
