namespace FlashSale.Lots;

/// <summary>
/// One order's part of a declared harvest: what it ordered against the forecast, and what it was
/// allocated. For units sold by weight, <see cref="PackedGrams"/> is what the seller packed for it
/// and <see cref="AdjustmentMinor"/> what that weighs against the nominal weight, in money (more or
/// less than price × allocated), carried by the order's balance.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record HarvestOrderShare(
    [property: Id(0)] string OrderId,
    [property: Id(1)] int Ordered,
    [property: Id(2)] int Allocated,
    [property: Id(3), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] long? PackedGrams = null,
    [property: Id(4)] long AdjustmentMinor = 0);

/// <summary>The answer to a harvest declaration, as the contract fixes it: the declared quantity and every order's share.</summary>
[GenerateSerializer, Immutable]
public sealed record HarvestDeclaration(
    [property: Id(0)] string LotId,
    [property: Id(1)] int Declared,
    [property: Id(2)] IReadOnlyList<HarvestOrderShare> Orders,
    [property: Id(3)] DateTimeOffset DeclaredAt);

/// <summary>Units of a harvest moving out of their presale lot to a new standard lot, <see cref="NewLotId"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record SurplusRelease(
    [property: Id(0)] string NewLotId,
    [property: Id(1)] int Quantity);

/// <summary>Where a presale order stands with its lot's harvest; serialized in kebab case.</summary>
public enum OrderHarvestState
{
    /// <summary>The harvest window is open and nothing is declared yet.</summary>
    Pending,

    /// <summary>The harvest is declared and this order's share allocated.</summary>
    Allocated,

    /// <summary>The window closed with nothing declared: the seller cannot deliver, every deposit goes back.</summary>
    Lapsed,
}

/// <summary>What a presale lot tells one of its orders about the harvest.</summary>
[GenerateSerializer, Immutable]
public sealed record OrderHarvest(
    [property: Id(0)] OrderHarvestState State,
    [property: Id(1)] int Allocated,
    [property: Id(2)] DateTimeOffset? DecidedAt,
    [property: Id(3)] long? PackedGrams = null,
    [property: Id(4)] long AdjustmentMinor = 0);
