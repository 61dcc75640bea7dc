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

    /// <summary>The status a contract name stands for (<c>sold-out</c>), or null for a name that is none.</summary>
    public static LotStatus? TryParseStatus(string name) => name switch
    {
        "scheduled" => LotStatus.Scheduled,
        "live" => LotStatus.Live,
        "paused" => LotStatus.Paused,
        "sold-out" => LotStatus.SoldOut,
        "ended" => LotStatus.Ended,
        _ => null,
    };

    public static LotStatus ParseStatus(string name) => TryParseStatus(name) ?? throw new ArgumentOutOfRangeException(nameof(name), name, "not a lot status");

    /// <summary>A refusal's contract code (<c>sold-out</c>), for metrics and logs.</summary>
    public static string Code(Common.RefusalCode code) => code switch
    {
        Common.RefusalCode.InvalidRequest => "invalid-request",
        Common.RefusalCode.Unauthorized => "unauthorized",
        Common.RefusalCode.Forbidden => "forbidden",
        Common.RefusalCode.NotFound => "not-found",
        Common.RefusalCode.SoldOut => "sold-out",
        Common.RefusalCode.LimitExceeded => "limit-exceeded",
        Common.RefusalCode.SaleNotLive => "sale-not-live",
        Common.RefusalCode.CurrencyMismatch => "currency-mismatch",
        _ => "conflict",
    };

    public static string Status(Orders.OrderStatus status) => status switch
    {
        Orders.OrderStatus.AwaitingPayment => "awaiting-payment",
        Orders.OrderStatus.Paid => "paid",
        Orders.OrderStatus.ConfirmedCod => "confirmed-cod",
        Orders.OrderStatus.Cancelled => "cancelled",
        Orders.OrderStatus.Expired => "expired",
        Orders.OrderStatus.DepositPaid => "deposit-paid",
        Orders.OrderStatus.AwaitingBalance => "awaiting-balance",
        Orders.OrderStatus.Forfeited => "forfeited",
        _ => "refunded",
    };
}
