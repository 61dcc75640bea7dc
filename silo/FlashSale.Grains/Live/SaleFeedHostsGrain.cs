using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace FlashSale.Live;

/// <summary>
/// The live feed's host list (GPSTracker's hub list): API hosts subscribe here, renew and leave;
/// each silo's <see cref="SaleFeedRelayGrain"/> reads the list every few seconds. Control path
/// only: no update passes through it, so it is not a hotspot however busy the sale is.
/// Reentrant: it never awaits anything.
/// </summary>
[Reentrant]
internal sealed partial class SaleFeedHostsGrain : Grain, ISaleFeedHostsGrain
{
    private readonly FeedHostTable _hosts;
    private readonly TimeProvider _wallClock;
    private readonly ILogger<SaleFeedHostsGrain> _logger;

    /// <param name="wallClock">Real time, like the relays': a subscription's age is not engine time, which tests move by minutes.</param>
    public SaleFeedHostsGrain(IOptions<LiveStockOptions> options, TimeProvider wallClock, ILogger<SaleFeedHostsGrain> logger)
    {
        _hosts = new FeedHostTable(options.Value.HostSubscriptionLifetime);
        _wallClock = wallClock;
        _logger = logger;
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The list must not be collected while hosts rely on it between their renewals.
        DelayDeactivation(TimeSpan.FromDays(365));
        return Task.CompletedTask;
    }

    public Task Subscribe(ISaleFeedObserver host)
    {
        if (_hosts.Subscribe(host, _wallClock.GetUtcNow()))
        {
            LogSubscribed(host.GetGrainId());
        }

        return Task.CompletedTask;
    }

    public Task Unsubscribe(ISaleFeedObserver host)
    {
        _hosts.Unsubscribe(host, _wallClock.GetUtcNow());
        LogUnsubscribed(host.GetGrainId());
        return Task.CompletedTask;
    }

    public Task<SaleFeedHosts> GetHosts()
    {
        var read = _hosts.Read(_wallClock.GetUtcNow(), out var lapsed);
        foreach (var host in lapsed)
        {
            // A host that died, or one that could not renew: either way its watchers hear
            // nothing until it subscribes again, so this is worth a line.
            LogLapsed(host.GetGrainId());
        }

        return Task.FromResult(read);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "API host {Host} subscribed to the live feed")]
    private partial void LogSubscribed(GrainId host);

    [LoggerMessage(Level = LogLevel.Information, Message = "API host {Host} left the live feed")]
    private partial void LogUnsubscribed(GrainId host);

    [LoggerMessage(Level = LogLevel.Warning, Message = "API host {Host} did not renew its live feed subscription; relays stop sending to it")]
    private partial void LogLapsed(GrainId host);
}
