using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Utilities;

namespace FlashSale.Live;

/// <summary>
/// The single point where grain updates leave for SignalR. Each update goes to one API host (the
/// oldest live subscription, so one lot's updates keep their order), whose group send reaches
/// every API node; a host that fails to take an update is dropped and the next one takes it, so
/// an API node's death loses no update. Reentrant: a slow host never stalls the lots.
/// </summary>
[Reentrant]
internal sealed partial class SaleFeedGrain : Grain, ISaleFeedGrain
{
    private readonly ObserverManager<ISaleFeedObserver> _hosts;
    private readonly ILogger<SaleFeedGrain> _logger;

    public SaleFeedGrain(IOptions<LiveStockOptions> options, ILogger<SaleFeedGrain> logger)
    {
        _hosts = new ObserverManager<ISaleFeedObserver>(options.Value.HostSubscriptionLifetime, logger);
        _logger = logger;
    }

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

    public Task PublishStock(StockUpdate update, SellThroughUpdate sellThrough) =>
        Deliver(async host =>
        {
            await host.OnStock(update);
            await host.OnSellThrough(sellThrough);
        });

    public Task PublishOrder(OrderUpdate update) => Deliver(host => host.OnOrder(update));

    public Task PublishQueue(QueueProgress progress) => Deliver(host => host.OnQueue(progress));

    private async Task Deliver(Func<ISaleFeedObserver, Task> send)
    {
        _hosts.ClearExpired();
        foreach (var host in _hosts.Observers.Values.ToList())
        {
            try
            {
                await send(host);
                return;
            }
            catch (Exception ex)
            {
                LogHostFailed(ex);
                _hosts.Unsubscribe(host);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An API host did not take a live update; trying the next")]
    private partial void LogHostFailed(Exception exception);
}
