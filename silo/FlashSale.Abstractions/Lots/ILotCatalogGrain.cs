namespace FlashSale.Lots;

/// <summary>The list of lots on sale, so <c>GET /api/lots</c> needs no scan of storage.</summary>
public interface ILotCatalogGrain : IGrainWithIntegerKey
{
    Task Register(string lotId, string sellerId);

    /// <summary>The lot leaves the catalog (an operator took it down); idempotent.</summary>
    Task Remove(string lotId);

    Task<IReadOnlyList<string>> List();

    Task<IReadOnlyList<string>> ListBySeller(string sellerId);
}
