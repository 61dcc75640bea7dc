using FlashSale.Orders;

namespace FlashSale.Tests.Model;

/// <summary>
/// The engine as a child would write it: plain lists, everything derived, no concurrency. The
/// randomized test runs the real engine and this model side by side and demands they agree.
/// Counts are never stored here: reserved and sold are sums over holds and orders, so the
/// model cannot drift into an inconsistent state of its own.
/// </summary>
internal sealed class SaleModel(DateTimeOffset start, IReadOnlyList<ModelLot> lots)
{
    public static readonly TimeSpan HoldDuration = TimeSpan.FromMinutes(10);

    public DateTimeOffset Now { get; private set; } = start;

    public IReadOnlyList<ModelLot> Lots => lots;

    public Dictionary<(int Shopper, int Lot), (int Quantity, DateTimeOffset ExpiresAt)> Holds { get; } = [];

    public List<ModelOrder> Orders { get; } = [];

    public void Advance(TimeSpan by)
    {
        Now += by;
        foreach (var key in Holds.Where(h => h.Value.ExpiresAt <= Now).Select(h => h.Key).ToList())
        {
            Holds.Remove(key);
        }

        foreach (var order in Orders.Where(o => o.Status == OrderStatus.AwaitingPayment && o.Deadline <= Now))
        {
            order.Status = OrderStatus.Expired;
        }
    }

    public int Held(int shopper, int lot) => Holds.TryGetValue((shopper, lot), out var h) ? h.Quantity : 0;

    public int Reserved(int lot) =>
        Holds.Where(h => h.Key.Lot == lot).Sum(h => h.Value.Quantity)
        + Orders.Where(o => o.Status == OrderStatus.AwaitingPayment).Sum(o => o.Items.GetValueOrDefault(lot));

    public int Sold(int lot) =>
        Orders.Where(o => o.Status is OrderStatus.Paid or OrderStatus.ConfirmedCod).Sum(o => o.Items.GetValueOrDefault(lot));

    public int Available(int lot) => lots[lot].Quantity - Reserved(lot) - Sold(lot);

    /// <summary>What the shopper's orders hold of a lot that were not cancelled, expired or refunded.</summary>
    public int Committed(int shopper, int lot) =>
        Orders.Where(o => o.Shopper == shopper && !o.Status.ReleasedItsStock()).Sum(o => o.Items.GetValueOrDefault(lot));

    public IEnumerable<ModelOrder> OrdersOf(int shopper) => Orders.Where(o => o.Shopper == shopper);

    /// <summary>Cash-on-delivery orders still confirmed and inside their delivery window.</summary>
    public int OpenCashOnDelivery(int shopper) =>
        Orders.Count(o => o.Shopper == shopper && o.Status == OrderStatus.ConfirmedCod && o.Deadline > Now);

    public string? CartCurrency(int shopper) =>
        Holds.Where(h => h.Key.Shopper == shopper).Select(h => lots[h.Key.Lot].Currency).FirstOrDefault();
}

internal sealed class ModelLot(string currency, int quantity, int limit)
{
    public string Currency { get; } = currency;

    public int Quantity { get; set; } = quantity;

    public int Limit { get; } = limit;

    public bool Paused { get; set; }
}

internal sealed class ModelOrder(string orderId, string paymentId, int shopper, Dictionary<int, int> items, OrderStatus status, DateTimeOffset deadline, long total, string currency)
{
    public string OrderId { get; } = orderId;

    public string PaymentId { get; } = paymentId;

    public int Shopper { get; } = shopper;

    public Dictionary<int, int> Items { get; } = items;

    public OrderStatus Status { get; set; } = status;

    public DateTimeOffset Deadline { get; } = deadline;

    public long Total { get; } = total;

    public string Currency { get; } = currency;

    /// <summary>The payment method, which is also the provider its notifications come from.</summary>
    public string Method { get; init; } = "";
}
