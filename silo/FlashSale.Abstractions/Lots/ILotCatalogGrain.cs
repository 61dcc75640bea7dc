namespace FlashSale.Lots;

/// <summary>The list of lots on sale, so <c>GET /api/lots</c> needs no scan of storage.</summary>
public interface ILotCatalogGrain : IGrainWithIntegerKey
{
    Task Register(string lotId, string sellerId);

    Task<IReadOnlyList<string>> List();

    Task<IReadOnlyList<string>> ListBySeller(string sellerId);
}
