using FlashSale.Carts;
using FlashSale.Common;
using FlashSale.Orders;
using Orleans.Concurrency;

namespace FlashSale.Agents;

/// <summary>A shopper without a phone of their own, registered and served by a village agent.</summary>
[GenerateSerializer, Immutable]
public sealed record Villager(
    [property: Id(0)] string ShopperId,
    [property: Id(1)] string Name,
    [property: Id(2)] DateTimeOffset RegisteredAt);

/// <summary>
/// One village agent (key: agent id). It knows the agent's villagers, so only the registering
/// agent acts for them, and it is the one place where the agent's share of a lot is judged:
/// every change an agent makes to a villager's holds runs here, one at a time, so the cap per
/// agent per lot has no race. Call order: agent → cart / payment → order → lot.
/// </summary>
public interface IAgentGrain : IGrainWithStringKey
{
    Task<Villager> RegisterVillager(string name);

    [AlwaysInterleave]
    Task<IReadOnlyList<Villager>> ListVillagers();

    /// <summary>True when <paramref name="shopperId"/> is one of this agent's villagers.</summary>
    [AlwaysInterleave]
    Task<bool> Represents(string shopperId);

    /// <summary>Sets a villager's held quantity of a lot, within the villager's limit and the agent's cap.</summary>
    Task<Outcome<Cart>> SetItem(string villagerId, string lotId, int quantity);

    /// <summary>The agent collected the cash for a villager's order: the order is paid (or, if late, retaken or refunded).</summary>
    Task<Outcome<Order>> MarkCollected(string orderId);
}
