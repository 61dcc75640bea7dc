using System.Collections.Concurrent;
using FlashSale.Accounts;
using FlashSale.Common;

namespace FlashSale.Api.Accounts;

/// <summary>
/// Each API node's copy of accounts' standing (suspended, and which refresh-token families are
/// live), read again from the account grain once it is older than <see cref="MaxAge"/>. An
/// access token is refused when its account is suspended or its family was signed out or
/// revoked, so such a token stops working on every node within <see cref="MaxAge"/>, well inside
/// the contract's 60 seconds; on the node that made the change, at once (it evicts its copy).
/// Asking the grain on every request would add a grain call to each hold on the hot path; a
/// token-version check would need the same lookup. This costs one call per account per node per
/// 30 seconds.
/// </summary>
public sealed class AccountStandingCache(IGrainFactory grains, [FromKeyedServices(FlashSaleClock.Key)] TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    /// <summary>Past this many entries, stale ones are dropped, so idle accounts do not pile up.</summary>
    private const int PruneAbove = 100_000;

    private readonly ConcurrentDictionary<string, (AccountStanding Standing, DateTimeOffset ReadAt)> _entries = new(StringComparer.Ordinal);

    public async ValueTask<AccountStanding> Get(string accountId)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(accountId, out var entry) && now - entry.ReadAt < MaxAge)
        {
            return entry.Standing;
        }

        var standing = await grains.GetGrain<IAccountGrain>(accountId).GetStanding();
        _entries[accountId] = (standing, now);
        if (_entries.Count > PruneAbove)
        {
            foreach (var (id, old) in _entries)
            {
                if (now - old.ReadAt >= MaxAge)
                {
                    _entries.TryRemove(id, out _);
                }
            }
        }

        return standing;
    }

    /// <summary>This node changed the account: its next request reads the grain again.</summary>
    public void Evict(string accountId) => _entries.TryRemove(accountId, out _);
}
