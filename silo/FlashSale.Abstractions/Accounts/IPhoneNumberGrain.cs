using Orleans.Concurrency;

namespace FlashSale.Accounts;

/// <summary>The answer to a code request: when the code expires, or when the next one may be asked for.</summary>
[GenerateSerializer, Immutable]
public sealed record CodeRequest([property: Id(0)] DateTimeOffset? ExpiresAt, [property: Id(1)] DateTimeOffset? RetryAt)
{
    public bool Sent => ExpiresAt is not null;
}

/// <summary>
/// One phone number (key: its E.164 form): the one account it belongs to, and its one-time codes.
/// Every code rule is judged here, one call at a time, so the limits hold across API nodes:
/// at most 5 codes per hour, each valid 5 minutes, and a code dies at its 5th wrong try.
/// </summary>
public interface IPhoneNumberGrain : IGrainWithStringKey
{
    /// <summary>
    /// Sends a new code (the previous one dies), or refuses with <see cref="CodeRequest.RetryAt"/>
    /// past the hourly limit. It does the same whether or not the number has an account.
    /// </summary>
    Task<CodeRequest> RequestCode();

    /// <summary>
    /// The account id when <paramref name="code"/> is the live code (the account is made on the
    /// number's first sign-in; the code is spent), or null when it is wrong, expired or dead.
    /// </summary>
    Task<string?> VerifyCode(string code);

    [AlwaysInterleave]
    Task<string?> AccountId();

    /// <summary>
    /// The account bound to this number, made now if the number has none: the phone channel's
    /// sign-in, where a signed gateway callback vouches for the number as a code does on the web.
    /// The same one account as the web's phone sign-in, whichever comes first.
    /// </summary>
    Task<Account> BindAccount();

    /// <summary>
    /// The account bound to this number, or null if it has none yet; makes nothing. The phone
    /// channel reads this when a session opens and binds only when the number first acts, so a
    /// number that only looks writes nothing.
    /// </summary>
    Task<Account?> BoundAccount();
}
