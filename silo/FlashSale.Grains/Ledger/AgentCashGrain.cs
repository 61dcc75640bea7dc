using FlashSale.Common;
using FlashSale.Fulfilment;
using Microsoft.Extensions.DependencyInjection;

namespace FlashSale.Ledger;

/// <summary>
/// The cash one agent holds for each seller. A remittance is written here as pending first (so
/// the agent cannot promise the same cash twice), then handed to the seller's ledger; the held
/// cash falls only when the seller confirms (<see cref="Settle"/>).
/// </summary>
internal sealed class AgentCashGrain(
    [PersistentState("agent-cash", StorageNames.Default)] IPersistentState<AgentCashState> state,
    [FromKeyedServices(FlashSaleClock.Key)] TimeProvider time) : Grain, IAgentCashGrain
{
    private string AgentId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A remittance written here whose seller never heard of it is told again.
        foreach (var remittance in state.State.Remittances.Values.Where(r => r.Status == RemittanceStatus.Pending))
        {
            await GrainFactory.GetGrain<ISellerLedgerGrain>(remittance.SellerId).AddPendingRemittance(remittance);
        }
    }

    public async Task Record(string entryId, string sellerId, string currency, long deltaMinor)
    {
        if (!state.State.Applied.Add(entryId))
        {
            return;
        }

        var key = Key(sellerId, currency);
        state.State.Held[key] = checked(state.State.Held.GetValueOrDefault(key) + deltaMinor);
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<AgentCashHeld>> GetHeld() =>
        Task.FromResult<IReadOnlyList<AgentCashHeld>>(state.State.Held
            .Select(h => (Parts: h.Key.Split('/'), h.Value))
            .Select(h => new AgentCashHeld(h.Parts[0], h.Parts[1], h.Value, Pending(h.Parts[0], h.Parts[1])))
            .OrderBy(h => h.SellerId, StringComparer.Ordinal).ThenBy(h => h.Currency, StringComparer.Ordinal)
            .ToList());

    public async Task<Outcome<Remittance>> Remit(string sellerId, string currency, long amountMinor)
    {
        var held = state.State.Held.GetValueOrDefault(Key(sellerId, currency));
        var pending = Pending(sellerId, currency);
        if (amountMinor <= 0 || checked(pending + amountMinor) > held)
        {
            return Refusal.Conflict(FulfilmentTexts.RemitTooMuch.Format(held, pending));
        }

        var remittance = new Remittance(Ids.New(RemittanceIds.Prefix), AgentId, sellerId, currency, amountMinor, RemittanceStatus.Pending, time.GetUtcNow());
        state.State.Remittances[remittance.RemittanceId] = remittance;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<ISellerLedgerGrain>(sellerId).AddPendingRemittance(remittance);
        return Outcome<Remittance>.Ok(remittance);
    }

    public async Task Settle(string remittanceId)
    {
        if (state.State.Remittances.TryGetValue(remittanceId, out var remittance) && remittance.Status == RemittanceStatus.Pending)
        {
            var key = Key(remittance.SellerId, remittance.Currency);
            state.State.Held[key] = checked(state.State.Held.GetValueOrDefault(key) - remittance.AmountMinor);
            state.State.Remittances[remittanceId] = remittance with { Status = RemittanceStatus.Confirmed, ConfirmedAt = time.GetUtcNow() };
            await state.WriteStateAsync();
        }
    }

    private long Pending(string sellerId, string currency) =>
        state.State.Remittances.Values
            .Where(r => r.Status == RemittanceStatus.Pending && r.SellerId == sellerId && r.Currency == currency)
            .Sum(r => r.AmountMinor);

    private static string Key(string sellerId, string currency) => $"{sellerId}/{currency}";
}

[GenerateSerializer]
public sealed class AgentCashState
{
    /// <summary>Held cash by <c>{sellerId}/{currency}</c>.</summary>
    [Id(0)]
    public Dictionary<string, long> Held { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Ids of cash entries already recorded.</summary>
    [Id(1)]
    public HashSet<string> Applied { get; set; } = new(StringComparer.Ordinal);

    [Id(2)]
    public Dictionary<string, Remittance> Remittances { get; set; } = new(StringComparer.Ordinal);
}
