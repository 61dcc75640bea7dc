namespace FlashSale.Live;

/// <summary>
/// The live feed registry's table (<see cref="SaleFeedHostsGrain"/>): each subscribed host with
/// its last renewal, and each host known to have gone (unsubscribed, or lapsed) with when it
/// went. Relays need the second list because their calls are one-way: a host that left cannot
/// refuse a batch, so the registry is the only way a relay learns to stop. A gone host is
/// remembered for one lifetime, longer than any relay goes without reading the list.
/// </summary>
internal sealed class FeedHostTable(TimeSpan lifetime)
{
    private readonly Dictionary<GrainId, (ISaleFeedObserver Host, DateTimeOffset RenewedAt)> _hosts = [];
    private readonly Dictionary<GrainId, (ISaleFeedObserver Host, DateTimeOffset LeftAt)> _left = [];

    /// <summary>Subscribes or renews <paramref name="host"/>; true when it was not subscribed (new, lapsed, or the registry restarted).</summary>
    public bool Subscribe(ISaleFeedObserver host, DateTimeOffset now)
    {
        var id = host.GetGrainId();
        var known = _hosts.ContainsKey(id);
        _hosts[id] = (host, now);
        _left.Remove(id);
        return !known;
    }

    /// <summary>
    /// Marks <paramref name="host"/> gone, even one this table never knew: a restarted registry
    /// has forgotten hosts that relays still send to.
    /// </summary>
    public void Unsubscribe(ISaleFeedObserver host, DateTimeOffset now)
    {
        var id = host.GetGrainId();
        _hosts.Remove(id);
        _left[id] = (host, now);
    }

    /// <summary>
    /// The hosts and the gone hosts as of <paramref name="now"/>, after moving lapsed
    /// subscriptions to the gone list (returned in <paramref name="lapsed"/>) and forgetting gone
    /// hosts older than a lifetime.
    /// </summary>
    public SaleFeedHosts Read(DateTimeOffset now, out IReadOnlyList<ISaleFeedObserver> lapsed)
    {
        var expired = _hosts.Where(h => now - h.Value.RenewedAt >= lifetime).ToList();
        foreach (var (id, (host, renewedAt)) in expired)
        {
            _hosts.Remove(id);
            _left[id] = (host, renewedAt + lifetime);
        }

        foreach (var id in _left.Where(l => now - l.Value.LeftAt >= lifetime).Select(l => l.Key).ToList())
        {
            _left.Remove(id);
        }

        lapsed = expired.Select(h => h.Value.Host).ToList();
        return new SaleFeedHosts(
            _hosts.Values.Select(h => h.Host).ToList(),
            _left.Values.Select(l => l.Host).ToList());
    }
}
