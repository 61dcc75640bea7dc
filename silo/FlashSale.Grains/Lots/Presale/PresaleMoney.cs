namespace FlashSale.Lots.Presale;

/// <summary>
/// One order's money once the harvest is allocated, in minor units: the deposit it paid on every
/// ordered unit, the deposit refunded on the units it did not receive, and the balance it owes on
/// the units it did. Deposit + balance − refund is always price × allocated units.
/// </summary>
internal readonly record struct PresaleSettlement(long DepositPaid, long Refund, long BalanceDue)
{
    /// <summary>What the seller is credited for the order: price × allocated units.</summary>
    public long SellerCredit => checked(DepositPaid + BalanceDue - Refund);
}

/// <summary>The presale's money rules, per order; pure, like the allocation they follow.</summary>
internal static class PresaleMoney
{
    /// <summary>
    /// Settles <paramref name="share"/> at <paramref name="priceMinor"/> per unit under
    /// <paramref name="terms"/>. Refuses (false) inputs outside the lot's limits — a price above
    /// <see cref="LotLimits.MaxPriceMinor"/>, more than <see cref="LotLimits.MaxQuantity"/> units,
    /// an allocation outside [0, ordered], a deposit share outside the terms' range — since within
    /// them no product can leave 64 bits; the arithmetic is checked all the same, so a change to the
    /// limits fails loudly instead of wrapping.
    /// </summary>
    public static bool TrySettle(PresaleTerms terms, long priceMinor, HarvestShare share, out PresaleSettlement settlement)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(share);
        settlement = default;
        if (priceMinor is < 1 or > LotLimits.MaxPriceMinor
            || terms.DepositPercent is < PresaleTerms.MinDepositPercent or > PresaleTerms.MaxDepositPercent
            || share.Ordered is < 1 or > LotLimits.MaxQuantity
            || share.Allocated < 0 || share.Allocated > share.Ordered)
        {
            return false;
        }

        return TrySettle(priceMinor, terms.DepositPerUnit(priceMinor), share.Ordered, share.Allocated, out settlement);
    }

    /// <summary>The same, for an order that already knows its deposit per unit (it was charged at checkout).</summary>
    public static bool TrySettle(long priceMinor, long depositPerUnitMinor, int ordered, int allocated, out PresaleSettlement settlement)
    {
        settlement = default;
        if (priceMinor is < 1 or > LotLimits.MaxPriceMinor || depositPerUnitMinor < 1 || depositPerUnitMinor > priceMinor
            || ordered is < 1 or > LotLimits.MaxQuantity || allocated < 0 || allocated > ordered)
        {
            return false;
        }

        settlement = new PresaleSettlement(
            DepositPaid: checked(depositPerUnitMinor * ordered),
            Refund: checked(depositPerUnitMinor * (ordered - allocated)),
            BalanceDue: checked((priceMinor - depositPerUnitMinor) * allocated));
        return true;
    }
}
