using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Utilities;

namespace FlashSale.Live;

/// <summary>
/// The single fan-out point from grains to API hosts. Reentrant and stateless apart from the
/// subscriber list: forwarding is one one-way message per host, never awaited on the lot's path.
/// </summary>
[Reentrant]
internal sealed class SaleFeedGrain : Grain, ISaleFeedGrain
{
    private readonly ObserverManager<ISaleFeedObserver> _hosts;

    public SaleFeedGrain(IOptions<LiveStockOptions> options, ILogger<SaleFeedGrain> logger) =>
        _hosts = new ObserverManager<ISaleFeedObserver>(options.Value.HostSubscriptionLifetime, logger);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The feed must not be collected while hosts rely on it between their renewals.
        DelayDeactivation(TimeSpan.FromDays(365));
        return Task.CompletedTask;
    }

    public Task Subscribe(ISaleFeedObserver host)
    {
        _hosts.Subscribe(host, host);
        return Task.CompletedTask;
    }

    public Task Unsubscribe(ISaleFeedObserver host)
    {
        _hosts.Unsubscribe(host);
        return Task.CompletedTask;
    }

    public Task PublishStock(StockUpdate update, SellThroughUpdate sellThrough)
    {
        _hosts.Notify(host =>
        {
            host.OnStock(update);
            host.OnSellThrough(sellThrough);
        });
        return Task.CompletedTask;
    }

    public Task PublishOrder(OrderUpdate update)
    {
        _hosts.Notify(host => host.OnOrder(update));
        return Task.CompletedTask;
    }
}
