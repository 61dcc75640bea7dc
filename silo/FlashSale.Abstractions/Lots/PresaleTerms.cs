namespace FlashSale.Lots;

/// <summary>What a lot sells: stock on hand, or a forecast harvest paid for in two parts; serialized in kebab case.</summary>
public enum LotKind
{
    Standard,
    Presale,
}

/// <summary>How a presale shares a harvest that falls short of its orders; declared when the lot is created. Serialized in kebab case.</summary>
public enum PresaleAllocation
{
    /// <summary>Every order gets the same share of what it ordered; the units left by rounding go by largest remainder, earlier orders first on ties.</summary>
    ProRata,

    /// <summary>Earliest orders are filled whole first.</summary>
    FirstCome,
}

/// <summary>
/// A presale's terms (预售): the lot's quantity is a forecast, the shopper pays a deposit at
/// checkout and the balance once the seller has declared the harvest and it has been allocated.
/// </summary>
/// <param name="DepositPercent">The deposit's share of the price, 1–50.</param>
/// <param name="HarvestFrom">The first instant the seller may declare the harvest.</param>
/// <param name="HarvestTo">The last instant; a harvest undeclared by then refunds every deposit.</param>
/// <param name="BalanceWindowHours">How long an order has to pay its balance after the allocation.</param>
/// <param name="Grade">The grade this lot sells (grades are separate lots of the same harvest).</param>
/// <param name="UnitWeightGrams">The nominal weight of a unit, when units are sold by weight.</param>
/// <param name="WeightTolerancePercent">How far the packed weight may differ from the nominal one.</param>
[GenerateSerializer, Immutable]
public sealed record PresaleTerms(
    [property: Id(0)] int DepositPercent,
    [property: Id(1)] DateTimeOffset HarvestFrom,
    [property: Id(2)] DateTimeOffset HarvestTo,
    [property: Id(3)] int BalanceWindowHours,
    [property: Id(4)] PresaleAllocation Allocation,
    [property: Id(5)] string? Grade = null,
    [property: Id(6)] int? UnitWeightGrams = null,
    [property: Id(7)] int? WeightTolerancePercent = null)
{
    public const int MinDepositPercent = 1;
    public const int MaxDepositPercent = 50;
    public const int MaxBalanceWindowHours = 24 * 30;
    public const int MaxWeightTolerancePercent = 20;

    /// <summary>
    /// The deposit on one unit: the price's share, rounded up to a whole minor unit. Charged per
    /// unit, so an unallocated unit refunds exactly its own deposit and deposits + balances −
    /// refunds is always price × allocated units. The price is at most
    /// <see cref="LotLimits.MaxPriceMinor"/>, so the product fits in 64 bits.
    /// </summary>
    public long DepositPerUnit(long priceMinor) => checked(((priceMinor * DepositPercent) + 99) / 100);
}
