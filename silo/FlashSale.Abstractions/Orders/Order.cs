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
/// shows one of them, as <c>instructions</c>, in the reader's language. <see cref="AmountMinor"/> is
/// what this payment asks for when it is not the order's whole total (a presale's deposit or balance).
/// <see cref="InstructionsSw"/> is the Swahili the phone channel texts a Kenyan number (null where the
/// market has none); the API never writes it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OrderPayment(
    [property: Id(0)] string PaymentId,
    [property: Id(1)] string Method,
    [property: Id(2)] PaymentStatus Status,
    [property: Id(3)] DateTimeOffset ExpiresAt,
    [property: Id(4)] string? Instructions,
    [property: Id(5)] string? InstructionsZhCn = null,
    [property: Id(6), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] long? AmountMinor = null,
    [property: Id(7)] string? InstructionsSw = null)
{
    /// <summary>The instructions in <paramref name="culture"/>'s language; English when there is no translation.</summary>
    public string? InstructionsIn(System.Globalization.CultureInfo culture) =>
        Common.TextLanguages.IsChineseSimplified(culture) && InstructionsZhCn is { } zh ? zh
        : Common.TextLanguages.IsSwahili(culture) && InstructionsSw is { } sw ? sw
        : Instructions;
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
    [property: Id(9), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] FlashSale.Fulfilment.OrderFulfilment? Fulfilment = null,
    [property: Id(10), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] OrderPresale? Presale = null,
    [property: Id(11), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<OrderRefund>? Refunds = null,
    [property: Id(12), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] OrderSubstitute? Substitute = null)
{
    /// <summary>The order as a seller or a service point's agent sees it: everything but the pickup code.</summary>
    public Order WithoutPickupCode() => Fulfilment is null ? this : this with { Fulfilment = Fulfilment.WithoutCode() };

    /// <summary>The order's payment with this id: its current one or, for a presale in its balance phase, its deposit.</summary>
    public OrderPayment? PaymentNamed(string paymentId) =>
        string.Equals(Payment.PaymentId, paymentId, StringComparison.Ordinal) ? Payment
        : Presale?.Deposit is { } deposit && string.Equals(deposit.PaymentId, paymentId, StringComparison.Ordinal) ? deposit
        : null;

    /// <summary>What <paramref name="payment"/> asks for: its own amount, or the order's total.</summary>
    public long AmountOf(OrderPayment payment) => payment.AmountMinor ?? TotalMinor;

    /// <summary>
    /// Whether money that arrived on <paramref name="paymentId"/> goes back whole through the
    /// payment that took it: a refunded order's only payment (the order could not be delivered),
    /// or a balance paid after the order was forfeited. A presale's deposit shares that the
    /// harvest did not cover are refunded by the order itself (see <see cref="Refunds"/>).
    /// </summary>
    public bool ReturnsPayment(string paymentId) =>
        string.Equals(Payment.PaymentId, paymentId, StringComparison.Ordinal)
        && (Status == OrderStatus.Refunded && Presale?.Allocated is null
            || Status == OrderStatus.Forfeited && Presale?.Deposit is not null);
}

/// <summary>
/// A presale order's terms and progress: the units ordered against the forecast, the deposit
/// charged per unit, and after the harvest what was allocated and the balance asked (with, for
/// units sold by weight, what was packed and what that adds or takes off).
/// <see cref="Deposit"/> is the deposit payment once the balance has become the order's payment.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OrderPresale(
    [property: Id(0)] string LotId,
    [property: Id(1)] int Ordered,
    [property: Id(2)] long PriceMinor,
    [property: Id(3)] long DepositPerUnitMinor,
    [property: Id(4)] long DepositMinor,
    [property: Id(5)] DateTimeOffset HarvestTo,
    [property: Id(6)] int BalanceWindowHours,
    [property: Id(10)] DateTimeOffset HarvestFrom,
    [property: Id(7), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] OrderPayment? Deposit = null,
    [property: Id(8), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] int? Allocated = null,
    [property: Id(9), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] long? BalanceMinor = null,
    [property: Id(11), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] long? PackedGrams = null,
    [property: Id(12)] long WeightAdjustmentMinor = 0);

/// <summary>Where a substitute offer stands; serialized in kebab case.</summary>
public enum SubstituteStatus
{
    Offered,
    Accepted,
    Declined,

    /// <summary>Not answered by <see cref="OrderSubstitute.ExpiresAt"/>: the units went back to their lot.</summary>
    Expired,
}

/// <summary>
/// Units of another grade of the same harvest that the seller offers a presale order the harvest
/// cut short, reserved for the shopper until <see cref="ExpiresAt"/>. Accepted, they become a new
/// order, <see cref="OfferId"/>, paid in full (the harvest is in: no deposit).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OrderSubstitute(
    [property: Id(0)] string OfferId,
    [property: Id(1)] string LotId,
    [property: Id(2)] int Quantity,
    [property: Id(3)] long PriceMinor,
    [property: Id(4)] DateTimeOffset ExpiresAt,
    [property: Id(5)] SubstituteStatus Status);

/// <summary>Money the order sent back, as the contract lists it.</summary>
[GenerateSerializer, Immutable]
public sealed record OrderRefund(
    [property: Id(0)] long AmountMinor,
    [property: Id(1)] string Reason,
    [property: Id(2)] DateTimeOffset At);

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

/// <summary>What checkout hands to a new order; <see cref="Substitute"/> when it takes up a substitute offer (reserved for it already, paid in full).</summary>
[GenerateSerializer, Immutable]
public sealed record PlaceOrder(
    [property: Id(0)] string ShopperId,
    [property: Id(1)] IReadOnlyList<OrderLine> Lines,
    [property: Id(2)] string Currency,
    [property: Id(3)] string PaymentMethod,
    [property: Id(4)] bool Substitute = false);

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
