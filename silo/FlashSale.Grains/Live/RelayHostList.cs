namespace FlashSale.Live;

/// <summary>
/// The hosts a silo's relay sends to: every host a read of the registry listed within the last
/// subscription lifetime, except a host the registry reported gone, which is dropped at once.
/// Keeping a host the registry merely stopped listing is deliberate: every host must get every
/// batch (its own watchers hear nothing else), and a registry that restarted empty lists a live
/// host again only at its next renewal, a third of a lifetime later. A host that died is reported
/// gone once its subscription lapses, so it is not kept for a lifetime more.
/// </summary>
internal sealed class RelayHostList(TimeSpan lifetime)
{
    private readonly Dictionary<GrainId, (ISaleFeedObserver Host, DateTimeOffset ListedAt)> _hosts = [];

    /// <summary>The hosts to send the next batch to.</summary>
    public IReadOnlyList<ISaleFeedObserver> Current { get; private set; } = [];

    /// <summary>
    /// Takes in a read of the registry. <paramref name="readStartedAt"/> is when the read began,
    /// not when it landed: the registry answered after that moment, so every host whose
    /// subscription had completed by then is in the answer. Dating the read by its start keeps
    /// the bound <see cref="LiveStockOptions.HostJoinDelay"/> relies on.
    /// </summary>
    public void Apply(SaleFeedHosts read, DateTimeOffset readStartedAt)
    {
        foreach (var host in read.Hosts)
        {
            _hosts[host.GetGrainId()] = (host, readStartedAt);
        }

        foreach (var host in read.Left)
        {
            _hosts.Remove(host.GetGrainId());
        }

        foreach (var id in _hosts.Where(h => readStartedAt - h.Value.ListedAt >= lifetime).Select(h => h.Key).ToList())
        {
            _hosts.Remove(id);
        }

        Current = _hosts.Values.Select(h => h.Host).ToList();
    }
}
