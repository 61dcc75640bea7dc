using FlashSale.Live;
using FlashSale.Tests.Infrastructure;

namespace FlashSale.Tests.Live;

/// <summary>
/// Who gets the live feed's batches: the registry's table of subscriptions (lapses and
/// departures) and a relay's list of hosts (what it keeps, what it drops). Times are given, not
/// waited for. The cluster is only a source of real observer references.
/// </summary>
[Collection(EngineCluster.Name)]
public sealed class FeedHostListsTests(EngineClusterFixture cluster)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset T0 = EngineClusterFixture.Epoch;

    private ISaleFeedObserver NewHost() => cluster.Grains.CreateObjectReference<ISaleFeedObserver>(new NoHost());

    [Fact]
    public void A_subscription_lapses_a_lifetime_after_its_last_renewal_and_is_then_reported_gone()
    {
        var table = new FeedHostTable(Lifetime);
        var host = NewHost();
        Assert.True(table.Subscribe(host, T0));
        Assert.False(table.Subscribe(host, T0.AddSeconds(10)), "a renewal is not a new subscription");

        var beforeLapse = table.Read(T0.AddSeconds(39), out var lapsed);
        Assert.Equal([host], beforeLapse.Hosts);
        Assert.Empty(beforeLapse.Left);
        Assert.Empty(lapsed);

        var afterLapse = table.Read(T0.AddSeconds(40), out lapsed);
        Assert.Empty(afterLapse.Hosts);
        Assert.Equal([host], afterLapse.Left);
        Assert.Equal([host], lapsed);

        // Remembered as gone for a lifetime after it lapsed, longer than any relay goes without a read.
        Assert.Equal([host], table.Read(T0.AddSeconds(69), out _).Left);
        Assert.Empty(table.Read(T0.AddSeconds(70), out _).Left);

        // A host that lapsed but lives subscribes again at its next renewal, and is listed again.
        Assert.True(table.Subscribe(host, T0.AddSeconds(71)));
        Assert.Equal([host], table.Read(T0.AddSeconds(71), out _).Hosts);
    }

    [Fact]
    public void A_host_that_unsubscribes_is_reported_gone_even_if_the_table_never_knew_it()
    {
        var table = new FeedHostTable(Lifetime);
        var (known, unknown) = (NewHost(), NewHost());
        table.Subscribe(known, T0);

        table.Unsubscribe(known, T0.AddSeconds(1));
        table.Unsubscribe(unknown, T0.AddSeconds(1)); // a registry that restarted has forgotten hosts relays still send to

        var read = table.Read(T0.AddSeconds(2), out var lapsed);
        Assert.Empty(read.Hosts);
        Assert.Equal(new[] { known, unknown }.Select(h => h.GetGrainId()).Order(), read.Left.Select(h => h.GetGrainId()).Order());
        Assert.Empty(lapsed);

        table.Subscribe(known, T0.AddSeconds(3));
        read = table.Read(T0.AddSeconds(3), out _);
        Assert.Equal([known], read.Hosts);
        Assert.Equal([unknown], read.Left);
    }

    [Fact]
    public void A_relay_drops_a_host_reported_gone_at_once()
    {
        var hosts = new RelayHostList(Lifetime);
        var (a, b) = (NewHost(), NewHost());
        hosts.Apply(new SaleFeedHosts([a, b], []), T0);
        Assert.Equal(2, hosts.Current.Count);

        hosts.Apply(new SaleFeedHosts([b], [a]), T0.AddSeconds(2));

        Assert.Equal([b], hosts.Current);
    }

    /// <summary>
    /// Every host must get every batch, so a host the list merely stops naming (the registry
    /// restarted empty, and the host renews within a third of a lifetime) is kept; only a lifetime
    /// without being named drops it.
    /// </summary>
    [Fact]
    public void A_relay_keeps_a_host_the_list_stopped_naming_for_a_lifetime_after_it_was_last_named()
    {
        var hosts = new RelayHostList(Lifetime);
        var (a, b) = (NewHost(), NewHost());
        hosts.Apply(new SaleFeedHosts([a, b], []), T0);

        hosts.Apply(new SaleFeedHosts([], []), T0.AddSeconds(2)); // a restarted registry, before any renewal
        Assert.Equal(2, hosts.Current.Count);

        hosts.Apply(new SaleFeedHosts([b], []), T0.AddSeconds(12)); // b renewed; a did not
        Assert.Equal(2, hosts.Current.Count);

        hosts.Apply(new SaleFeedHosts([b], []), T0.AddSeconds(30));
        Assert.Equal([b], hosts.Current);

        hosts.Apply(new SaleFeedHosts([a, b], []), T0.AddSeconds(32)); // named again: back at once
        Assert.Equal(2, hosts.Current.Count);
    }

    private sealed class NoHost : ISaleFeedObserver
    {
        public Task OnBatch(LiveBatch batch) => Task.CompletedTask;
    }
}
