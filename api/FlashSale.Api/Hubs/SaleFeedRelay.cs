using FlashSale.Cluster;
using FlashSale.Live;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace FlashSale.Api.Hubs;

/// <summary>
/// This API host's subscription to the engine's sale feed. Each silo's relay hands this host
/// batches of updates; each update is sent to one SignalR group, which serializes it once per
/// protocol for all its connections (and, in a cluster, publishes it once to the backplane for the
/// other nodes): no grain call and no timer per connection. The subscription is renewed well before
/// it lapses, which also re-subscribes the host if the host list grain moved or restarted.
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

    /// <summary>
    /// Starts each item's send in the batch's order, so one lot's updates reach its group in order
    /// (a connection's writes and the backplane's publishes keep the order they were started in),
    /// then waits for all of them: a send that fails fails the batch, and the silo's relay hands it
    /// to the next host. Every message is a whole state (versioned, or an order's status), so the
    /// items this host did send before the failure may arrive twice without harm.
    /// </summary>
    public Task OnBatch(LiveBatch batch)
    {
        if (Volatile.Read(ref _stopped) == 1)
        {
            // Leaving: refused at once, so the relay goes on to the next host without waiting.
            throw new InvalidOperationException("This API host has left the sale feed.");
        }

        var sends = new List<Task>(batch.Items.Count * 2);
        foreach (var item in batch.Items)
        {
            switch (item)
            {
                case LiveStock stock:
                    sends.Add(SendStock(stock.Stock));
                    sends.Add(SendSellThrough(stock.SellThrough));
                    break;
                case LiveOrder order:
                    sends.Add(SendOrder(order.Order));
                    break;
                case LiveQueue queue:
                    sends.Add(SendQueue(queue.Progress));
                    break;
            }
        }

        return Relayed(Task.WhenAll(sends));
    }

    private Task SendStock(StockUpdate update)
    {
        edge.Observed(update.LotId, update.Version);
        catalog.Observed(update);
        return hub.Clients.Group(HubGroups.Lot(update.LotId)).SendAsync(LiveMessages.Stock, update);
    }

    private Task SendSellThrough(SellThroughUpdate update) =>
        hub.Clients.Group(HubGroups.Seller(update.SellerId)).SendAsync(LiveMessages.SellThrough, update);

    /// <summary>
    /// To the shopper; from fulfilment on, also to the sellers of its shipments and the agent of
    /// its point, as one multi-group send (a connection in several groups gets it once).
    /// </summary>
    private Task SendOrder(OrderUpdate update)
    {
        var groups = new List<string> { HubGroups.Shopper(update.ShopperId) };
        groups.AddRange(update.Shipments?.Select(s => HubGroups.SellerOrders(s.SellerId)).Distinct(StringComparer.Ordinal) ?? []);
        if (update.AgentId is { } agentId)
        {
            groups.Add(HubGroups.AgentParcels(agentId));
        }

        return groups.Count == 1
            ? hub.Clients.Group(groups[0]).SendAsync(LiveMessages.Order, update)
            : hub.Clients.Groups(groups).SendAsync(LiveMessages.Order, update);
    }

    private Task SendQueue(QueueProgress progress) =>
        hub.Clients.Group(HubGroups.Lot(progress.LotId)).SendAsync(LiveMessages.QueueProgress, progress);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _reference = grains.CreateObjectReference<ISaleFeedObserver>(this);
        await HostList.Subscribe(_reference);
        _renewals = RenewAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // A host may be stopped twice (a test factory disposes synchronously and asynchronously).
        // From here on OnBatch refuses, so relays that still list this host move on at once.
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
                await HostList.Unsubscribe(_reference).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogUnsubscribeFailed(ex); // the subscription lapses on its own
            }

            // The reference is not deleted: relays keep this host in their lists for up to
            // HostListRefresh after it left, and a call to a deleted reference is never answered
            // (the relay would wait for the response timeout). Kept, it answers with a refusal
            // until the process's cluster client stops.
        }
    }

    public void Dispose() => _stopping.Dispose();

    private ISaleFeedHostsGrain HostList => grains.GetGrain<ISaleFeedHostsGrain>(0);

    /// <summary>
    /// A send the cluster's backplane (Redis) could not publish fails back to the silo's relay, which
    /// tries the next host: as the serializable engine failure, since Orleans cannot carry the
    /// Redis client's own exception back (the relay would log a <c>CodecNotFoundException</c>).
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
                    await HostList.Subscribe(_reference!);
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
