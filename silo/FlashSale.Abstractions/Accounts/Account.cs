using Orleans.Concurrency;

namespace FlashSale.Accounts;

/// <summary>
/// One person's account, as the engine knows it. Every account is a shopper
/// (<see cref="ShopperId"/>); <see cref="SellerId"/> and <see cref="AgentId"/> appear once an
/// operator approved the application for that role. Operators are not marked here: the API
/// knows them by their phone numbers in configuration.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Account(
    [property: Id(0)] string AccountId,
    [property: Id(1)] string Phone,
    [property: Id(2)] string ShopperId,
    [property: Id(3)] string? SellerId,
    [property: Id(4)] string? AgentId,
    [property: Id(5)] bool Suspended,
    [property: Id(6)] DateTimeOffset CreatedAt);

/// <summary>
/// A signed-in session's refresh token and what it is for. The token is shown once, to its
/// holder; the engine keeps only its hash.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Session(
    [property: Id(0)] Account Account,
    [property: Id(1)] string FamilyId,
    [property: Id(2)] string RefreshToken,
    [property: Id(3)] DateTimeOffset RefreshExpiresAt);

/// <summary>Why a session could not be started or refreshed.</summary>
public enum SessionRefusal
{
    /// <summary>Unknown, expired or revoked token: 401.</summary>
    Invalid,

    /// <summary>A rotated token came back: its whole family is now revoked, 401.</summary>
    Reused,

    /// <summary>The account is suspended: 403.</summary>
    Suspended,
}

[GenerateSerializer, Immutable]
public sealed record SessionOutcome([property: Id(0)] Session? Session, [property: Id(1)] SessionRefusal? Refusal)
{
    public static SessionOutcome Ok(Session session) => new(session, null);

    public static SessionOutcome Refused(SessionRefusal refusal) => new(null, refusal);
}

/// <summary>
/// What every API node checks an access token against (through a short per-node cache): a
/// suspended account's tokens, and the tokens of a signed-out or revoked family, stop working.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AccountStanding([property: Id(0)] bool Exists, [property: Id(1)] bool Suspended, [property: Id(2)] IReadOnlyList<string> LiveFamilies)
{
    public bool Admits(string familyId) => Exists && !Suspended && LiveFamilies.Contains(familyId, StringComparer.Ordinal);
}

/// <summary>One account (key: account id): its roles, its refresh-token families, its suspension.</summary>
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>Creates the account for <paramref name="phone"/> if it does not exist yet; idempotent.</summary>
    Task<Account> Open(string phone);

    [AlwaysInterleave]
    Task<Account?> Get();

    /// <summary>After a good code: a new refresh-token family (a signed-in device).</summary>
    Task<SessionOutcome> StartSession();

    /// <summary>Rotates <paramref name="refreshToken"/>; a rotated token presented again revokes its family.</summary>
    Task<SessionOutcome> Refresh(string refreshToken);

    /// <summary>Revokes the family of <paramref name="refreshToken"/>. False when the token is not one of this account's.</summary>
    Task<bool> SignOut(string refreshToken);

    /// <summary>Suspends the account: no more sessions, and its tokens stop working. Idempotent.</summary>
    Task<Account?> Suspend();

    /// <summary>Grants a role after an approved application; the id for the role is made once. Idempotent.</summary>
    Task<Account?> Grant(ApplicationRole role);

    [AlwaysInterleave]
    Task<AccountStanding> GetStanding();
}
