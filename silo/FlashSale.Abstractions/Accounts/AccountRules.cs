namespace FlashSale.Accounts;

/// <summary>The fixed rules of sign-in: the contract's numbers, kept in one place.</summary>
public static class AccountRules
{
    /// <summary>A one-time code has this many digits.</summary>
    public const int CodeDigits = 6;

    /// <summary>A code is good for this long after it was sent.</summary>
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(5);

    /// <summary>Wrong tries that kill a code.</summary>
    public const int MaxWrongTries = 5;

    /// <summary>Codes sent to one number within <see cref="CodeWindow"/>.</summary>
    public const int MaxCodesPerWindow = 5;

    public static readonly TimeSpan CodeWindow = TimeSpan.FromHours(1);

    /// <summary>A refresh-token family lives this long after its last use, then signs in again.</summary>
    public static readonly TimeSpan RefreshIdleLifetime = TimeSpan.FromDays(30);

    /// <summary>Signed-in devices per account; signing in on one more drops the least recently used.</summary>
    public const int MaxFamilies = 10;

    /// <summary>Rotated refresh tokens remembered per family, so that their reuse is recognised.</summary>
    public const int RememberedRotations = 64;
}
