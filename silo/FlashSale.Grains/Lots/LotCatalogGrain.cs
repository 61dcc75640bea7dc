namespace FlashSale.Lots;

/// <summary>The list of lots, in creation order, with their sellers and their places in that order.</summary>
internal sealed class LotCatalogGrain(
    [PersistentState("catalog", StorageNames.Default)] IPersistentState<LotCatalogState> state) : Grain, ILotCatalogGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A catalog stored before places existed: its lots take places in their creation order.
        foreach (var lotId in state.State.LotIds.Where(id => !state.State.Places.ContainsKey(id)))
        {
            state.State.Places[lotId] = ++state.State.LastPlace;
        }

        return Task.CompletedTask;
    }

    public async Task Register(string lotId, string sellerId)
    {
        if (state.State.Sellers.ContainsKey(lotId))
        {
            return;
        }

        state.State.LotIds.Add(lotId);
        state.State.Sellers[lotId] = sellerId;
        state.State.Places[lotId] = ++state.State.LastPlace;
        state.State.Version++;
        await state.WriteStateAsync();
    }

    public async Task Remove(string lotId)
    {
        if (state.State.Sellers.Remove(lotId))
        {
            state.State.LotIds.Remove(lotId);
            state.State.Places.Remove(lotId);
            state.State.Version++;
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> List() => Task.FromResult<IReadOnlyList<string>>(state.State.LotIds.ToList());

    public Task<IReadOnlyList<string>> ListBySeller(string sellerId) =>
        Task.FromResult<IReadOnlyList<string>>(
            state.State.LotIds.Where(id => string.Equals(state.State.Sellers[id], sellerId, StringComparison.Ordinal)).ToList());

    public Task<long> GetVersion() => Task.FromResult(state.State.Version);

    public Task<CatalogListing> Listing() => Task.FromResult(
        new CatalogListing(state.State.Version, state.State.LotIds.Select(id => new CatalogEntry(id, state.State.Places[id])).ToList()));
}

[GenerateSerializer]
public sealed class LotCatalogState
{
    [Id(0)]
    public List<string> LotIds { get; set; } = [];

    [Id(1)]
    public Dictionary<string, string> Sellers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Each lot's place in creation order; never reused, so a cursor stays meaningful after a removal.</summary>
    [Id(2)]
    public Dictionary<string, long> Places { get; set; } = new(StringComparer.Ordinal);

    [Id(3)]
    public long LastPlace { get; set; }

    [Id(4)]
    public long Version { get; set; }
}
