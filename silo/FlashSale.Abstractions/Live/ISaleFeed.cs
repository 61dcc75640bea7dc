using Orleans.Concurrency;

namespace FlashSale.Live;

/// <summary>
/// One per API host (GPSTracker's pattern): the host's relay from the engine to SignalR. Each
/// batch is handed to one host, which sends each of its items to one SignalR group, in order; the
/// group send reaches the watchers on every API node (through the Redis backplane in a cluster).
/// There is no grain call and no timer per connection, and no update is handed to two hosts.
/// </summary>
public interface ISaleFeedObserver : IGrainObserver
{
    /// <summary>
    /// Relays every item of <paramref name="batch"/> in order. Fails (so the silo's relay hands
    /// the batch to the next host) when this host cannot send it, or has left the feed.
    /// </summary>
    Task OnBatch(LiveBatch batch);
}

/// <summary>
/// The control path of the live feed: where API hosts subscribe and renew, and where each silo's
/// <see cref="ISaleFeedRelayGrain"/> reads the host list every few seconds. It is never called per
/// update. It keeps no durable state: hosts subscribe again every few seconds, so a restarted
/// registry knows them all again within one period.
/// </summary>
public interface ISaleFeedHostsGrain : IGrainWithIntegerKey
{
    Task Subscribe(ISaleFeedObserver host);

    Task Unsubscribe(ISaleFeedObserver host);

    Task<SaleFeedHosts> GetHosts();
}

/// <summary>
/// The data path of the live feed: one activation per silo (a local stateless worker), which
/// batches the updates published on its silo for a few milliseconds and sends each batch to one
/// API host, failing over to the next. Publishers call key 0 and never wait for it.
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

/// <summary>The API hosts subscribed to the live feed.</summary>
[GenerateSerializer, Immutable]
public sealed record SaleFeedHosts([property: Id(0)] IReadOnlyList<ISaleFeedObserver> Hosts);

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
