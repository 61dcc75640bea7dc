using FlashSale.Live;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace FlashSale.Api.Hubs;

/// <summary>
/// This API host's subscription to the engine's sale feed. Every silo's relay hands this host
/// every batch of updates (one-way); each update is sent to one SignalR group of this host's own
/// connections, which serializes it once per protocol for all of them: no grain call and no timer
/// per connection, and no backplane, since every API host gets every batch. The subscription is
/// renewed well before it lapses, which also re-subscribes the host if the host list grain moved
/// or restarted.
/// </summary>
internal sealed partial class SaleFeedRelay(
    IGrainFactory grains,
    IHubContext<SaleHub> hub,
    Edge.LotEdgeCache edge,
    Catalog.LotCatalogView catalog,
    IOptions<LiveStockOptions> options,
    SaleFeedRelay.Joining joining,
    TimeProvider wallClock,
    ILogger<SaleFeedRelay> logger) : ISaleFeedObserver, IHostedService, IDisposable
{
    /// <summary>
    /// Whether this host must wait, after subscribing, until every relay lists it before it takes
    /// connections: in a cluster, yes (relays may hold a list of the other API hosts, read just
    /// before this one subscribed); embedded, no (this is the only host, and a relay that knows
    /// no host reads the list at once).
    /// </summary>
    public sealed record Joining(bool WaitForRelays);

    private readonly CancellationTokenSource _stopping = new();
    private ISaleFeedObserver? _reference;
    private Task? _renewals;
    private int _stopped;

    /// <summary>
    /// Starts each item's send in the batch's order and returns without waiting for any of them.
    /// Orleans hands a client's observer its calls strictly one at a time, each only once the
    /// last one's task completed, and drops calls that waited past the response timeout; a batch
    /// that waited for its SignalR writes would hold every relay's next batch behind this host's
    /// slowest connection. Waiting is not what keeps the order either: batches are taken one at a
    /// time, and a connection's writes keep the order they were started in, so a batch's updates
    /// reach each connection in the batch's order. Batches themselves may arrive out of order
    /// (Orleans does not keep one-way messages in order), which clients absorb: every message is
    /// a whole state, and they keep the highest version. A send that fails is logged; it cannot
    /// be retried usefully, and the lot's next publication replaces it.
    /// </summary>
    public Task OnBatch(LiveBatch batch)
    {
        if (Volatile.Read(ref _stopped) == 1)
        {
            // The server stopped before this relay did: no connection is left to send to.
            return Task.CompletedTask;
        }

        foreach (var item in batch.Items)
        {
            switch (item)
            {
                case LiveStock stock:
                    Start(static (relay, update) => relay.SendStock(update), stock.Stock);
                    Start(static (relay, update) => relay.SendSellThrough(update), stock.SellThrough);
                    break;
                case LiveOrder order:
                    Start(static (relay, update) => relay.SendOrder(update), order.Order);
                    break;
                case LiveQueue queue:
                    Start(static (relay, progress) => relay.SendQueue(progress), queue.Progress);
                    break;
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Starts one send and logs its failure, now or later, so none goes unobserved and none stops
    /// the batch's other sends. Most sends complete at once (every connection's write was
    /// buffered); only those still writing get a continuation.
    /// </summary>
    private void Start<T>(Func<SaleFeedRelay, T, Task> send, T update)
    {
        Task sent;
        try
        {
            sent = send(this, update);
        }
        catch (Exception ex)
        {
            LogSendFailed(ex);
            return;
        }

        if (!sent.IsCompletedSuccessfully)
        {
            sent.ContinueWith(
                static (failed, state) => ((SaleFeedRelay)state!).LogSendFailed(failed.Exception!.GetBaseException()),
                this, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
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
        if (joining.WaitForRelays)
        {
            // Hosted services start before the server, so this holds back the first connection:
            // a watcher that joined a lot's group before some relay listed this host would miss
            // that relay's updates, and a lot that then stood still would stay stale for it.
            var delay = options.Value.HostJoinDelay();
            LogJoining(delay.TotalSeconds);
            await Task.Delay(delay, wallClock, cancellationToken);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // A host may be stopped twice (a test factory disposes synchronously and asynchronously).
        // The server stopped first (it started last), so this host's connections are gone.
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
                // Relays stop sending to this host at their next read of the list.
                await HostList.Unsubscribe(_reference).WaitAsync(TimeSpan.FromSeconds(2), wallClock, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogUnsubscribeFailed(ex); // the subscription lapses on its own
            }

            // The reference is not deleted: relays keep sending for up to HostListRefresh after
            // this host left, and each call to a deleted observer would log a warning here.
            // Kept, its batches are dropped at once until the process's cluster client stops.
        }
    }

    public void Dispose() => _stopping.Dispose();

    private ISaleFeedHostsGrain HostList => grains.GetGrain<ISaleFeedHostsGrain>(0);

    private async Task RenewAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(options.Value.HostSubscriptionLifetime / 3, wallClock);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "A live update could not be sent to this host's connections")]
    private partial void LogSendFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscribed to the sale feed; waiting {Seconds} s for every silo's relay to list this host before serving")]
    private partial void LogJoining(double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew this host's sale feed subscription; retrying")]
    private partial void LogRenewFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not unsubscribe from the sale feed")]
    private partial void LogUnsubscribeFailed(Exception exception);
}
