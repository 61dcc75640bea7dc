using FlashSale.Common;

namespace FlashSale.Lots;

/// <summary>
/// One produce lot and the only owner of its inventory. Every change of the counts goes
/// through this grain, so <c>available + reserved + sold == quantity</c> is kept in one place.
/// Holds are keyed by shopper, reservations by order; both return to stock when they expire.
/// </summary>
public interface IProduceLotGrain : IGrainWithStringKey
{
    Task<Outcome<Lot>> Create(LotDefinition definition);

    /// <summary>The committed lot, or null when no lot has this id.</summary>
    Task<Lot?> Get();

    Task<LotTerms?> GetTerms();

    /// <summary>
    /// The committed status and, when the lot is sold out or ended, who holds any of it (null
    /// beyond <paramref name="maxHolders"/>): what an API host needs to answer an increase at the
    /// edge. Null when no lot has this id.
    /// </summary>
    Task<LotEdgeView?> GetEdgeView(int maxHolders);

    /// <summary>
    /// Sets the shopper's held quantity (0 releases it) until <paramref name="expiresAt"/>.
    /// All or nothing: either the whole change is taken from stock or nothing moves.
    /// When <paramref name="termsEdition"/> is given and the lot's terms have been edited since
    /// that edition, the hold is refused (<c>conflict</c>) and nothing moves: the caller judged it on old terms.
    /// </summary>
    Task<Outcome<HoldReceipt>> SetHold(string shopperId, int quantity, DateTimeOffset expiresAt, int? termsEdition = null);

    /// <summary>
    /// The shopper's live hold, once every change decided before the call is written; null when
    /// the shopper holds none (or no lot has this id). The lot is the truth of every hold: a cart
    /// rebuilds its lines from it when it activates.
    /// </summary>
    Task<HeldStock?> GetHold(string shopperId);

    /// <summary>Moves the shopper's whole hold to an order, reserved until the payment deadline
    /// or, with <paramref name="sellNow"/>, sold at once (cash on delivery).</summary>
    Task<Outcome<ReservationReceipt>> ReserveForOrder(string shopperId, string orderId, int quantity, DateTimeOffset paymentDeadline, bool sellNow);

    /// <summary>The order was paid: its reserved stock becomes sold. Idempotent.</summary>
    Task<Outcome<Lot>> SellReservation(string orderId);

    /// <summary>The order was cancelled or expired: its reserved stock returns. Idempotent.</summary>
    Task<Lot?> ReleaseReservation(string orderId);

    /// <summary>
    /// A payment arrived after the order's reservation was released: sells the quantity to the
    /// order again from what is available, or refuses (<c>sold-out</c>) if it is gone. Idempotent.
    /// </summary>
    Task<Outcome<Lot>> RetakeForOrder(string orderId, int quantity);

    /// <summary>A sold order was refunded: its stock goes back on sale. Idempotent.</summary>
    Task<Lot?> RefundSale(string orderId);

    Task<Outcome<Lot>> Pause(string sellerId);

    Task<Outcome<Lot>> Resume(string sellerId);

    Task<Outcome<Lot>> Restock(string sellerId, int quantity);

    /// <summary>The seller ends the sale now: status <c>ended</c>, holds return, placed orders keep their stock. Idempotent.</summary>
    Task<Outcome<Lot>> End(string sellerId);

    /// <summary>The seller changes the lot's terms; refused (<c>conflict</c>) once the lot has opened.</summary>
    Task<Outcome<Lot>> Edit(string sellerId, LotEdit edit);

    /// <summary>An operator's take-down: the lot ends for good, holds return, placed orders keep their stock. Idempotent.</summary>
    Task<Outcome<Lot>> TakeDown();

    /// <summary>
    /// A presale's seller declares the real harvest, once, within the harvest window: the sale
    /// ends, the harvest is allocated among the orders whose deposits are paid by the lot's rule,
    /// and the lot's quantity becomes what was declared. Declaring the same quantity again answers
    /// the first declaration; another quantity is refused (<c>conflict</c>).
    /// </summary>
    /// <param name="packedGrams">For units sold by weight: what the seller packed for each order
    /// (an order left out is packed at its nominal weight), each within the lot's tolerance of the
    /// nominal weight of its allocation (<see cref="PreviewHarvest"/> says the allocation first).</param>
    Task<Outcome<HarvestDeclaration>> DeclareHarvest(string sellerId, int declared, IReadOnlyDictionary<string, long>? packedGrams = null);

    /// <summary>The allocation a declaration of <paramref name="declared"/> would make now, changing nothing: a seller who sells by weight packs and weighs by it.</summary>
    Task<Outcome<HarvestDeclaration>> PreviewHarvest(string sellerId, int declared);

    /// <summary>
    /// After the harvest, the units nobody took (the harvest beyond the orders, forfeited units)
    /// leave this lot for a new standard lot, <paramref name="newLotId"/>, which the caller then
    /// creates and confirms. A release not yet confirmed or reclaimed is answered again instead of
    /// a new one, so a caller that died half-way is finished by the next call.
    /// </summary>
    Task<Outcome<SurplusRelease>> ReleaseSurplus(string sellerId, string newLotId);

    /// <summary>
    /// Reserves <paramref name="quantity"/> of this declared harvest for a substitute offer, under
    /// the order id it will become (<paramref name="offerId"/>), until <paramref name="until"/>,
    /// when it returns like any reservation. Only the lot's seller; idempotent per offer.
    /// </summary>
    Task<Outcome<Lot>> ReserveOffer(string sellerId, string offerId, string shopperId, int quantity, DateTimeOffset until);

    /// <summary>The new lot exists: the release is done. Idempotent.</summary>
    Task ConfirmSurplus(string newLotId);

    /// <summary>The new lot could not be created: the units come back to this lot. Idempotent.</summary>
    Task<Lot?> ReclaimSurplus(string newLotId);

    /// <summary>The declared harvest and every order's share, for the lot's seller; <c>not-found</c> until there is one.</summary>
    Task<Outcome<HarvestDeclaration>> GetHarvest(string sellerId);

    /// <summary>This order's share of the harvest, or null when the lot has no sale to it.</summary>
    Task<OrderHarvest?> GetHarvestFor(string orderId);

    Task<Outcome<LotStats>> GetStats(string sellerId);

    /// <summary>The owner's live view, as the hub's <c>sellThrough</c> message carries it.</summary>
    Task<Outcome<Live.SellThroughUpdate>> GetSellThrough(string sellerId);

    /// <summary>Returns expired holds and reservations to stock; driven by the expiry timer.</summary>
    Task ReturnExpired();
}
