namespace FlashSale.Lots;

/// <summary>What a seller decides when creating a lot: everything except the live counts.</summary>
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
    [property: Id(9)] WaitingRooms.WaitingRoomPolicy? WaitingRoom = null);
