namespace FlashSale.Lots;

/// <summary>The list of lots, in creation order, with their sellers.</summary>
internal sealed class LotCatalogGrain(
    [PersistentState("catalog", StorageNames.Default)] IPersistentState<LotCatalogState> state) : Grain, ILotCatalogGrain
{
    public async Task Register(string lotId, string sellerId)
    {
        if (state.State.Sellers.ContainsKey(lotId))
        {
            return;
        }

        state.State.LotIds.Add(lotId);
        state.State.Sellers[lotId] = sellerId;
        await state.WriteStateAsync();
    }

    public async Task Remove(string lotId)
    {
        if (state.State.Sellers.Remove(lotId))
        {
            state.State.LotIds.Remove(lotId);
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> List() => Task.FromResult<IReadOnlyList<string>>(state.State.LotIds.ToList());

    public Task<IReadOnlyList<string>> ListBySeller(string sellerId) =>
        Task.FromResult<IReadOnlyList<string>>(
            state.State.LotIds.Where(id => string.Equals(state.State.Sellers[id], sellerId, StringComparison.Ordinal)).ToList());
}

[GenerateSerializer]
public sealed class LotCatalogState
{
    [Id(0)]
    public List<string> LotIds { get; set; } = [];

    [Id(1)]
    public Dictionary<string, string> Sellers { get; set; } = new(StringComparer.Ordinal);
}
