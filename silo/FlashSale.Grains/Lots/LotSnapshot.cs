namespace FlashSale.Lots;

/// <summary>
/// A lot's whole state at one journal sequence number, written now and then so that activation
/// replays a short tail instead of the lot's whole history.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LotSnapshot(
    [property: Id(0)] long Sequence,
    [property: Id(1)] LotDefinition Definition,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] int Quantity,
    [property: Id(4)] int Available,
    [property: Id(5)] int Reserved,
    [property: Id(6)] int Sold,
    [property: Id(7)] bool Paused,
    [property: Id(8)] IReadOnlyList<SnapshotHold> Holds,
    [property: Id(9)] IReadOnlyList<SnapshotReservation> Reservations,
    [property: Id(10)] IReadOnlyList<SnapshotSale> Sales,
    [property: Id(11)] IReadOnlyList<SellThroughPoint> SellThrough,
    [property: Id(12)] bool EndedEarly = false,
    [property: Id(13)] LotHarvest? Harvest = null,
    [property: Id(14)] IReadOnlyList<HarvestOrderShare>? Allocations = null,
    [property: Id(15)] SurplusRelease? PendingSurplus = null);

[GenerateSerializer, Immutable]
public sealed record SnapshotHold([property: Id(0)] string ShopperId, [property: Id(1)] int Quantity, [property: Id(2)] DateTimeOffset ExpiresAt);

[GenerateSerializer, Immutable]
public sealed record SnapshotReservation([property: Id(0)] string OrderId, [property: Id(1)] string ShopperId, [property: Id(2)] int Quantity, [property: Id(3)] DateTimeOffset PaymentDeadline, [property: Id(4)] DateTimeOffset? OrderedAt = null);

[GenerateSerializer, Immutable]
public sealed record SnapshotSale([property: Id(0)] string OrderId, [property: Id(1)] int Quantity, [property: Id(2)] DateTimeOffset Minute, [property: Id(3)] DateTimeOffset? OrderedAt = null);
