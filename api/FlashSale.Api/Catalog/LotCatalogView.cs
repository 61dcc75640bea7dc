using System.Collections.Concurrent;
using System.Text.Json;
using FlashSale.Common;
using FlashSale.Live;
using FlashSale.Lots;

namespace FlashSale.Api.Catalog;

/// <summary>
/// This API host's copy of the catalog, so that a page of <c>GET /api/lots?limit=N</c> costs one
/// small grain call (the catalog's version) instead of one call per lot. Each lot is read once,
/// when the host first sees it in the catalog; after that its counts, status and version come
/// from the sale feed, which hands this host every lot's changes (paced to the live-stock
/// interval). A change the feed's message cannot explain (the version moved, the counts and the
/// status did not: a seller's edit of the terms), a lot whose status is due to change by the
/// clock, and a copy older than <see cref="MaxAge"/> are read from the lot again. Each copy keeps
/// its JSON, written once per version with the API's own options, so a page is mostly a copy of
/// bytes (measured in docs/benchmarks.md: serializing 50 lots per page was most of a page's cost).
/// </summary>
public sealed partial class LotCatalogView(
    IGrainFactory grains, [FromKeyedServices(FlashSaleClock.Key)] TimeProvider time,
    Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, ILogger<LotCatalogView> logger)
{
    private readonly JsonSerializerOptions _json = json.Value.SerializerOptions;

    /// <summary>How long a copy is trusted without a message from the feed (a safety net for a missed one).</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, Entry> _lots = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _listing = new(1, 1);
    private IReadOnlyList<CatalogEntry> _order = [];
    private long _version = -1;

    /// <summary>
    /// Up to <paramref name="limit"/> lots that <paramref name="matches"/> accepts, after the place
    /// <paramref name="after"/> in creation order, and the place to continue from (null on the last page).
    /// </summary>
    public async Task<(IReadOnlyList<CatalogItem> Items, long? Next)> PageAsync(Func<Lot, bool> matches, long after, int limit)
    {
        await CurrentAsync();
        var items = new List<CatalogItem>(limit);
        long? next = null;
        var lastPlace = after;
        var now = time.GetUtcNow();
        foreach (var place in After(after))
        {
            if (!_lots.TryGetValue(place.LotId, out var entry))
            {
                continue;
            }

            var lot = entry.IsStale(now) ? await RefreshAsync(place.LotId, entry) : entry.Lot;
            if (lot is null || !matches(lot))
            {
                continue;
            }

            if (items.Count == limit)
            {
                next = lastPlace; // a lot beyond this page matches: the page is not the last
                break;
            }

            items.Add(new CatalogItem(lot, entry.JsonOf(lot, _json)));
            lastPlace = place.Place;
        }

        return (items, next);
    }

    /// <summary>The listing from just after <paramref name="place"/>: places rise along it, so the start is found by halving.</summary>
    private IEnumerable<CatalogEntry> After(long place)
    {
        var order = _order;
        var (low, high) = (0, order.Count);
        while (low < high)
        {
            var middle = (low + high) / 2;
            (low, high) = order[middle].Place <= place ? (middle + 1, high) : (low, middle);
        }

        for (var i = low; i < order.Count; i++)
        {
            yield return order[i];
        }
    }

    /// <summary>The sale feed told this host of a lot's change.</summary>
    public void Observed(StockUpdate update)
    {
        if (!_lots.TryGetValue(update.LotId, out var entry))
        {
            return;
        }

        bool explained;
        lock (entry)
        {
            var lot = entry.Lot;
            if (update.Version <= lot.Version)
            {
                return;
            }

            var status = LiveFormat.ParseStatus(update.Status);
            explained = status != lot.Status || update.Available != lot.Available || update.Reserved != lot.Reserved || update.Sold != lot.Sold;
            entry.Lot = lot with
            {
                Available = update.Available, Reserved = update.Reserved, Sold = update.Sold,
                Quantity = update.Available + update.Reserved + update.Sold, Status = status, Version = update.Version,
            };
            entry.ReadAt = time.GetUtcNow();
        }

        if (!explained)
        {
            _ = RefreshAsync(update.LotId, entry);
        }
    }

    /// <summary>Reads the catalog's listing again when its version moved, and each lot this host has not seen.</summary>
    private async Task CurrentAsync()
    {
        var catalog = grains.GetGrain<ILotCatalogGrain>(0);
        if (await catalog.GetVersion() == Volatile.Read(ref _version))
        {
            return;
        }

        await _listing.WaitAsync();
        try
        {
            var listing = await catalog.Listing();
            var unseen = listing.Lots.Where(l => !_lots.ContainsKey(l.LotId)).Select(l => l.LotId).ToList();
            await Parallel.ForEachAsync(unseen, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (lotId, _) =>
            {
                if (await grains.GetGrain<IProduceLotGrain>(lotId).Get() is { } lot)
                {
                    _lots.TryAdd(lotId, new Entry(lot, time.GetUtcNow()));
                }
            });
            var listed = listing.Lots.Select(l => l.LotId).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in _lots.Keys.Where(id => !listed.Contains(id)))
            {
                _lots.TryRemove(gone, out _);
            }

            _order = listing.Lots;
            Volatile.Write(ref _version, listing.Version);
        }
        finally
        {
            _listing.Release();
        }
    }

    private async Task<Lot?> RefreshAsync(string lotId, Entry entry)
    {
        try
        {
            if (await grains.GetGrain<IProduceLotGrain>(lotId).Get() is not { } fresh)
            {
                return null;
            }

            lock (entry)
            {
                if (fresh.Version >= entry.Lot.Version)
                {
                    entry.Lot = fresh;
                    entry.ReadAt = time.GetUtcNow();
                }

                return entry.Lot;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The copy stays as it was, and the next read tries again; a page never fails for it.
            LogRefreshFailed(ex, lotId);
            return entry.Lot;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The catalog's copy of lot {LotId} could not be read again; the page shows the copy it has")]
    private partial void LogRefreshFailed(Exception exception, string lotId);

    private sealed class Entry(Lot lot, DateTimeOffset readAt)
    {
        private Lot? _jsonOf;
        private byte[] _json = [];

        public Lot Lot { get; set; } = lot;

        /// <summary><paramref name="lot"/> as JSON, written once for each copy (a copy never changes; a change makes a new one).</summary>
        public byte[] JsonOf(Lot lot, JsonSerializerOptions options)
        {
            lock (this)
            {
                if (!ReferenceEquals(_jsonOf, lot))
                {
                    _json = JsonSerializer.SerializeToUtf8Bytes(lot, options);
                    _jsonOf = lot;
                }

                return _json;
            }
        }

        public DateTimeOffset ReadAt { get; set; } = readAt;

        /// <summary>Older than the feed can be trusted for, or due to open or end by the clock.</summary>
        public bool IsStale(DateTimeOffset now)
        {
            lock (this)
            {
                return now - ReadAt > MaxAge
                    || (Lot.Status == LotStatus.Scheduled && now >= Lot.StartsAt)
                    || (Lot.Status != LotStatus.Ended && Lot.EndsAt is { } endsAt && now >= endsAt);
            }
        }
    }
}

/// <summary>A lot on a page, with its JSON as the API writes it.</summary>
public sealed record CatalogItem(Lot Lot, byte[] Json);
