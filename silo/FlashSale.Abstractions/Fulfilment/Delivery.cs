using System.Text.Json.Serialization;

namespace FlashSale.Fulfilment;

/// <summary>How an order reaches its shopper; serialized in kebab case.</summary>
public enum DeliveryKind
{
    /// <summary>Collected at a village service point, against the order's pickup code.</summary>
    Pickup,

    /// <summary>Brought to an address by the seller.</summary>
    Home,
}

/// <summary>
/// A home address. Personal data: it is shown only to the shopper, the sellers of the order's
/// lots and the agent of the order's service point, which are exactly the callers the order
/// routes already admit.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record DeliveryAddress(
    [property: Id(0)] string Name,
    [property: Id(1)] string Phone,
    [property: Id(2)] string Line1,
    [property: Id(3)] string Village,
    [property: Id(4)] string Region);

/// <summary>
/// The order's delivery: a service point (<see cref="PointId"/>, run by <see cref="AgentId"/>)
/// or a home <see cref="Address"/>. The agent id is resolved when the choice is made, so the
/// order knows whose point it goes to without asking the directory again.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OrderDelivery(
    [property: Id(0)] DeliveryKind Kind,
    [property: Id(1), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PointId,
    [property: Id(2), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DeliveryAddress? Address,
    [property: Id(3), JsonIgnore] string? AgentId = null)
{
    public static OrderDelivery AtPoint(PickupPoint point) => new(DeliveryKind.Pickup, point.PointId, null, point.AgentId);

    public static OrderDelivery ToHome(DeliveryAddress address) => new(DeliveryKind.Home, null, address);
}

/// <summary>A village service point: an approved agent's station.</summary>
[GenerateSerializer, Immutable]
public sealed record PickupPoint(
    [property: Id(0)] string PointId,
    [property: Id(1)] string AgentId,
    [property: Id(2)] string Name,
    [property: Id(3)] string Village);

/// <summary>
/// The service points of approved agents (one grain, key 0). An agent's point id is derived
/// from its agent id (<see cref="PickupPoints.PointIdOf"/>), so an agent has exactly one point.
/// </summary>
public interface IPickupPointDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Registers (or renames) an approved agent's point. Idempotent.</summary>
    Task<PickupPoint> Register(string agentId, string name, string village);

    /// <summary>The points, those of <paramref name="village"/> first when one is given (case-insensitive), then by village and name.</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<IReadOnlyList<PickupPoint>> List(string? village);

    [Orleans.Concurrency.AlwaysInterleave]
    Task<PickupPoint?> Find(string pointId);
}

public static class PickupPoints
{
    public const string PointPrefix = "pnt_";

    /// <summary>The point of an agent: the agent id's random part under the point prefix.</summary>
    public static string PointIdOf(string agentId) => PointPrefix + agentId[Common.Ids.AgentPrefix.Length..];
}
