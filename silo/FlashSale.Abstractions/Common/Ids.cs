using System.Security.Cryptography;

namespace FlashSale.Common;

/// <summary>
/// Identifiers are short, URL-safe and self-describing (<c>lot_…</c>, <c>ord_…</c>) so that a log
/// line or a support ticket tells at a glance what kind of thing an id names.
/// </summary>
public static class Ids
{
    public const string LotPrefix = "lot_";
    public const string OrderPrefix = "ord_";
    public const string PaymentPrefix = "pay_";
    public const string SellerPrefix = "sel_";
    public const string ShopperPrefix = "shp_";
    public const string AgentPrefix = "agt_";
    public const string EventPrefix = "evt_";

    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    /// <summary>A new id: the prefix and 16 random Crockford base-32 characters (80 bits).</summary>
    public static string New(string prefix)
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return string.Create(prefix.Length + 16, (prefix, bytes.ToArray()), static (span, s) =>
        {
            s.prefix.AsSpan().CopyTo(span);
            for (var i = 0; i < 16; i++)
            {
                span[s.prefix.Length + i] = Alphabet[s.Item2[i] & 31];
            }
        });
    }

    /// <summary>True when <paramref name="id"/> has the shape of an id with this prefix.</summary>
    public static bool IsWellFormed(string? id, string prefix)
    {
        if (id is null || id.Length != prefix.Length + 16 || !id.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        for (var i = prefix.Length; i < id.Length; i++)
        {
            if (!Alphabet.Contains(id[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
