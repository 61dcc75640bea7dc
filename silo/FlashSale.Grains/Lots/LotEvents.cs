namespace FlashSale.Lots;

/// <summary>
/// One change of a lot, as journaled. The journal holds changes, not whole states, so writing
/// a hold costs the same whether the lot has ten live holds or a hundred thousand.
/// </summary>
[GenerateSerializer, Immutable]
public abstract record LotEvent([property: Id(0)] DateTimeOffset At);

[GenerateSerializer, Immutable]
public sealed record LotCreated(DateTimeOffset At, [property: Id(0)] LotDefinition Definition) : LotEvent(At);

/// <summary>The shopper now holds <see cref="Quantity"/> (more or less than before) until <see cref="ExpiresAt"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record HoldSet(DateTimeOffset At, [property: Id(0)] string ShopperId, [property: Id(1)] int Quantity, [property: Id(2)] DateTimeOffset ExpiresAt) : LotEvent(At);

[GenerateSerializer, Immutable]
public sealed record HoldReleased(DateTimeOffset At, [property: Id(0)] string ShopperId, [property: Id(1)] bool Expired) : LotEvent(At);

/// <summary>Checkout: the shopper's hold becomes the order's, reserved until the deadline or sold at once.</summary>
[GenerateSerializer, Immutable]
public sealed record HoldMovedToOrder(
    DateTimeOffset At,
    [property: Id(0)] string ShopperId,
    [property: Id(1)] string OrderId,
    [property: Id(2)] int Quantity,
    [property: Id(3)] DateTimeOffset PaymentDeadline,
    [property: Id(4)] bool Sold) : LotEvent(At);

[GenerateSerializer, Immutable]
public sealed record ReservationSold(DateTimeOffset At, [property: Id(0)] string OrderId) : LotEvent(At);

[GenerateSerializer, Immutable]
public sealed record ReservationReleased(DateTimeOffset At, [property: Id(0)] string OrderId, [property: Id(1)] bool Expired) : LotEvent(At);

[GenerateSerializer, Immutable]
public sealed record SalePaused(DateTimeOffset At) : LotEvent(At);

[GenerateSerializer, Immutable]
public sealed record SaleResumed(DateTimeOffset At) : LotEvent(At);

[GenerateSerializer, Immutable]
public sealed record Restocked(DateTimeOffset At, [property: Id(0)] int Quantity) : LotEvent(At);

/// <summary>A sold order was refunded; its stock goes back on sale.</summary>
[GenerateSerializer, Immutable]
public sealed record SaleRefunded(DateTimeOffset At, [property: Id(0)] string OrderId) : LotEvent(At);

/// <summary>A late payment bought the order's stock again, straight from what was available.</summary>
[GenerateSerializer, Immutable]
public sealed record StockRetaken(DateTimeOffset At, [property: Id(0)] string OrderId, [property: Id(1)] int Quantity) : LotEvent(At);

/// <summary>An operator took the lot down: it ends for good, and every shopper's hold returns to stock.</summary>
[GenerateSerializer, Immutable]
public sealed record LotTakenDown(DateTimeOffset At) : LotEvent(At);

/// <summary>The seller ended the sale before its time: every shopper's hold returns; placed orders keep their stock.</summary>
[GenerateSerializer, Immutable]
public sealed record SaleEnded(DateTimeOffset At) : LotEvent(At);

/// <summary>The seller changed the lot's terms before it opened; <see cref="Definition"/> is the whole new definition.</summary>
[GenerateSerializer, Immutable]
public sealed record LotEdited(DateTimeOffset At, [property: Id(0)] LotDefinition Definition) : LotEvent(At);

/// <summary>
/// A presale's harvest is declared: the sale ends (holds return), each order's sold units become
/// its allocated share, and the lot's quantity becomes the declared harvest.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record HarvestDeclared(DateTimeOffset At, [property: Id(0)] int Declared, [property: Id(1)] IReadOnlyList<HarvestOrderShare> Shares) : LotEvent(At);

/// <summary>After the harvest, units nobody took leave for a new standard lot; pending until it is confirmed or reclaimed.</summary>
[GenerateSerializer, Immutable]
public sealed record SurplusReleased(DateTimeOffset At, [property: Id(0)] string NewLotId, [property: Id(1)] int Quantity) : LotEvent(At);

/// <summary>The new lot exists: the released units are its stock now.</summary>
[GenerateSerializer, Immutable]
public sealed record SurplusConfirmed(DateTimeOffset At, [property: Id(0)] string NewLotId) : LotEvent(At);

/// <summary>The new lot could not be created: the released units come back.</summary>
[GenerateSerializer, Immutable]
public sealed record SurplusReclaimed(DateTimeOffset At, [property: Id(0)] string NewLotId) : LotEvent(At);

/// <summary>Units of a declared harvest reserved for a substitute offer, under the order id it becomes; they return at <see cref="Until"/> like any reservation.</summary>
[GenerateSerializer, Immutable]
public sealed record OfferReserved(
    DateTimeOffset At,
    [property: Id(0)] string OrderId,
    [property: Id(1)] string ShopperId,
    [property: Id(2)] int Quantity,
    [property: Id(3)] DateTimeOffset Until) : LotEvent(At);
