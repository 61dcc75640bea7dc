using System.Text.Json;

namespace FlashSale.LoadTests.Sale;

// The contract's JSON as the harness reads it: only the fields a scenario or the audit uses.
// These are the load tester's own types, written against docs/api.md, not the product's.

public sealed record SellerSignedUp(string SellerId, string Token);

public sealed record ShopperSignedUp(string ShopperId, string Token);

/// <summary>A lot as the API shows it; <c>PhoneCode</c> is its short number for phone menus and SMS commands.</summary>
public sealed record LotView(string LotId, int Quantity, int Available, int Reserved, int Sold, int PerShopperLimit, string Status, long Version, int? PhoneCode = null);

public sealed record CartItemView(string LotId, int Quantity);

public sealed record CartView(string ShopperId, IReadOnlyList<CartItemView> Items);

public sealed record OrderItemView(string LotId, int Quantity);

public sealed record PaymentView(string PaymentId, string Method, string Status);

public sealed record OrderView(string OrderId, string Status, IReadOnlyList<OrderItemView> Items, PaymentView Payment, long TotalMinor = 0, string? Currency = null, FulfilmentView? Fulfilment = null);

/// <summary>An order's shipments; the pickup code is shown to the order's shopper only.</summary>
public sealed record FulfilmentView(IReadOnlyList<ShipmentView> Shipments, string? PickupCode);

public sealed record ShipmentView(string SellerId, string Status);

public sealed record AgentSignedUp(string AgentId, string Token);

public sealed record PickupPointView(string PointId, string AgentId, string Name, string Village);

/// <summary>A seller's money in one currency; always <c>paid - refunded == gateway + heldByAgents + heldBySeller + remitted</c>.</summary>
public sealed record LedgerBalanceView(string Currency, long PaidMinor, long RefundedMinor, long GatewayMinor, long HeldByAgentsMinor, long HeldBySellerMinor, long RemittedMinor)
{
    public bool Balances => PaidMinor - RefundedMinor == GatewayMinor + HeldByAgentsMinor + HeldBySellerMinor + RemittedMinor;
}

public sealed record LedgerView(IReadOnlyList<LedgerBalanceView> Balances);

/// <summary>The hub's <c>stock</c> message; <c>committedAt</c> is when the lot's change was committed.</summary>
public sealed record StockMessage(string LotId, int Available, int Reserved, int Sold, string Status, long Version, DateTimeOffset CommittedAt);

/// <summary>A signed-up seller or shopper: an id and a bearer token.</summary>
public sealed record Identity(string Id, string Token);

internal static class ContractJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
