using FlashSale.Cluster;
using FlashSale.Live;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace FlashSale.Api.Hubs;

/// <summary>
/// This API host's subscription to the engine's sale feed. An update handed to this host is sent
/// to one SignalR group, which serializes it once per protocol for all its connections (and, in a
/// cluster, publishes it once to the backplane for the other nodes): no grain call and no timer
/// per connection. The subscription is renewed well before it lapses, which also re-subscribes
/// the host if the feed grain moved or restarted.
/// </summary>
internal sealed partial class SaleFeedRelay(
    IGrainFactory grains,
    IHubContext<SaleHub> hub,
    Edge.LotEdgeCache edge,
    Catalog.LotCatalogView catalog,
    IOptions<LiveStockOptions> options,
    ILogger<SaleFeedRelay> logger) : ISaleFeedObserver, IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private ISaleFeedObserver? _reference;
    private Task? _renewals;
    private int _stopped;

    public Task OnStock(StockUpdate update)
    {
        edge.Observed(update.LotId, update.Version);
        catalog.Observed(update);
        return Relayed(hub.Clients.Group(HubGroups.Lot(update.LotId)).SendAsync(LiveMessages.Stock, update));
    }

    public Task OnSellThrough(SellThroughUpdate update) =>
        Relayed(hub.Clients.Group(HubGroups.Seller(update.SellerId)).SendAsync(LiveMessages.SellThrough, update));

    /// <summary>
    /// To the shopper; from fulfilment on, also to the sellers of its shipments and the agent of
    /// its point, as one multi-group send (a connection in several groups gets it once).
    /// </summary>
    public Task OnOrder(OrderUpdate update)
    {
        var groups = new List<string> { HubGroups.Shopper(update.ShopperId) };
        groups.AddRange(update.Shipments?.Select(s => HubGroups.SellerOrders(s.SellerId)).Distinct(StringComparer.Ordinal) ?? []);
        if (update.AgentId is { } agentId)
        {
            groups.Add(HubGroups.AgentParcels(agentId));
        }

        return Relayed(groups.Count == 1
            ? hub.Clients.Group(groups[0]).SendAsync(LiveMessages.Order, update)
            : hub.Clients.Groups(groups).SendAsync(LiveMessages.Order, update));
    }

    public Task OnQueue(QueueProgress progress) =>
        Relayed(hub.Clients.Group(HubGroups.Lot(progress.LotId)).SendAsync(LiveMessages.QueueProgress, progress));

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _reference = grains.CreateObjectReference<ISaleFeedObserver>(this);
        await Feed.Subscribe(_reference);
        _renewals = RenewAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // A host may be stopped twice (a test factory disposes synchronously and asynchronously).
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        if (_renewals is not null)
        {
            await _renewals;
        }

        if (_reference is not null)
        {
            try
            {
                await Feed.Unsubscribe(_reference).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogUnsubscribeFailed(ex); // the subscription lapses on its own
            }

            try
            {
                grains.DeleteObjectReference<ISaleFeedObserver>(_reference);
            }
            catch (ArgumentException)
            {
                // the embedded silo stopped first and took the reference with it
            }
        }
    }

    public void Dispose() => _stopping.Dispose();

    private ISaleFeedGrain Feed => grains.GetGrain<ISaleFeedGrain>(0);

    /// <summary>
    /// A send the cluster's backplane (Redis) could not publish fails back to the feed grain, which
    /// tries the next host: as the serializable engine failure, since Orleans cannot carry the
    /// Redis client's own exception back (the feed would log a <c>CodecNotFoundException</c>).
    /// </summary>
    private static Task Relayed(Task send) => EngineFailures.RedisFailureAsUnavailable("The live backplane", send);

    private async Task RenewAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(options.Value.HostSubscriptionLifetime / 3);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                try
                {
                    await Feed.Subscribe(_reference!);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogRenewFailed(ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew this host's sale feed subscription; retrying")]
    private partial void LogRenewFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not unsubscribe from the sale feed")]
    private partial void LogUnsubscribeFailed(Exception exception);
}
