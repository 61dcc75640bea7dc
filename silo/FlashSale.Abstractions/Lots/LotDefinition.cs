namespace FlashSale.Lots;

/// <summary>
/// What a seller decides when creating a lot: everything except the live counts.
/// <see cref="Edition"/> counts the seller's edits, so a cart can tell terms it read before an edit.
/// <see cref="PhoneCode"/> is the short number a feature phone names the lot by (menus, <c>BUY 101 2</c>),
/// given by <see cref="IPhoneCodeDirectoryGrain"/> when the lot is created; a seller never chooses it.
/// <see cref="Presale"/> makes the lot a presale: its quantity is a forecast, sold for a deposit until the harvest is declared.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LotDefinition(
    [property: Id(0)] string SellerId,
    [property: Id(1)] string Name,
    [property: Id(2)] string Unit,
    [property: Id(3)] long PriceMinor,
    [property: Id(4)] string Currency,
    [property: Id(5)] int Quantity,
    [property: Id(6)] int PerShopperLimit,
    [property: Id(7)] DateTimeOffset? StartsAt,
    [property: Id(8)] DateTimeOffset? EndsAt,
    [property: Id(9)] WaitingRooms.WaitingRoomPolicy? WaitingRoom = null,
    [property: Id(10)] int Edition = 0,
    [property: Id(11)] int? PhoneCode = null,
    [property: Id(12)] PresaleTerms? Presale = null)
{
    public LotKind Kind => Presale is null ? LotKind.Standard : LotKind.Presale;
}

/// <summary>A seller's change of a lot's terms before it opens; a null field keeps its value.</summary>
[GenerateSerializer, Immutable]
public sealed record LotEdit(
    [property: Id(0)] string? Name = null,
    [property: Id(1)] string? Unit = null,
    [property: Id(2)] long? PriceMinor = null,
    [property: Id(3)] int? PerShopperLimit = null,
    [property: Id(4)] DateTimeOffset? StartsAt = null,
    [property: Id(5)] DateTimeOffset? EndsAt = null);
