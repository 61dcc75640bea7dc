using FlashSale.Lots;

namespace FlashSale.Live;

/// <summary>
/// The hub's <c>stock</c> message: a lot's committed counts at one version. Clients keep the
/// highest version they have seen and drop anything older. <see cref="CommittedAt"/> is when the
/// lot's write completed, so a watcher can measure how stale its view is.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StockUpdate(
    [property: Id(0)] string LotId,
    [property: Id(1)] int Available,
    [property: Id(2)] int Reserved,
    [property: Id(3)] int Sold,
    [property: Id(4)] string Status,
    [property: Id(5)] long Version,
    [property: Id(6)] DateTimeOffset CommittedAt);

/// <summary>The hub's <c>sellThrough</c> message, for the lot's seller only.</summary>
[GenerateSerializer, Immutable]
public sealed record SellThroughUpdate(
    [property: Id(0)] string LotId,
    [property: Id(1)] string SellerId,
    [property: Id(2)] string Name,
    [property: Id(3)] int Quantity,
    [property: Id(4)] int Sold,
    [property: Id(5)] int Reserved,
    [property: Id(6)] int Available,
    [property: Id(7)] long RevenueMinor,
    [property: Id(8)] int PaidOrders,
    [property: Id(9)] IReadOnlyList<SellThroughPoint> SellThrough,
    [property: Id(10)] int HoldsExpiringSoon,
    [property: Id(11)] string Status,
    [property: Id(12)] long Version);

/// <summary>
/// The hub's <c>order</c> message: to the order's shopper, and (from fulfilment on) to the
/// sellers of its shipments and the agent of its service point, none of whom see more than the
/// order id and the statuses.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OrderUpdate(
    [property: Id(0)] string OrderId,
    [property: Id(1)] string ShopperId,
    [property: Id(2)] string Status,
    [property: Id(3)] IReadOnlyList<ShipmentUpdate>? Shipments = null,
    [property: Id(4)] string? AgentId = null);

/// <summary>One shipment's status in an <see cref="OrderUpdate"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record ShipmentUpdate(
    [property: Id(0)] string SellerId,
    [property: Id(1)] string Status);

/// <summary>
/// The hub's <c>queueProgress</c> message, to a lot's watchers: how far admission has got. A shopper
/// knows its own position from its ticket, so <c>position - admittedThrough</c> is who is ahead.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record QueueProgress(
    [property: Id(0)] string LotId,
    [property: Id(1)] bool Drawn,
    [property: Id(2)] int Positions,
    [property: Id(3)] int AdmittedThrough,
    [property: Id(4)] int AwaitingDraw,
    [property: Id(5)] DateTimeOffset At);
