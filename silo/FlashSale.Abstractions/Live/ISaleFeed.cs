using Orleans.Concurrency;

namespace FlashSale.Live;

/// <summary>
/// One per API host (GPSTracker's pattern): the host's relay from the engine to SignalR. Every
/// silo's relay hands every batch to every host, and each host sends each item to one SignalR
/// group of its own connections, in order. There is no grain call and no timer per connection,
/// and no backplane: a watcher hears an update from the host it is connected to.
/// </summary>
public interface ISaleFeedObserver : IGrainObserver
{
    /// <summary>
    /// Relays every item of <paramref name="batch"/> to this host's connections, starting the
    /// sends in the batch's order. One-way: the relay hands the batch over and goes on, so no
    /// relay ever waits on an API host. A client's observer takes its calls strictly one at a
    /// time and drops those that waited past the response timeout, so a relay that waited for
    /// each answer stalled behind any slow host (docs/architecture.md, "Live stock"); a host
    /// must therefore return at once and let the sends finish on their own.
    /// </summary>
    [OneWay]
    Task OnBatch(LiveBatch batch);
}

/// <summary>
/// The control path of the live feed: where API hosts subscribe, renew and leave, and where each
/// silo's <see cref="ISaleFeedRelayGrain"/> reads the host list every few seconds. It is never
/// called per update. It keeps no durable state: hosts subscribe again every few seconds, so a
/// restarted registry knows them all again within one period (and relays keep the hosts they
/// knew for that long).
/// </summary>
public interface ISaleFeedHostsGrain : IGrainWithIntegerKey
{
    Task Subscribe(ISaleFeedObserver host);

    Task Unsubscribe(ISaleFeedObserver host);

    Task<SaleFeedHosts> GetHosts();
}

/// <summary>
/// The data path of the live feed: one activation per silo (a local stateless worker), which
/// batches the updates published on its silo for a few milliseconds and hands each batch to
/// every API host, one-way. Publishers call key 0 and never wait for it.
/// </summary>
public interface ISaleFeedRelayGrain : IGrainWithIntegerKey
{
    [OneWay]
    Task PublishStock(StockUpdate update, SellThroughUpdate sellThrough);

    [OneWay]
    Task PublishOrder(OrderUpdate update);

    [OneWay]
    Task PublishQueue(QueueProgress progress);
}

/// <summary>
/// The API hosts subscribed to the live feed, and those known to have gone: unsubscribed, or
/// whose subscription lapsed, within the last subscription lifetime. A relay stops sending to a
/// host in <paramref name="Left"/> at once; a host it simply no longer sees listed (the registry
/// restarted) it keeps for a lifetime, by which time a live host has subscribed again.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SaleFeedHosts(
    [property: Id(0)] IReadOnlyList<ISaleFeedObserver> Hosts,
    [property: Id(1)] IReadOnlyList<ISaleFeedObserver> Left);

/// <summary>Updates published on one silo, in the order they were published there.</summary>
[GenerateSerializer, Immutable]
public sealed record LiveBatch([property: Id(0)] IReadOnlyList<LiveItem> Items);

/// <summary>One update in a <see cref="LiveBatch"/>: a lot's stock, an order or a waiting room's progress.</summary>
[GenerateSerializer, Immutable]
public abstract record LiveItem;

/// <summary>A lot's <c>stock</c> message to its watchers and the <c>sellThrough</c> message to its seller, at one version.</summary>
[GenerateSerializer, Immutable]
public sealed record LiveStock(
    [property: Id(0)] StockUpdate Stock,
    [property: Id(1)] SellThroughUpdate SellThrough) : LiveItem;

/// <summary>An <c>order</c> message.</summary>
[GenerateSerializer, Immutable]
public sealed record LiveOrder([property: Id(0)] OrderUpdate Order) : LiveItem;

/// <summary>A <c>queueProgress</c> message.</summary>
[GenerateSerializer, Immutable]
public sealed record LiveQueue([property: Id(0)] QueueProgress Progress) : LiveItem;
