using System.Collections.Concurrent;
using FlashSale.Common;
using FlashSale.Lots;
using Microsoft.Extensions.Options;

namespace FlashSale.Api.Edge;

/// <summary>
/// Lets an API host refuse an increase of a sold-out or ended lot without any grain call. In a
/// surge 49 of 50 holds end in <c>sold-out</c>, and each would otherwise cost as much as a hold
/// that succeeds. The exact rule (docs/architecture.md, "Answers at the edge"):
/// <list type="number">
/// <item>The host answers only from a view the lot itself returned (<see cref="IProduceLotGrain.GetEdgeView"/>):
/// its status and the shoppers holding any of it at one version.</item>
/// <item>A view is trusted only until <see cref="EdgeOptions.Freshness"/> after the read that
/// produced it began, by the engine's clock. Stock that returns after that read can only have
/// returned after the read began, so no shopper is told <c>sold-out</c> here once the lot has had
/// stock for longer than the freshness.</item>
/// <item>A view is dropped as soon as the host learns of a newer version (the sale feed) or changes
/// the lot itself (a hold or release through this host); a read that began before such a change is
/// thrown away when it lands.</item>
/// <item>Only an increase is answered: a positive quantity, within the per-shopper limit, from a
/// shopper who holds nothing of the lot in the view. A shopper who holds (and so may be keeping
/// or lowering a hold) and every release are always passed to the lot.</item>
/// </list>
/// </summary>
public sealed partial class LotEdgeCache(
    ILotEdgeSource source,
    [FromKeyedServices(FlashSaleClock.Key)] TimeProvider clock,
    IOptions<EdgeOptions> options,
    ILogger<LotEdgeCache> logger)
{
    private readonly ConcurrentDictionary<string, LotEntry> _lots = new(StringComparer.Ordinal);
    private readonly EdgeOptions _options = options.Value;

    private bool Enabled => _options.Enabled == true;

    /// <summary>
    /// The lot's own refusal of setting <paramref name="shopperId"/>'s hold to
    /// <paramref name="quantity"/>, when this host may give it; null means "ask the lot".
    /// </summary>
    public Refusal? Answer(string lotId, string shopperId, int quantity)
    {
        if (quantity <= 0 || !Enabled || !_lots.TryGetValue(lotId, out var entry))
        {
            return null;
        }

        var now = clock.GetUtcNow();
        Refusal? answer;
        bool refresh;
        lock (entry)
        {
            var view = entry.View;
            var age = view is null ? TimeSpan.MaxValue : now - view.KnownAt;
            refresh = entry.Engaged(_options) && age >= _options.Freshness / 2;
            answer = view is not null && age < _options.Freshness && age >= TimeSpan.Zero ? view.Refusal(shopperId, quantity) : null;
        }

        if (refresh)
        {
            _ = Refresh(lotId, entry);
        }

        if (answer is not null)
        {
            FlashSaleMetrics.EdgeAnswers.Add(1, new KeyValuePair<string, object?>("outcome", Live.LiveFormat.Code(answer.Code)));
        }

        return answer;
    }

    /// <summary>The cart answered a hold or release of the lot through this host.</summary>
    public void Answered<T>(string lotId, Outcome<T> outcome)
    {
        if (outcome.Succeeded)
        {
            Changed(lotId);
        }
        else
        {
            Refused(lotId, outcome.Refusal.Code);
        }
    }

    /// <summary>The lot refused a hold through this host: counts towards engaging for it.</summary>
    public void Refused(string lotId, RefusalCode code)
    {
        if (!Enabled || code is not (RefusalCode.SoldOut or RefusalCode.SaleNotLive))
        {
            return;
        }

        var entry = _lots.GetOrAdd(lotId, static _ => new LotEntry());
        bool refresh;
        lock (entry)
        {
            entry.Refusals++;
            refresh = entry.Engaged(_options) && entry.View is null;
        }

        if (refresh)
        {
            _ = Refresh(lotId, entry);
        }
    }

    /// <summary>This host changed the lot (a hold or a release succeeded): what it knew is gone.</summary>
    public void Changed(string lotId)
    {
        if (!_lots.TryGetValue(lotId, out var entry))
        {
            return;
        }

        lock (entry)
        {
            entry.View = null;
            entry.Generation++;
        }
    }

    /// <summary>The sale feed told this host of the lot at <paramref name="version"/>.</summary>
    public void Observed(string lotId, long version)
    {
        if (!_lots.TryGetValue(lotId, out var entry))
        {
            return;
        }

        bool refresh;
        lock (entry)
        {
            if (version <= entry.LatestVersion)
            {
                return;
            }

            entry.LatestVersion = version;
            if (entry.View is { } view && view.Version < version)
            {
                entry.View = null;
            }

            refresh = entry.Engaged(_options) && entry.View is null;
        }

        if (refresh)
        {
            _ = Refresh(lotId, entry);
        }
    }

    /// <summary>The read of the lot's view under way, if any: a test awaits it to see it land.</summary>
    public Task PendingRead(string lotId)
    {
        if (!_lots.TryGetValue(lotId, out var entry))
        {
            return Task.CompletedTask;
        }

        lock (entry)
        {
            return entry.Reading ?? Task.CompletedTask;
        }
    }

    /// <summary>Reads the lot's view, one read per lot at a time; completes when the read has landed.</summary>
    private Task Refresh(string lotId, LotEntry entry)
    {
        int generation;
        lock (entry)
        {
            if (entry.Reading is { } reading)
            {
                return reading;
            }

            generation = entry.Generation;
            entry.Reading = Read(lotId, entry, generation, clock.GetUtcNow());
            return entry.Reading;
        }
    }

    private async Task Read(string lotId, LotEntry entry, int generation, DateTimeOffset startedAt)
    {
        LotEdgeView? view = null;
        var read = false;
        try
        {
            await Task.Yield(); // the caller holds the entry's lock
            view = await source.Read(lotId, _options.MaxHolders);
            read = true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogReadFailed(ex, lotId); // the host asks the lot until a later read succeeds
        }

        lock (entry)
        {
            entry.Reading = null;
            if (!read || generation != entry.Generation || (view is not null && view.Version < entry.LatestVersion))
            {
                return; // this host changed the lot, or heard of a newer version, while the read was out
            }

            if (view is not null)
            {
                entry.LatestVersion = view.Version;
            }

            entry.View = view is null ? null : new KnownView(view, startedAt);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not read lot {LotId}'s edge view; asking the lot meanwhile")]
    private partial void LogReadFailed(Exception exception, string lotId);

    /// <summary>What this host knows of one lot. Guarded by its own lock.</summary>
    private sealed class LotEntry
    {
        public int Refusals { get; set; }

        public long LatestVersion { get; set; } = -1;

        public int Generation { get; set; }

        public KnownView? View { get; set; }

        public Task? Reading { get; set; }

        public bool Engaged(EdgeOptions options) => Refusals >= options.EngageAfterRefusals;
    }

    /// <summary>A view and the instant the read that produced it began (engine clock).</summary>
    private sealed class KnownView(LotEdgeView view, DateTimeOffset knownAt)
    {
        private readonly HashSet<string>? _holders = view.Holders is null ? null : new HashSet<string>(view.Holders, StringComparer.Ordinal);

        public long Version => view.Version;

        public DateTimeOffset KnownAt => knownAt;

        public Refusal? Refusal(string shopperId, int quantity)
        {
            if (_holders is null || quantity > view.PerShopperLimit || _holders.Contains(shopperId))
            {
                return null;
            }

            return view.Status switch
            {
                LotStatus.SoldOut => LotRefusals.SoldOut,
                LotStatus.Ended => LotRefusals.SaleNotLive(LotStatus.Ended),
                _ => null,
            };
        }
    }
}

/// <summary>Where <see cref="LotEdgeCache"/> reads a lot's view: the lot grain, or a test's fake.</summary>
public interface ILotEdgeSource
{
    Task<LotEdgeView?> Read(string lotId, int maxHolders);
}

internal sealed class GrainLotEdgeSource(IGrainFactory grains) : ILotEdgeSource
{
    public Task<LotEdgeView?> Read(string lotId, int maxHolders) =>
        grains.GetGrain<IProduceLotGrain>(lotId).GetEdgeView(maxHolders);
}
