namespace FlashSale.Lots.Presale;

/// <summary>An order's claim on a presale harvest: the units it committed a deposit to, and when.</summary>
internal sealed record HarvestClaim(string OrderId, int Ordered, DateTimeOffset OrderedAt);

/// <summary>What an order receives of the declared harvest; <see cref="Allocated"/> is never above <see cref="Ordered"/>.</summary>
internal sealed record HarvestShare(string OrderId, int Ordered, int Allocated);

/// <summary>
/// Shares a declared harvest among a presale lot's orders (issue #16). Pure and synchronous, like
/// the lot's other rules, so the grain decides with it in one turn and every case is testable
/// without Orleans.
/// </summary>
/// <remarks>
/// The arithmetic is in <see cref="long"/>, which holds every product and sum for any
/// <see cref="int"/> inputs: declared × ordered is below 2^62, and the total ordered is below
/// 2^62 for any count of claims an array can hold.
/// </remarks>
internal static class HarvestAllocation
{
    /// <summary>
    /// Allocates <paramref name="declared"/> units among <paramref name="claims"/>. A harvest that
    /// covers every ordered unit fills every order; a shortfall is shared by
    /// <paramref name="rule"/>, and all of it is allocated.
    /// </summary>
    /// <returns>One share per claim, in the order the claims were given.</returns>
    /// <exception cref="ArgumentException">A claim orders no units, lacks an order id, or repeats one; or the harvest is negative.</exception>
    public static IReadOnlyList<HarvestShare> Allocate(IReadOnlyList<HarvestClaim> claims, int declared, PresaleAllocation rule)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentOutOfRangeException.ThrowIfNegative(declared);
        var totalOrdered = TotalOrdered(claims);

        var allocated = new int[claims.Count];
        if (declared >= totalOrdered)
        {
            for (var i = 0; i < claims.Count; i++)
            {
                allocated[i] = claims[i].Ordered;
            }
        }
        else if (rule == PresaleAllocation.ProRata)
        {
            ShareProRata(claims, declared, totalOrdered, allocated);
        }
        else if (rule == PresaleAllocation.FirstCome)
        {
            FillFirstCome(claims, declared, allocated);
        }
        else
        {
            throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown presale allocation rule.");
        }

        var shares = new HarvestShare[claims.Count];
        for (var i = 0; i < claims.Count; i++)
        {
            shares[i] = new HarvestShare(claims[i].OrderId, claims[i].Ordered, allocated[i]);
        }

        return shares;
    }

    private static long TotalOrdered(IReadOnlyList<HarvestClaim> claims)
    {
        // Order ids break the last ties, so a repeated id would leave the result to the input's order.
        var orderIds = new HashSet<string>(claims.Count, StringComparer.Ordinal);
        long total = 0;
        foreach (var claim in claims)
        {
            ArgumentNullException.ThrowIfNull(claim, nameof(claims));
            if (string.IsNullOrEmpty(claim.OrderId))
            {
                throw new ArgumentException("Every claim names its order.", nameof(claims));
            }

            if (claim.Ordered <= 0)
            {
                throw new ArgumentException($"Order {claim.OrderId} claims {claim.Ordered} units; a claim is for at least one.", nameof(claims));
            }

            if (!orderIds.Add(claim.OrderId))
            {
                throw new ArgumentException($"Order {claim.OrderId} claims twice.", nameof(claims));
            }

            total += claim.Ordered;
        }

        return total;
    }

    /// <summary>
    /// Largest remainder: each order first gets the floor of its exact share, declared × ordered /
    /// total; the units that rounding leaves over go one each to the largest remainders, earlier
    /// orders first, then by order id. Only called on a shortfall (declared &lt; total).
    /// </summary>
    private static void ShareProRata(IReadOnlyList<HarvestClaim> claims, int declared, long totalOrdered, int[] allocated)
    {
        var remainders = new long[claims.Count];
        long floors = 0;
        for (var i = 0; i < claims.Count; i++)
        {
            var exact = (long)declared * claims[i].Ordered;

            // Below the order's own units, as declared < total, so it fits an int.
            allocated[i] = (int)(exact / totalOrdered);
            remainders[i] = exact % totalOrdered;
            floors += allocated[i];
        }

        // The remainders sum to leftover × total and each is below total, so more than leftover
        // of them are positive: every unit handed out here goes to an order whose exact share was
        // rounded down, which keeps it within what the order asked for.
        var leftover = declared - floors;
        if (leftover == 0)
        {
            return;
        }

        var byPrecedence = Indices(claims.Count);
        Array.Sort(byPrecedence, (a, b) =>
        {
            var byRemainder = remainders[b].CompareTo(remainders[a]);
            return byRemainder != 0 ? byRemainder : CompareByTimeThenId(claims[a], claims[b]);
        });

        for (var k = 0; k < leftover; k++)
        {
            allocated[byPrecedence[k]]++;
        }
    }

    /// <summary>Earliest orders are filled whole, the one at the boundary gets what is left, later ones nothing.</summary>
    private static void FillFirstCome(IReadOnlyList<HarvestClaim> claims, int declared, int[] allocated)
    {
        var byTime = Indices(claims.Count);
        Array.Sort(byTime, (a, b) => CompareByTimeThenId(claims[a], claims[b]));

        var left = declared;
        foreach (var i in byTime)
        {
            var given = Math.Min(left, claims[i].Ordered);
            allocated[i] = given;
            left -= given;
        }
    }

    private static int CompareByTimeThenId(HarvestClaim a, HarvestClaim b)
    {
        var byTime = a.OrderedAt.CompareTo(b.OrderedAt);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.OrderId, b.OrderId);
    }

    private static int[] Indices(int count)
    {
        var indices = new int[count];
        for (var i = 0; i < count; i++)
        {
            indices[i] = i;
        }

        return indices;
    }
}
