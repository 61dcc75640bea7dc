using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FlashSale.Payments;

/// <summary>What was wrong with a signature, for logs; every value but <see cref="Valid"/> is a 401.</summary>
public enum SignatureCheck
{
    Valid,
    Missing,
    Malformed,
    OutsideTolerance,
    NoMatch,
}

/// <summary>
/// The webhook signature of the contract: <c>FlashSale-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</c>
/// where the hex is HMAC-SHA256(secret, "&lt;t&gt;.&lt;raw body&gt;"). The timestamp is signed with the body,
/// so a captured delivery cannot be replayed outside the tolerance, and a changed byte of the body
/// fails the check. Several <c>v1</c> values are accepted (a gateway may sign with two secrets
/// while it rotates), and several secrets are tried (the engine may trust two while it rotates).
/// </summary>
public static class WebhookSignature
{
    public const string HeaderName = "FlashSale-Signature";

    // A header longer than this is not a signature of ours; reading it would only cost.
    private const int MaxHeaderLength = 1024;
    private const int MaxTimestampDigits = 12;
    private const int MacLength = 32;

    public static string Sign(string secret, long unixSeconds, ReadOnlySpan<byte> body) =>
        $"t={unixSeconds.ToString(CultureInfo.InvariantCulture)},v1={Convert.ToHexStringLower(Mac(secret, unixSeconds, body))}";

    public static SignatureCheck Verify(string? header, ReadOnlySpan<byte> body, IReadOnlyList<string> secrets, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return SignatureCheck.Missing;
        }

        if (header.Length > MaxHeaderLength || !TryParse(header, out var timestamp, out var candidates))
        {
            return SignatureCheck.Malformed;
        }

        var skew = Math.Abs(now.ToUnixTimeSeconds() - timestamp);
        if (skew > tolerance.TotalSeconds)
        {
            return SignatureCheck.OutsideTolerance;
        }

        // Every secret is compared with every candidate, in constant time and without stopping
        // at the first match, so the time taken says nothing about which part matched.
        var matched = false;
        foreach (var secret in secrets)
        {
            var expected = Mac(secret, timestamp, body);
            foreach (var candidate in candidates)
            {
                matched |= CryptographicOperations.FixedTimeEquals(expected, candidate);
            }
        }

        return matched ? SignatureCheck.Valid : SignatureCheck.NoMatch;
    }

    private static byte[] Mac(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
    }

    private static bool TryParse(string header, out long timestamp, out List<byte[]> candidates)
    {
        timestamp = 0;
        candidates = [];
        var sawTimestamp = false;
        foreach (var part in header.Split(','))
        {
            var separator = part.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                return false;
            }

            var key = part[..separator].Trim();
            var value = part[(separator + 1)..].Trim();
            switch (key)
            {
                case "t":
                    if (sawTimestamp || value.Length is 0 or > MaxTimestampDigits || !value.All(char.IsAsciiDigit))
                    {
                        return false;
                    }

                    timestamp = long.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
                    sawTimestamp = true;
                    break;

                case "v1":
                    if (value.Length != MacLength * 2 || !value.All(char.IsAsciiHexDigit))
                    {
                        return false;
                    }

                    candidates.Add(Convert.FromHexString(value));
                    break;

                default:
                    break; // other schemes (a future v2) are not ours to judge
            }
        }

        return sawTimestamp && candidates.Count > 0;
    }
}
