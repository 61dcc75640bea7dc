using FlashSale.Common;
using Microsoft.Extensions.Options;

namespace FlashSale.Lots;

/// <summary>
/// Keeps the seller's live-lot quota. Not reentrant: the seller's creations run one at a time,
/// so the count and the creation it allows are one decision. A lot id is written here before
/// the lot is created, so a crash between the two can only over-count, never let a lot slip
/// past the quota; an id whose lot does not exist (its creation failed or never ran) is dropped
/// on the next recount, which only runs here, when no creation of this seller is in flight.
/// </summary>
internal sealed class SellerLotsGrain(
    [PersistentState("seller-lots", StorageNames.Default)] IPersistentState<SellerLotsState> state,
    IOptions<LotQuotaOptions> quota) : Grain, ISellerLotsGrain
{
    private string SellerId => this.GetPrimaryKeyString();

    public async Task<Outcome<Lot>> CreateLot(string lotId, LotDefinition definition)
    {
        if (!string.Equals(definition.SellerId, SellerId, StringComparison.Ordinal))
        {
            return Refusal.Forbidden(EngineTexts.OnlyTheSeller);
        }

        await AdoptLotsFromBeforeTheQuota();
        var max = quota.Value.MaxLiveLotsPerSeller;
        if (!state.State.Counted.Contains(lotId))
        {
            if (state.State.Counted.Count >= max)
            {
                await Recount();
            }

            if (state.State.Counted.Count >= max)
            {
                return new Refusal(RefusalCode.LimitExceeded, EngineTexts.LiveLotQuota.Format(max));
            }

            state.State.Counted.Add(lotId);
            await Write();
        }

        // The phone code is the engine's to give, after the quota allowed the lot: a refused
        // creation burns no code. Idempotent per lot id, so a retried creation keeps its code.
        var phoneCode = await GrainFactory.GetGrain<IPhoneCodeDirectoryGrain>(0).Assign(lotId);
        var created = await GrainFactory.GetGrain<IProduceLotGrain>(lotId).Create(definition with { PhoneCode = phoneCode });
        if (!created.Succeeded && await GrainFactory.GetGrain<IProduceLotGrain>(lotId).Get() is null)
        {
            state.State.Counted.Remove(lotId);
            await Write();
        }

        return created;
    }

    public async Task<int> CountLive()
    {
        await AdoptLotsFromBeforeTheQuota();
        await Recount();
        return state.State.Counted.Count;
    }

    /// <summary>A seller whose lots were created before the quota existed starts with them counted.</summary>
    private async Task AdoptLotsFromBeforeTheQuota()
    {
        if (!state.RecordExists && !state.State.Adopted)
        {
            state.State.Counted.AddRange(await GrainFactory.GetGrain<ILotCatalogGrain>(0).ListBySeller(SellerId));
            state.State.Adopted = true;
        }
    }

    /// <summary>Drops the lots that have ended, been taken down, or were never created.</summary>
    private async Task Recount()
    {
        var ids = state.State.Counted.ToList();
        var lots = await Task.WhenAll(ids.Select(id => GrainFactory.GetGrain<IProduceLotGrain>(id).Get()));
        var live = ids.Where((_, i) => lots[i] is { Status: not LotStatus.Ended }).ToList();
        if (live.Count != ids.Count)
        {
            state.State.Counted = live;
            await Write();
        }
    }

    private async Task Write()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Memory is ahead of storage now: drop this activation, the next one starts from storage.
            DeactivateOnIdle();
            throw;
        }
    }
}

[GenerateSerializer]
public sealed class SellerLotsState
{
    /// <summary>The seller's lots that may still be live, oldest first.</summary>
    [Id(0)]
    public List<string> Counted { get; set; } = [];

    [Id(1)]
    public bool Adopted { get; set; }
}

/// <summary>How many live lots one seller may have (<c>FlashSale:Limits:MaxLiveLotsPerSeller</c>).</summary>
public sealed class LotQuotaOptions
{
    public const string Section = "FlashSale:Limits";

    public int MaxLiveLotsPerSeller { get; set; } = 100;
}
