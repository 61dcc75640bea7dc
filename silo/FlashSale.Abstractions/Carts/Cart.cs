namespace FlashSale.Carts;

/// <summary>A held item: stock taken from the lot for this shopper until <see cref="ExpiresAt"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record CartItem(
    [property: Id(0)] string LotId,
    [property: Id(1)] int Quantity,
    [property: Id(2)] long PriceMinor,
    [property: Id(3)] DateTimeOffset ExpiresAt);

/// <summary>The shopper's cart as the contract shows it; <see cref="Currency"/> is null while empty.</summary>
[GenerateSerializer, Immutable]
public sealed record Cart(
    [property: Id(0)] string ShopperId,
    [property: Id(1)] IReadOnlyList<CartItem> Items,
    [property: Id(2)] long TotalMinor,
    [property: Id(3)] string? Currency);
