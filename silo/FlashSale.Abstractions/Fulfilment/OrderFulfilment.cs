using System.Text.Json.Serialization;

namespace FlashSale.Fulfilment;

/// <summary>Where one seller's part of an order stands; serialized in kebab case.</summary>
public enum ShipmentStatus
{
    AwaitingPacking,
    Packed,
    Shipped,
    AtPickupPoint,
    Collected,
    Delivered,

    /// <summary>The seller cancelled before shipping (an addition to the contract's values).</summary>
    Cancelled,
}

public static class ShipmentStatuses
{
    /// <summary>The status as the contract writes it (<c>at-pickup-point</c>).</summary>
    public static string Kebab(ShipmentStatus status) => status switch
    {
        ShipmentStatus.AwaitingPacking => "awaiting-packing",
        ShipmentStatus.Packed => "packed",
        ShipmentStatus.Shipped => "shipped",
        ShipmentStatus.AtPickupPoint => "at-pickup-point",
        ShipmentStatus.Collected => "collected",
        ShipmentStatus.Delivered => "delivered",
        _ => "cancelled",
    };
}

[GenerateSerializer, Immutable]
public sealed record ShipmentEvent(
    [property: Id(0)] ShipmentStatus Status,
    [property: Id(1)] DateTimeOffset At);

/// <summary>One seller's lots of an order, travelling together, with every change timestamped.</summary>
[GenerateSerializer, Immutable]
public sealed record Shipment(
    [property: Id(0)] string SellerId,
    [property: Id(1)] IReadOnlyList<string> LotIds,
    [property: Id(2)] ShipmentStatus Status,
    [property: Id(3)] IReadOnlyList<ShipmentEvent> History,
    [property: Id(4), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TrackingId = null,
    [property: Id(5), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CancelReason = null)
{
    public Shipment MovedTo(ShipmentStatus status, DateTimeOffset at) =>
        this with { Status = status, History = [.. History, new ShipmentEvent(status, at)] };
}

/// <summary>
/// The order's way to its shopper, from the moment it is paid or confirmed for cash on delivery.
/// <see cref="PickupCode"/> is shown to the owning shopper only: views for sellers and agents
/// are made with <see cref="WithoutCode"/>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OrderFulfilment(
    [property: Id(0)] IReadOnlyList<Shipment> Shipments,
    [property: Id(1), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PickupCode)
{
    public OrderFulfilment WithoutCode() => this with { PickupCode = null };

    public Shipment? ShipmentOf(string sellerId) => Shipments.FirstOrDefault(s => string.Equals(s.SellerId, sellerId, StringComparison.Ordinal));
}
