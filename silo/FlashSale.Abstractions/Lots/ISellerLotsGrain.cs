using FlashSale.Common;

namespace FlashSale.Lots;

/// <summary>
/// One seller's live-lot quota (<c>FlashSale:Limits:MaxLiveLotsPerSeller</c>). Every lot is
/// created through this grain, one creation of the seller's at a time, so concurrent creations
/// can never pass the quota. A lot is live, and counts, from its creation until it has ended
/// (its <c>endsAt</c> passed, or an operator took it down): scheduled, live, paused and
/// sold-out lots count, since each can still sell (stock comes back from lapsed holds,
/// cancelled orders and restocks).
/// </summary>
public interface ISellerLotsGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the lot when the seller has fewer live lots than the quota; otherwise refuses with
    /// <c>limit-exceeded</c> and creates nothing. The lot's own refusals (a bad definition, an id
    /// in use) pass through unchanged.
    /// </summary>
    Task<Outcome<Lot>> CreateLot(string lotId, LotDefinition definition);

    /// <summary>How many of the seller's lots are live now.</summary>
    Task<int> CountLive();
}
