using FlashSale.Common;
using FlashSale.Lots;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FlashSale.Phone;

/// <summary>
/// The lots a USSD lot list shows, shared by every session on this silo. At a sale's opening
/// thousands of handsets ask for the same list within the same second; reading the catalog and
/// then every lot in it for each of them made that screen cost one grain call per lot on sale.
/// <para>
/// Here a list costs one small call (the catalog's version) while the copy is fresh: a lot added
/// or removed changes the version and is seen at once, and the lots' own states (live, sold out,
/// ended) are read again once the copy is older than
/// <see cref="PhoneChannelOptions.LotListFreshness"/> by the wall clock. The list is only a menu:
/// the lot's own screen, the hold and the checkout each read the lot itself, so a lot that sold
/// out within that bound is at worst listed once more and then shown as sold out. A change the
/// engine's clock makes (a lot opens at its start, closes at its end) is never served stale: the
/// copy is read again once the engine's clock reaches the first such moment among its lots.
/// Concurrent sessions that find the copy stale share one reading.
/// </para>
/// </summary>
internal sealed class PhoneLotListing(
    IGrainFactory grains,
    [FromKeyedServices(FlashSaleClock.Key)] TimeProvider clock,
    TimeProvider wallClock,
    IOptions<PhoneChannelOptions> options)
{
    private readonly Lock _gate = new();
    private Task<Copy>? _copy;

    /// <summary>Live lots, newest first (the highest phone code: the sale just announced), or the ones that open later, soonest first.</summary>
    public async Task<IReadOnlyList<Lot>> Lots(bool live)
    {
        var version = await grains.GetGrain<ILotCatalogGrain>(0).GetVersion();
        var copy = await CopyAt(version);
        return live ? copy.Live : copy.Soon;
    }

    private Task<Copy> CopyAt(long version)
    {
        lock (_gate)
        {
            if (_copy is { } current && (!current.IsCompleted || (current.IsCompletedSuccessfully && Serves(current.Result, version))))
            {
                // A reading under way is shared even if it began at an older version: it reads
                // the listing itself, so it is at least as new as the version that started it.
                return current;
            }

            return _copy = Read();
        }
    }

    private bool Serves(Copy copy, long version) =>
        copy.Version == version
        && wallClock.GetElapsedTime(copy.ReadAt) < options.Value.LotListFreshness
        && clock.GetUtcNow() < copy.ChangesAt;

    private async Task<Copy> Read()
    {
        var startedAt = wallClock.GetTimestamp();
        var listing = await grains.GetGrain<ILotCatalogGrain>(0).Listing();
        var lots = (await Task.WhenAll(listing.Lots.Select(entry => grains.GetGrain<IProduceLotGrain>(entry.LotId).Get()))).OfType<Lot>().ToList();
        var live = lots.Where(l => l.Status is LotStatus.Live).ToList();
        var soon = lots.Where(l => l.Status is LotStatus.Scheduled).ToList();
        var changesAt = soon.Select(l => l.StartsAt).Concat(live.Select(l => l.EndsAt ?? DateTimeOffset.MaxValue)).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        return new Copy(
            listing.Version,
            startedAt,
            changesAt,
            live.OrderByDescending(l => l.PhoneCode ?? 0).ThenBy(l => l.LotId, StringComparer.Ordinal).ToList(),
            soon.OrderBy(l => l.StartsAt).ThenBy(l => l.LotId, StringComparer.Ordinal).ToList());
    }

    /// <summary>
    /// The lists at one catalog version, read from <paramref name="ReadAt"/> (a wall-clock
    /// timestamp taken before the reading began); <paramref name="ChangesAt"/> is the first moment
    /// by the engine's clock at which one of the lots opens or closes.
    /// </summary>
    private sealed record Copy(long Version, long ReadAt, DateTimeOffset ChangesAt, IReadOnlyList<Lot> Live, IReadOnlyList<Lot> Soon);
}
