using FlashSale.Lots;

namespace FlashSale.Live;

/// <summary>
/// Statuses travel in hub messages as the same kebab-case strings the JSON API uses, so that the
/// JSON and MessagePack protocols carry identical values.
/// </summary>
public static class LiveFormat
{
    public static string Status(LotStatus status) => status switch
    {
        LotStatus.Scheduled => "scheduled",
        LotStatus.Live => "live",
        LotStatus.Paused => "paused",
        LotStatus.SoldOut => "sold-out",
        _ => "ended",
    };

    public static string Status(Orders.OrderStatus status) => status switch
    {
        Orders.OrderStatus.AwaitingPayment => "awaiting-payment",
        Orders.OrderStatus.Paid => "paid",
        Orders.OrderStatus.ConfirmedCod => "confirmed-cod",
        Orders.OrderStatus.Cancelled => "cancelled",
        Orders.OrderStatus.Expired => "expired",
        _ => "refunded",
    };
}
