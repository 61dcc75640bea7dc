using System.Text.Json.Serialization;

namespace FlashSale.Lots;

/// <summary>
/// A produce lot as the contract shows it. Counts are committed counts: a read never shows a
/// hold whose write has not completed. <c>Available + Reserved + Sold == Quantity</c> always.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Lot(
    [property: Id(0)] string LotId,
    [property: Id(1)] string SellerId,
    [property: Id(2)] string Name,
    [property: Id(3)] string Unit,
    [property: Id(4)] long PriceMinor,
    [property: Id(5)] string Currency,
    [property: Id(6)] int Quantity,
    [property: Id(7)] int Available,
    [property: Id(8)] int Reserved,
    [property: Id(9)] int Sold,
    [property: Id(10)] int PerShopperLimit,
    [property: Id(11)] LotStatus Status,
    [property: Id(12)] DateTimeOffset StartsAt,
    [property: Id(13)] DateTimeOffset? EndsAt,
    [property: Id(14)] long Version,
    [property: Id(15), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] WaitingRooms.WaitingRoomPolicy? WaitingRoom = null,
    [property: Id(16), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? PhoneCode = null,
    [property: Id(17)] LotKind Kind = LotKind.Standard,
    [property: Id(18), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PresaleTerms? Presale = null,
    [property: Id(19), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] LotHarvest? Harvest = null);

/// <summary>A presale's declared harvest: how many units there really are, when the seller said so, and the forecast it replaced.</summary>
[GenerateSerializer, Immutable]
public sealed record LotHarvest(
    [property: Id(0)] int Declared,
    [property: Id(1)] DateTimeOffset DeclaredAt,
    [property: Id(2)] int Forecast = 0);

/// <summary>
/// The terms a cart needs to judge a hold before asking the lot for stock. A cart keeps them, so
/// it names their <see cref="Edition"/> when it holds, and the lot refuses a hold judged on old terms.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LotTerms(
    [property: Id(0)] string LotId,
    [property: Id(1)] long PriceMinor,
    [property: Id(2)] string Currency,
    [property: Id(3)] int PerShopperLimit,
    [property: Id(4)] WaitingRooms.WaitingRoomPolicy? WaitingRoom = null,
    [property: Id(5)] DateTimeOffset Opening = default,
    [property: Id(6)] int Edition = 0,
    [property: Id(7)] PresaleTerms? Presale = null);

/// <summary>The lot's answer to a hold: the shopper's held quantity and the lot after it.</summary>
[GenerateSerializer, Immutable]
public sealed record HoldReceipt(
    [property: Id(0)] Lot Lot,
    [property: Id(1)] int Held,
    [property: Id(2)] DateTimeOffset ExpiresAt);

/// <summary>A shopper's live hold on one lot, as the lot has written it.</summary>
[GenerateSerializer, Immutable]
public sealed record HeldStock(
    [property: Id(0)] int Quantity,
    [property: Id(1)] DateTimeOffset ExpiresAt);

/// <summary>Stock moved from a shopper's hold to an order.</summary>
[GenerateSerializer, Immutable]
public sealed record ReservationReceipt(
    [property: Id(0)] string LotId,
    [property: Id(1)] int Quantity,
    [property: Id(2)] long PriceMinor,
    [property: Id(3)] string Currency,
    [property: Id(4)] bool Sold,
    [property: Id(5)] PresaleTerms? Presale = null);

/// <summary>One minute of sell-through, for the seller's chart.</summary>
[GenerateSerializer, Immutable]
public sealed record SellThroughPoint(
    [property: Id(0)] DateTimeOffset Minute,
    [property: Id(1)] int Sold);

/// <summary>
/// The owner's view of how a lot is selling. <see cref="HoldsExpiringSoon"/> counts held units
/// whose hold ends within the live feed's expiring-soon window, as the <c>sellThrough</c> message does.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LotStats(
    [property: Id(0)] string LotId,
    [property: Id(1)] int Sold,
    [property: Id(2)] int Reserved,
    [property: Id(3)] int Available,
    [property: Id(4)] long RevenueMinor,
    [property: Id(5)] int PaidOrders,
    [property: Id(6)] IReadOnlyList<SellThroughPoint> SellThrough,
    [property: Id(7)] int HoldsExpiringSoon = 0,
    [property: Id(8), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PresaleStats? Presale = null);

/// <summary>
/// A presale's figures for its farmer: the forecast against the units ordered (deposits paid) and
/// the deposits collected, the working capital before the harvest; after the declaration, what was
/// allocated and where each order's balance stands.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PresaleStats(
    [property: Id(0)] int Forecast,
    [property: Id(1)] int Ordered,
    [property: Id(2)] long DepositPerUnitMinor,
    [property: Id(3)] long DepositsMinor,
    [property: Id(4), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Declared = null,
    [property: Id(5), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Allocated = null,
    [property: Id(6)] int AwaitingBalance = 0,
    [property: Id(7)] int BalancesPaid = 0,
    [property: Id(8)] int Forfeited = 0,
    [property: Id(9)] int Refunded = 0,
    [property: Id(10)] long BalancesPaidMinor = 0,
    [property: Id(11)] long BalancesOutstandingMinor = 0);
