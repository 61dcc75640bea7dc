using FlashSale.Carts;
using FlashSale.Common;
using FlashSale.Lots;
using FlashSale.Orders;
using FlashSale.Payments;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FlashSale.Agents;

/// <summary>
/// A village agent: the villagers it registered, and its share of each lot. Not reentrant, and
/// every change the agent makes to a villager's holds goes through it, so "what my villagers hold
/// and bought of this lot, plus this change" is judged against the cap with nothing in between.
/// The lots an agent's villagers touched are written before the cart is asked, so a crash
/// between the two can only over-count the agent's share, never hide it.
/// </summary>
internal sealed class AgentGrain(
    [PersistentState("agent", StorageNames.Default)] IPersistentState<AgentState> state,
    [FromKeyedServices(FlashSaleClock.Key)] TimeProvider time,
    IOptions<AgentOptions> options,
    IOptions<PaymentOptions> payments) : Grain, IAgentGrain
{
    public async Task<Villager> RegisterVillager(string name)
    {
        var villager = new Villager(Ids.New(Ids.ShopperPrefix), name, time.GetUtcNow());
        state.State.Villagers[villager.ShopperId] = villager;
        await state.WriteStateAsync();
        return villager;
    }

    public Task<IReadOnlyList<Villager>> ListVillagers() =>
        Task.FromResult<IReadOnlyList<Villager>>(state.State.Villagers.Values.OrderBy(v => v.RegisteredAt).ThenBy(v => v.ShopperId, StringComparer.Ordinal).ToList());

    public Task<bool> Represents(string shopperId) => Task.FromResult(state.State.Villagers.ContainsKey(shopperId));

    public async Task<Outcome<Cart>> SetItem(string villagerId, string lotId, int quantity)
    {
        if (!state.State.Villagers.ContainsKey(villagerId))
        {
            return Refusal.NotFound(EngineTexts.TheVillager);
        }

        var cart = GrainFactory.GetGrain<IShopperCartGrain>(villagerId);
        if (quantity > 0)
        {
            if (await GrainFactory.GetGrain<IProduceLotGrain>(lotId).Get() is not { } lot)
            {
                return Refusal.NotFound(EngineTexts.TheLot);
            }

            var cap = options.Value.CapFor(lot.Quantity);
            var others = await ShareOf(lotId, exceptVillager: villagerId);
            if (others + quantity > cap)
            {
                return new Refusal(RefusalCode.LimitExceeded, EngineTexts.AgentCap.Format(cap, others));
            }

            if (!state.State.VillagersByLot.TryGetValue(lotId, out var touched))
            {
                state.State.VillagersByLot[lotId] = touched = new HashSet<string>(StringComparer.Ordinal);
            }

            if (touched.Add(villagerId))
            {
                await state.WriteStateAsync();
            }
        }

        return await cart.SetItem(lotId, quantity);
    }

    public async Task<Outcome<Order>> MarkCollected(string orderId)
    {
        if (await GrainFactory.GetGrain<IOrderGrain>(orderId).Get() is not { } order || !state.State.Villagers.ContainsKey(order.ShopperId))
        {
            return Refusal.NotFound(EngineTexts.TheOrder);
        }

        if (payments.Value.Find(order.Currency, order.Payment.Method) is not { Flow: PaymentFlow.Agent or PaymentFlow.OnDelivery })
        {
            return Refusal.Conflict(EngineTexts.NotPaidInCash.Format(order.Payment.Method));
        }

        // Cash for an order past its deadline retakes the stock if it is still there; that take
        // must fit the agent's cap beside what the other orders and holds of its villagers have
        // taken since. If it does not, the agent hands the cash back and nothing changes.
        if (order.Status == OrderStatus.Expired)
        {
            foreach (var item in order.Items)
            {
                var lot = await GrainFactory.GetGrain<IProduceLotGrain>(item.LotId).Get();
                var cap = options.Value.CapFor(lot?.Quantity ?? 0);
                var share = await ShareOf(item.LotId, exceptVillager: null); // the expired order no longer counts
                if (share + item.Quantity > cap)
                {
                    return new Refusal(RefusalCode.LimitExceeded, EngineTexts.ExpiredRetakeOverCap.Format(cap));
                }
            }
        }

        // The ledger must know whose hands the cash is in before the order turns paid.
        await GrainFactory.GetGrain<Fulfilment.IOrderFulfilmentGrain>(orderId).NoteCashCollector(this.GetPrimaryKeyString());

        // One collection per payment: the event id is the order's (its balance's, for a presale's
        // second payment), so a repeated call is a duplicate.
        var eventId = order.Payment.PaymentId.EndsWith(PaymentIds.BalanceSuffix, StringComparison.Ordinal) ? $"collected-{orderId}-balance" : $"collected-{orderId}";
        var collected = new PaymentEvent(eventId, order.Payment.PaymentId, PaymentEventType.Succeeded, order.AmountOf(order.Payment), order.Currency);
        var receipt = await GrainFactory.GetGrain<IPaymentGrain>(order.Payment.PaymentId).Apply(order.Payment.Method, collected);
        return receipt.Succeeded ? Outcome<Order>.Ok(receipt.Value.Order) : receipt.Refusal;
    }

    /// <summary>What the agent's villagers hold and bought of a lot: live holds plus orders not cancelled, expired or refunded.</summary>
    private async Task<int> ShareOf(string lotId, string? exceptVillager)
    {
        if (!state.State.VillagersByLot.TryGetValue(lotId, out var villagers))
        {
            return 0;
        }

        var shares = await Task.WhenAll(villagers.Where(v => v != exceptVillager)
            .Select(v => GrainFactory.GetGrain<IShopperCartGrain>(v).QuantityTowardsLimit(lotId)));
        return shares.Sum();
    }
}

/// <summary>How much of one lot a single agent may take for all its villagers together (<c>FlashSale:Agents</c>).</summary>
public sealed class AgentOptions
{
    public const string Section = "FlashSale:Agents";

    /// <summary>At most this many units of one lot per agent.</summary>
    public int MaxUnitsPerLot { get; set; } = 50;

    /// <summary>At most this share of the lot's quantity per agent (at least one unit).</summary>
    public double MaxShareOfLot { get; set; } = 0.25;

    public int CapFor(int lotQuantity) =>
        Math.Min(MaxUnitsPerLot, Math.Max(1, (int)Math.Floor(lotQuantity * MaxShareOfLot)));
}

[GenerateSerializer]
public sealed class AgentState
{
    [Id(0)]
    public Dictionary<string, Villager> Villagers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>For each lot, the villagers whose holds or orders may count against the agent's share.</summary>
    [Id(1)]
    public Dictionary<string, HashSet<string>> VillagersByLot { get; set; } = new(StringComparer.Ordinal);
}
