using Orleans.Concurrency;

namespace FlashSale.Live;

/// <summary>
/// One per API host (GPSTracker's pattern): the host's relay from the engine to SignalR. Each
/// update is handed to one host, which sends it to one SignalR group; the group send reaches the
/// watchers on every API node (through the Redis backplane in a cluster). There is no grain call
/// and no timer per connection, and no update is delivered twice.
/// </summary>
public interface ISaleFeedObserver : IGrainObserver
{
    Task OnStock(StockUpdate update);

    Task OnSellThrough(SellThroughUpdate update);

    Task OnOrder(OrderUpdate update);

    Task OnQueue(QueueProgress progress);
}

/// <summary>
/// Forwards lot and order updates to a subscribed API host, failing over to the next host when
/// one does not answer. It keeps no durable state: hosts subscribe again every few seconds, so a
/// restarted feed knows them all again within one period.
/// </summary>
public interface ISaleFeedGrain : IGrainWithIntegerKey
{
    Task Subscribe(ISaleFeedObserver host);

    Task Unsubscribe(ISaleFeedObserver host);

    [OneWay]
    Task PublishStock(StockUpdate update, SellThroughUpdate sellThrough);

    [OneWay]
    Task PublishOrder(OrderUpdate update);

    [OneWay]
    Task PublishQueue(QueueProgress progress);
}
