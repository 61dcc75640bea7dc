namespace FlashSale.Orders;

[GenerateSerializer, Immutable]
public sealed record OrderItem(
    [property: Id(0)] string LotId,
    [property: Id(1)] int Quantity,
    [property: Id(2)] long PriceMinor);

/// <summary>
/// The order's payment: what the shopper must do and until when. <see cref="Instructions"/> is
/// English, as every client has always read it; <see cref="InstructionsZhCn"/> is the same in
/// Simplified Chinese, written beside it when the payment starts (null for older orders). The API
/// shows one of them, as <c>instructions</c>, in the reader's language.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OrderPayment(
    [property: Id(0)] string PaymentId,
    [property: Id(1)] string Method,
    [property: Id(2)] PaymentStatus Status,
    [property: Id(3)] DateTimeOffset ExpiresAt,
    [property: Id(4)] string? Instructions,
    [property: Id(5)] string? InstructionsZhCn = null)
{
    /// <summary>The instructions in <paramref name="culture"/>'s language; English when there is no translation.</summary>
    public string? InstructionsIn(System.Globalization.CultureInfo culture) =>
        Common.TextLanguages.IsChineseSimplified(culture) && InstructionsZhCn is { } zh ? zh : Instructions;
}

[GenerateSerializer, Immutable]
public sealed record Order(
    [property: Id(0)] string OrderId,
    [property: Id(1)] string ShopperId,
    [property: Id(2)] OrderStatus Status,
    [property: Id(3)] IReadOnlyList<OrderItem> Items,
    [property: Id(4)] long TotalMinor,
    [property: Id(5)] string Currency,
    [property: Id(6)] OrderPayment Payment,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] FlashSale.Fulfilment.OrderDelivery? Delivery = null,
    [property: Id(9), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] FlashSale.Fulfilment.OrderFulfilment? Fulfilment = null)
{
    /// <summary>The order as a seller or a service point's agent sees it: everything but the pickup code.</summary>
    public Order WithoutPickupCode() => Fulfilment is null ? this : this with { Fulfilment = Fulfilment.WithoutCode() };
}

/// <summary>
/// A line the cart asks the order to take over from the shopper's holds, with the lot's price as
/// the cart knows it (a lot's price never changes). A price of 0 (a command written before
/// prices were carried) makes the order ask the lot.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OrderLine(
    [property: Id(0)] string LotId,
    [property: Id(1)] int Quantity,
    [property: Id(2)] long PriceMinor = 0);

/// <summary>What checkout hands to a new order.</summary>
[GenerateSerializer, Immutable]
public sealed record PlaceOrder(
    [property: Id(0)] string ShopperId,
    [property: Id(1)] IReadOnlyList<OrderLine> Lines,
    [property: Id(2)] string Currency,
    [property: Id(3)] string PaymentMethod);

/// <summary>How a confirmed payment ended for its order; serialized in kebab case.</summary>
public enum SettlementPath
{
    /// <summary>Paid within the deadline: the reserved stock was sold.</summary>
    Paid,

    /// <summary>Paid after the stock had gone back on sale, and the same quantities were still there: taken again and sold.</summary>
    StockRetaken,

    /// <summary>The order could not be delivered whole (stock gone, limit reached, or cancelled): the money goes back.</summary>
    Refunded,
}

/// <summary>The record of which path a payment took, and why.</summary>
[GenerateSerializer, Immutable]
public sealed record PaymentSettlement(
    [property: Id(0)] string PaymentId,
    [property: Id(1)] SettlementPath Path,
    [property: Id(2)] string Detail,
    [property: Id(3)] DateTimeOffset At);
