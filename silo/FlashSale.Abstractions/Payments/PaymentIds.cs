using FlashSale.Common;

namespace FlashSale.Payments;

/// <summary>An order has one payment whose id mirrors the order's (<c>ord_x</c> ↔ <c>pay_x</c>), so either finds the other without a lookup.</summary>
public static class PaymentIds
{
    public static string For(string orderId) => Ids.PaymentPrefix + orderId[Ids.OrderPrefix.Length..];

    /// <summary>The order of a well-formed payment id, or null.</summary>
    public static string? OrderOf(string? paymentId) =>
        Ids.IsWellFormed(paymentId, Ids.PaymentPrefix) ? Ids.OrderPrefix + paymentId![Ids.PaymentPrefix.Length..] : null;
}
