using FlashSale.Common;

namespace FlashSale.Payments;

/// <summary>
/// An order's payment id mirrors the order's (<c>ord_x</c> ↔ <c>pay_x</c>), so either finds the
/// other without a lookup. A presale's balance is a second payment, <c>pay_x_balance</c>.
/// </summary>
public static class PaymentIds
{
    public const string BalanceSuffix = "_balance";

    public static string For(string orderId) => Ids.PaymentPrefix + orderId[Ids.OrderPrefix.Length..];

    public static string BalanceFor(string orderId) => For(orderId) + BalanceSuffix;

    /// <summary>True for an order's payment id or its balance's.</summary>
    public static bool IsPaymentId(string? paymentId) => OrderOf(paymentId) is not null;

    /// <summary>The order of a well-formed payment id (its first payment or its balance), or null.</summary>
    public static string? OrderOf(string? paymentId)
    {
        var first = paymentId is not null && paymentId.EndsWith(BalanceSuffix, StringComparison.Ordinal) ? paymentId[..^BalanceSuffix.Length] : paymentId;
        return Ids.IsWellFormed(first, Ids.PaymentPrefix) ? Ids.OrderPrefix + first![Ids.PaymentPrefix.Length..] : null;
    }
}
