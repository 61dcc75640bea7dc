namespace FlashSale.Carts;

[GenerateSerializer]
public sealed class CartState
{
    /// <summary>
    /// Held lines by lot. A line past its expiry is no longer held: the lot has returned it.
    /// </summary>
    /// <remarks>
    /// The lots are the truth of every hold (their journals record each one durably, with its
    /// shopper), so only a line's arrival is written here: once stored, the lot is known, and a
    /// new quantity, a new expiry or the line's removal is kept in memory until the cart's next
    /// write. What is stored is therefore every lot the shopper may hold in, with perhaps older
    /// figures; an activation reads each line back from its lot (<c>ShopperCartGrain.OnActivateAsync</c>).
    /// </remarks>
    [Id(0)]
    public Dictionary<string, CartLine> Lines { get; set; } = new(StringComparer.Ordinal);

    /// <summary>What each of the shopper's orders took, for the per-shopper limit.</summary>
    [Id(1)]
    public Dictionary<string, OrderLedgerEntry> Orders { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The shopper's orders, oldest first.</summary>
    [Id(2)]
    public List<string> OrderIds { get; set; } = [];

    /// <summary>A checkout whose order may exist although the cart has not yet recorded it.</summary>
    [Id(3)]
    public PendingCheckout? Pending { get; set; }

    public IEnumerable<CartLine> LiveLines(DateTimeOffset now) => Lines.Values.Where(l => l.ExpiresAt > now);

    public void PruneExpired(DateTimeOffset now)
    {
        foreach (var line in Lines.Values.Where(l => l.ExpiresAt <= now).ToList())
        {
            Lines.Remove(line.LotId);
        }
    }

    /// <summary>How many of a lot the shopper's orders hold that were not cancelled, expired or refunded.</summary>
    public int CommittedTo(string lotId) =>
        Orders.Values.Where(o => !o.Released).Sum(o => o.Quantities.GetValueOrDefault(lotId));
}

[GenerateSerializer, Immutable]
public sealed record CartLine(
    [property: Id(0)] string LotId,
    [property: Id(1)] int Quantity,
    [property: Id(2)] long PriceMinor,
    [property: Id(3)] string Currency,
    [property: Id(4)] DateTimeOffset ExpiresAt);

[GenerateSerializer, Immutable]
public sealed record OrderLedgerEntry(
    [property: Id(0)] Dictionary<string, int> Quantities,
    [property: Id(1)] bool Released,
    [property: Id(2)] bool CashOnDelivery = false);

[GenerateSerializer, Immutable]
public sealed record PendingCheckout(
    [property: Id(0)] string OrderId,
    [property: Id(1)] List<string> LotIds,
    [property: Id(2)] Orders.PlaceOrder Command);
