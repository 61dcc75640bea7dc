namespace FlashSale.Common;

/// <summary>
/// Ceilings on money (<c>FlashSale:Limits</c>). Totals are 64-bit minor units; the ceiling keeps
/// every cart and order far below where a sum could wrap, and is judged before any stock moves.
/// </summary>
public sealed class MoneyLimitOptions
{
    public const string Section = "FlashSale:Limits";

    /// <summary>The largest cart or order total, in minor units (default 10⁹: ten million yuan).</summary>
    public long MaxOrderTotalMinor { get; set; } = 1_000_000_000;
}

/// <summary>Money arithmetic that says when it would overflow instead of wrapping or throwing.</summary>
public static class Money
{
    /// <summary>Σ price × quantity, or false when any product or the sum leaves 64 bits.</summary>
    public static bool TryTotal(IEnumerable<(long PriceMinor, int Quantity)> lines, out long total)
    {
        total = 0;
        try
        {
            foreach (var (price, quantity) in lines)
            {
                total = checked(total + checked(price * quantity));
            }

            return true;
        }
        catch (OverflowException)
        {
            total = 0;
            return false;
        }
    }

    /// <summary>Whether the lines' total is within the ceiling (an overflow is not).</summary>
    public static bool WithinCeiling(IEnumerable<(long PriceMinor, int Quantity)> lines, long ceiling) =>
        TryTotal(lines, out var total) && total <= ceiling;
}
