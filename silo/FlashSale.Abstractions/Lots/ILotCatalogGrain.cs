namespace FlashSale.Lots;

/// <summary>The list of lots on sale, so <c>GET /api/lots</c> needs no scan of storage.</summary>
public interface ILotCatalogGrain : IGrainWithIntegerKey
{
    Task Register(string lotId, string sellerId);

    /// <summary>The lot leaves the catalog (an operator took it down); idempotent.</summary>
    Task Remove(string lotId);

    Task<IReadOnlyList<string>> List();

    Task<IReadOnlyList<string>> ListBySeller(string sellerId);

    /// <summary>Rises with every registration and removal: a copy of the listing is current while this is unchanged.</summary>
    Task<long> GetVersion();

    /// <summary>The lots in creation order, each with its place in that order (a number that never changes), at one version.</summary>
    Task<CatalogListing> Listing();
}

/// <summary>The catalog at one version: its lots in creation order.</summary>
[GenerateSerializer, Immutable]
public sealed record CatalogListing([property: Id(0)] long Version, [property: Id(1)] IReadOnlyList<CatalogEntry> Lots);

/// <summary>A lot in the catalog and its place in creation order, which a page's cursor names.</summary>
[GenerateSerializer, Immutable]
public sealed record CatalogEntry([property: Id(0)] string LotId, [property: Id(1)] long Place);
