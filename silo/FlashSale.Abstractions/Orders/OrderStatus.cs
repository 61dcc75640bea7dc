namespace FlashSale.Orders;

/// <summary>An order's lifecycle; serialized in kebab case (<c>awaiting-payment</c>).</summary>
public enum OrderStatus
{
    AwaitingPayment,
    Paid,
    ConfirmedCod,
    Cancelled,
    Expired,
    Refunded,

    /// <summary>A presale's deposit is paid; the order waits for the harvest.</summary>
    DepositPaid,

    /// <summary>A presale's harvest is allocated; the order's payment is now the balance.</summary>
    AwaitingBalance,

    /// <summary>A presale's balance was not paid in time: the deposit stays with the seller and the units go back.</summary>
    Forfeited,
}

/// <summary>Where the money stands; serialized in kebab case.</summary>
public enum PaymentStatus
{
    Pending,
    Succeeded,
    Failed,
    CashOnDelivery,
    Cancelled,
    Expired,
    Refunded,
}

public static class OrderStatusExtensions
{
    /// <summary>True when the order's stock is no longer the shopper's: cancelled, expired or refunded.</summary>
    public static bool ReleasedItsStock(this OrderStatus status) =>
        status is OrderStatus.Cancelled or OrderStatus.Expired or OrderStatus.Refunded or OrderStatus.Forfeited;
}
