using FlashSale.Common;
using FlashSale.Fulfilment;
using Microsoft.Extensions.DependencyInjection;

namespace FlashSale.Ledger;

/// <summary>
/// One seller's money, per currency. Every entry is applied once (by id) with checked arithmetic
/// and moves both sides of <c>paid − refunded == gateway + heldByAgents + heldBySeller + remitted</c>
/// by the same amount. A confirmed remittance is written with a flag that the agent's cash still
/// has to fall, and that flag is cleared only once the agent's grain has taken it.
/// </summary>
internal sealed class SellerLedgerGrain(
    [PersistentState("seller-ledger", StorageNames.Default)] IPersistentState<SellerLedgerState> state,
    [FromKeyedServices(FlashSaleClock.Key)] TimeProvider time) : Grain, ISellerLedgerGrain
{
    public override async Task OnActivateAsync(CancellationToken cancellationToken) => await SettleAgentsIfOwed();

    public async Task Post(IReadOnlyList<LedgerEntry> entries)
    {
        var changed = false;
        try
        {
            foreach (var entry in entries)
            {
                changed |= state.State.Book.Apply(entry);
            }

            if (changed)
            {
                await state.WriteStateAsync();
            }
        }
        catch
        {
            // An entry that does not fit (checked arithmetic) or a failed write leaves the entries
            // before it applied in memory only: drop this activation, the next starts from storage.
            DeactivateOnIdle();
            throw;
        }
    }

    public Task<IReadOnlyList<LedgerBalance>> GetBalances() =>
        Task.FromResult<IReadOnlyList<LedgerBalance>>(state.State.Book.Balances.Values.OrderBy(b => b.Currency, StringComparer.Ordinal).ToList());

    public Task<LedgerStatement> GetStatement(DateOnly date)
    {
        var end = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(1);
        var day = state.State.Book.Entries.Where(e => DateOnly.FromDateTime(e.At.UtcDateTime) == date).ToList();
        var closing = new LedgerBook();
        foreach (var entry in state.State.Book.Entries.Where(e => e.At < end))
        {
            closing.Apply(entry);
        }

        return Task.FromResult(new LedgerStatement(this.GetPrimaryKeyString(), date, day,
            closing.Balances.Values.OrderBy(b => b.Currency, StringComparer.Ordinal).ToList()));
    }

    public async Task AddPendingRemittance(Remittance remittance)
    {
        if (!state.State.Remittances.ContainsKey(remittance.RemittanceId))
        {
            state.State.Remittances[remittance.RemittanceId] = remittance;
            await state.WriteStateAsync();
        }
    }

    public async Task<Outcome<Remittance>> ConfirmRemittance(string remittanceId)
    {
        if (!state.State.Remittances.TryGetValue(remittanceId, out var remittance))
        {
            return Refusal.NotFound(FulfilmentTexts.TheRemittance);
        }

        if (remittance.Status == RemittanceStatus.Confirmed)
        {
            return Refusal.Conflict(FulfilmentTexts.RemittanceConfirmed);
        }

        var now = time.GetUtcNow();
        var confirmed = remittance with { Status = RemittanceStatus.Confirmed, ConfirmedAt = now };
        state.State.Book.Apply(new LedgerEntry($"remittance/{remittanceId}", LedgerEntryKind.RemittanceConfirmed, remittance.Currency, remittance.AmountMinor, now, null, remittance.AgentId));
        state.State.Remittances[remittanceId] = confirmed;
        state.State.AgentsToSettle.Add(remittanceId);
        await state.WriteStateAsync();
        await SettleAgentsIfOwed();
        return Outcome<Remittance>.Ok(confirmed);
    }

    public Task<IReadOnlyList<Remittance>> ListRemittances() =>
        Task.FromResult<IReadOnlyList<Remittance>>(state.State.Remittances.Values.OrderBy(r => r.CreatedAt).ThenBy(r => r.RemittanceId, StringComparer.Ordinal).ToList());

    /// <summary>Tells each agent whose remittance was confirmed; idempotent in the agent's grain, so a retry is harmless.</summary>
    private async Task SettleAgentsIfOwed()
    {
        if (state.State.AgentsToSettle.Count == 0)
        {
            return;
        }

        foreach (var remittanceId in state.State.AgentsToSettle.ToList())
        {
            await GrainFactory.GetGrain<IAgentCashGrain>(state.State.Remittances[remittanceId].AgentId).Settle(remittanceId);
            state.State.AgentsToSettle.Remove(remittanceId);
        }

        await state.WriteStateAsync();
    }
}

[GenerateSerializer]
public sealed class SellerLedgerState
{
    [Id(0)]
    public LedgerBook Book { get; set; } = new();

    [Id(1)]
    public Dictionary<string, Remittance> Remittances { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Confirmed remittances whose agent has not yet lowered its held cash.</summary>
    [Id(2)]
    public HashSet<string> AgentsToSettle { get; set; } = new(StringComparer.Ordinal);
}
