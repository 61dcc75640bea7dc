using System.Text.Json;

namespace FlashSale.LoadTests.Sale;

// The contract's JSON as the harness reads it: only the fields a scenario or the audit uses.
// These are the load tester's own types, written against docs/api.md, not the product's.

public sealed record SellerSignedUp(string SellerId, string Token);

public sealed record ShopperSignedUp(string ShopperId, string Token);

public sealed record LotView(string LotId, int Quantity, int Available, int Reserved, int Sold, int PerShopperLimit, string Status, long Version);

public sealed record CartItemView(string LotId, int Quantity);

public sealed record CartView(string ShopperId, IReadOnlyList<CartItemView> Items);

public sealed record OrderItemView(string LotId, int Quantity);

public sealed record PaymentView(string PaymentId, string Method, string Status);

public sealed record OrderView(string OrderId, string Status, IReadOnlyList<OrderItemView> Items, PaymentView Payment);

/// <summary>The hub's <c>stock</c> message; <c>committedAt</c> is when the lot's change was committed.</summary>
public sealed record StockMessage(string LotId, int Available, int Reserved, int Sold, string Status, long Version, DateTimeOffset CommittedAt);

/// <summary>A signed-up seller or shopper: an id and a bearer token.</summary>
public sealed record Identity(string Id, string Token);

internal static class ContractJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
