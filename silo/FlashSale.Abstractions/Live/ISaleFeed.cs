using Orleans.Concurrency;

namespace FlashSale.Live;

/// <summary>
/// One per API host (GPSTracker's pattern): the host's relay from the engine to its SignalR
/// connections. Every update reaches each host once, and the host fans it out to its own groups,
/// so there is no grain call and no timer per connection.
/// </summary>
public interface ISaleFeedObserver : IGrainObserver
{
    [OneWay]
    Task OnStock(StockUpdate update);

    [OneWay]
    Task OnSellThrough(SellThroughUpdate update);

    [OneWay]
    Task OnOrder(OrderUpdate update);
}

/// <summary>
/// Forwards lot and order updates to every subscribed API host. It keeps no durable state: hosts
/// subscribe again every few seconds, so a restarted feed knows them all again within one period.
/// </summary>
public interface ISaleFeedGrain : IGrainWithIntegerKey
{
    Task Subscribe(ISaleFeedObserver host);

    Task Unsubscribe(ISaleFeedObserver host);

    [OneWay]
    Task PublishStock(StockUpdate update, SellThroughUpdate sellThrough);

    [OneWay]
    Task PublishOrder(OrderUpdate update);
}
