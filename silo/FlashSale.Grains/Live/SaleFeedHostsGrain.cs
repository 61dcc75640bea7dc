using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Utilities;

namespace FlashSale.Live;

/// <summary>
/// The live feed's host list (GPSTracker's hub list): API hosts subscribe here and renew; each
/// silo's <see cref="SaleFeedRelayGrain"/> reads the list every few seconds. Control path only:
/// no update passes through it, so it is not a hotspot however busy the sale is. Reentrant: it
/// never awaits anything.
/// </summary>
[Reentrant]
internal sealed class SaleFeedHostsGrain : Grain, ISaleFeedHostsGrain
{
    private readonly ObserverManager<ISaleFeedObserver> _hosts;

    public SaleFeedHostsGrain(IOptions<LiveStockOptions> options, ILogger<SaleFeedHostsGrain> logger) =>
        _hosts = new ObserverManager<ISaleFeedObserver>(options.Value.HostSubscriptionLifetime, logger);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The list must not be collected while hosts rely on it between their renewals.
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

    public Task<SaleFeedHosts> GetHosts()
    {
        _hosts.ClearExpired();
        return Task.FromResult(new SaleFeedHosts(_hosts.Observers.Values.ToList()));
    }
}
