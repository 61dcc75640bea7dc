using System.Security.Cryptography;
using System.Text;
using FlashSale.Common;

namespace FlashSale.Accounts;

/// <summary>
/// Refresh tokens are <c>&lt;accountId&gt;.&lt;familyId&gt;.&lt;secret&gt;</c>: the ids route the
/// token to its account grain with no lookup table, and the 256-bit secret is what proves it.
/// Only a SHA-256 of the whole token is stored: the secret is random and long, so a fast hash is
/// as good as a slow one, and a copy of storage holds nothing that signs anyone in.
/// </summary>
public static class RefreshTokens
{
    public const int MaxLength = 128;

    public static string New(string accountId, string familyId)
    {
        Span<byte> secret = stackalloc byte[32];
        RandomNumberGenerator.Fill(secret);
        return $"{accountId}.{familyId}.{Base64Url(secret)}";
    }

    /// <summary>The account and family a token names, or null when it has not the shape of a refresh token.</summary>
    public static (string AccountId, string FamilyId)? Parse(string? token)
    {
        if (token is null || token.Length > MaxLength)
        {
            return null;
        }

        var parts = token.Split('.');
        return parts.Length == 3 && AccountIds.IsAccountId(parts[0]) && Ids.IsWellFormed(parts[1], AccountIds.FamilyPrefix) && parts[2].Length == 43
            ? (parts[0], parts[1])
            : null;
    }

    public static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
