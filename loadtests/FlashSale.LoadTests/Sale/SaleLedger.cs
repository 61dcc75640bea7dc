using System.Collections.Concurrent;
using FlashSale.LoadTests.Harness;

namespace FlashSale.LoadTests.Sale;

/// <summary>An order the harness was told about, and the status it should end in.</summary>
public sealed class OrderRecord(string orderId, IReadOnlyDictionary<string, int> items, string method, string? paymentId, string expectedStatus, string? pointId = null)
{
    /// <summary>The service point the order is to be picked up at, when it was given one.</summary>
    public string? PointId { get; } = pointId;

    /// <summary>
    /// The shipment status the harness moved it to (<c>shipped</c>, <c>collected</c>); null while
    /// the harness has not moved it, or when a move had no answer (then <see cref="ShipmentUncertain"/>).
    /// </summary>
    public string? ExpectedShipment { get; set; }

    public bool ShipmentUncertain { get; set; }

    public string OrderId { get; } = orderId;

    public IReadOnlyDictionary<string, int> Items { get; } = items;

    public string Method { get; } = method;

    public string? PaymentId { get; } = paymentId;

    /// <summary>Null when a later call on the order had no answer, so its status is not known.</summary>
    public string? ExpectedStatus { get; set; } = expectedStatus;
}

/// <summary>
/// One shopper as the harness knows it: the holds and orders whose success it saw, and what it
/// cannot know (a call that timed out or failed with a 5xx may or may not have taken effect).
/// A shopper is used by one iteration at a time; the lock is for the audit's reads.
/// </summary>
public sealed class ShopperRecord(Identity identity)
{
    private readonly Lock _lock = new();

    public Identity Identity { get; } = identity;

    public Dictionary<string, int> Holds { get; } = new(StringComparer.Ordinal);

    public HashSet<string> UncertainLots { get; } = new(StringComparer.Ordinal);

    public List<OrderRecord> Orders { get; } = [];

    public bool UncertainOrders { get; private set; }

    /// <summary>True once any call may have changed this shopper's state.</summary>
    public bool Touched { get; private set; }

    public void HoldAnswered(string lotId, int quantity, StepOutcome outcome)
    {
        lock (_lock)
        {
            if (outcome.IsOk)
            {
                Touched = true;
                if (quantity == 0)
                {
                    Holds.Remove(lotId);
                }
                else
                {
                    Holds[lotId] = quantity;
                }
            }
            else if (IsUnknown(outcome))
            {
                Touched = true;
                UncertainLots.Add(lotId);
            }
        }
    }

    public void CheckoutAnswered(StepOutcome outcome, OrderView? order, string method, string? pointId = null)
    {
        lock (_lock)
        {
            if (outcome.IsOk && order is not null)
            {
                Touched = true;
                var items = order.Items.GroupBy(i => i.LotId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(i => i.Quantity), StringComparer.Ordinal);
                foreach (var lotId in items.Keys)
                {
                    Holds.Remove(lotId);
                }

                Orders.Add(new OrderRecord(order.OrderId, items, method, order.Payment.PaymentId, order.Status, pointId));
            }
            else if (IsUnknown(outcome) || (outcome.IsOk && order is null))
            {
                Touched = true;
                UncertainOrders = true;
                UncertainLots.UnionWith(Holds.Keys);
            }
        }
    }

    public void PaymentAnswered(OrderRecord order, string result, StepOutcome outcome)
    {
        lock (_lock)
        {
            if (outcome.IsOk)
            {
                order.ExpectedStatus = result == "succeeded" ? "paid" : order.ExpectedStatus;
            }
            else if (IsUnknown(outcome))
            {
                order.ExpectedStatus = null;
            }
        }
    }

    /// <summary>A move of the order's shipment (ship, handover) was answered; <paramref name="paidAtHandover"/> when cash on delivery was collected by it.</summary>
    public void ShipmentAnswered(OrderRecord order, string status, StepOutcome outcome, bool paidAtHandover = false)
    {
        lock (_lock)
        {
            if (outcome.IsOk)
            {
                order.ExpectedShipment = status;
                if (paidAtHandover)
                {
                    order.ExpectedStatus = "paid";
                }
            }
            else if (IsUnknown(outcome))
            {
                order.ShipmentUncertain = true;
                order.ExpectedShipment = null;
                order.ExpectedStatus = paidAtHandover ? null : order.ExpectedStatus;
            }
        }
    }

    public (Dictionary<string, int> Holds, HashSet<string> UncertainLots, List<OrderRecord> Orders, bool UncertainOrders) Snapshot()
    {
        lock (_lock)
        {
            return (new Dictionary<string, int>(Holds, StringComparer.Ordinal), new HashSet<string>(UncertainLots, StringComparer.Ordinal), Orders.ToList(), UncertainOrders);
        }
    }

    /// <summary>A 4xx is a refusal, and a refused request changes nothing; anything else unanswered may have.</summary>
    private static bool IsUnknown(StepOutcome outcome) => outcome.Kind == OutcomeKind.Failed && outcome.StatusCode is 0 or >= 500;
}

/// <summary>Everything the harness did to the target that the audit must find again.</summary>
public sealed class SaleLedger
{
    private readonly ConcurrentDictionary<string, int> _lots = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ShopperRecord> _shoppers = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, int> Lots => _lots;

    public IEnumerable<ShopperRecord> Shoppers => _shoppers.Values;

    public void AddLot(LotView lot) => _lots[lot.LotId] = lot.Quantity;

    public ShopperRecord AddShopper(Identity identity) => _shoppers.GetOrAdd(identity.Id, _ => new ShopperRecord(identity));
}
