using FlashSale.Common;

namespace FlashSale.Fulfilment;

/// <summary>An ordered, duplicate-free list of order ids, written before it answers.</summary>
[GenerateSerializer]
public sealed class OrderIndexState
{
    [Id(0)]
    public List<string> OrderIds { get; set; } = [];

    [Id(1)]
    public HashSet<string> Known { get; set; } = new(StringComparer.Ordinal);

    public bool Add(string orderId)
    {
        if (!Known.Add(orderId))
        {
            return false;
        }

        OrderIds.Add(orderId);
        return true;
    }
}

/// <summary>A lot's fulfilled orders, for its seller's order desk.</summary>
internal sealed class LotOrdersGrain(
    [PersistentState("lot-orders", StorageNames.Default)] IPersistentState<OrderIndexState> state) : Grain, ILotOrdersGrain
{
    public async Task Add(string orderId)
    {
        if (state.State.Add(orderId))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> Page(int from, int count) =>
        Task.FromResult<IReadOnlyList<string>>(state.State.OrderIds.Skip(Math.Max(0, from)).Take(Math.Max(0, count)).ToList());
}

/// <summary>The parcels shipped to one agent's point.</summary>
internal sealed class AgentParcelsGrain(
    [PersistentState("agent-parcels", StorageNames.Default)] IPersistentState<OrderIndexState> state) : Grain, IAgentParcelsGrain
{
    public async Task Add(string orderId)
    {
        if (state.State.Add(orderId))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> List() => Task.FromResult<IReadOnlyList<string>>(state.State.OrderIds.ToList());
}

/// <summary>The service points of approved agents, in one small grain: points are few (one per agent) and read often.</summary>
internal sealed class PickupPointDirectoryGrain(
    [PersistentState("pickup-points", StorageNames.Default)] IPersistentState<PickupPointDirectoryState> state) : Grain, IPickupPointDirectoryGrain
{
    public async Task<PickupPoint> Register(string agentId, string name, string village)
    {
        var point = new PickupPoint(PickupPoints.PointIdOf(agentId), agentId, name, village);
        if (state.State.Points.GetValueOrDefault(point.PointId) != point)
        {
            state.State.Points[point.PointId] = point;
            await state.WriteStateAsync();
        }

        return point;
    }

    public Task<IReadOnlyList<PickupPoint>> List(string? village) =>
        Task.FromResult<IReadOnlyList<PickupPoint>>(state.State.Points.Values
            .OrderBy(p => village is not null && string.Equals(p.Village, village, StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ThenBy(p => p.Village, StringComparer.Ordinal)
            .ThenBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.PointId, StringComparer.Ordinal)
            .ToList());

    public Task<PickupPoint?> Find(string pointId) => Task.FromResult(state.State.Points.GetValueOrDefault(pointId));
}

[GenerateSerializer]
public sealed class PickupPointDirectoryState
{
    [Id(0)]
    public Dictionary<string, PickupPoint> Points { get; set; } = new(StringComparer.Ordinal);
}
