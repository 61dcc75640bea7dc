using System.Collections.Concurrent;
using FlashSale.Api.Hubs;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Live;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FlashSale.Api.Tests.Hubs;

/// <summary>
/// The API host's end of the live feed, with SignalR's sends held by the test: a batch is taken
/// at once, whatever its sends are doing, because Orleans gives the host's observer its next
/// batch only once this one's task completed.
/// </summary>
[Collection(HeldHubCollection.Name)]
public sealed class SaleFeedRelayHostTests(HeldHubFactory api)
{
    private readonly string _run = Guid.NewGuid().ToString("N");

    [Fact]
    public void A_batch_is_taken_before_its_sends_complete_and_its_sends_start_in_the_batchs_order()
    {
        var relay = api.Services.GetServices<IHostedService>().OfType<ISaleFeedObserver>().Single();
        var (lot, shopper) = ($"lot-{_run}", $"shp-{_run}");

        var taken = relay.OnBatch(new LiveBatch(
        [
            new LiveStock(Stock(lot, 1), SellThrough(lot, 1)),
            new LiveOrder(new OrderUpdate($"ord-{_run}", shopper, "paid")),
            new LiveQueue(new QueueProgress(lot, true, 10, 3, 0, DateTimeOffset.UnixEpoch)),
            new LiveStock(Stock(lot, 2), SellThrough(lot, 2)),
        ]));

        Assert.True(taken.IsCompletedSuccessfully, "the batch should be taken while every one of its sends is still pending");
        Assert.Equal(
            [
                ($"lot:{lot}", LiveMessages.Stock, "1"), ($"seller:seller-{_run}", LiveMessages.SellThrough, "1"),
                ($"shopper:{shopper}", LiveMessages.Order, "paid"), ($"lot:{lot}", LiveMessages.QueueProgress, "3"),
                ($"lot:{lot}", LiveMessages.Stock, "2"), ($"seller:seller-{_run}", LiveMessages.SellThrough, "2"),
            ],
            api.Hub.Sends(_run).Select(s => (s.Target, s.Method, s.Detail)));
        Assert.All(api.Hub.Sends(_run), s => Assert.False(s.Sent.IsCompleted));
    }

    [Fact]
    public void A_send_that_fails_now_or_later_is_logged_and_stops_no_other()
    {
        var relay = api.Services.GetServices<IHostedService>().OfType<ISaleFeedObserver>().Single();
        var (lot, broken) = ($"lot-{_run}", $"{HeldHub.ThrowsAtOnce}-{_run}");

        var taken = relay.OnBatch(new LiveBatch(
        [
            new LiveStock(Stock(broken, 1), SellThrough(broken, 1)),
            new LiveStock(Stock(lot, 1), SellThrough(lot, 1)),
        ]));

        Assert.True(taken.IsCompletedSuccessfully);
        // The broken lot's stock send threw at once; its seller's send and the next lot's still went.
        Assert.Equal([$"seller:seller-{_run}", $"lot:{lot}", $"seller:seller-{_run}"], api.Hub.Sends(_run).Select(s => s.Target));
        Assert.Single(Failures(), e => e.Exception?.Message == HeldHub.ThrowsAtOnce);

        // A send that fails after the batch was taken: its continuation logs it as it fails.
        api.Hub.Sends(_run).First(s => s.Target == $"lot:{lot}").Fail(new IOException("connection reset"));
        Assert.Single(Failures(), e => e.Exception is IOException { Message: "connection reset" });
    }

    private IEnumerable<LogCapture.Entry> Failures() =>
        api.Logs.Entries.Where(e => e.Category == "FlashSale.Api.Hubs.SaleFeedRelay" && e.Level == LogLevel.Warning);

    private static StockUpdate Stock(string lot, long version) => new(lot, 10, 0, 0, "live", version, DateTimeOffset.UnixEpoch);

    private SellThroughUpdate SellThrough(string lot, long version) =>
        new(lot, $"seller-{_run}", "Oranges", 10, 0, 0, 10, 0, 0, [], 0, "live", version);
}

/// <summary>The API with a SignalR hub context whose sends the test completes or fails.</summary>
public sealed class HeldHubFactory : FlashSaleApiFactory
{
    public HeldHub Hub { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IHubContext<SaleHub>>(Hub));
    }
}

[CollectionDefinition(Name)]
public sealed class HeldHubCollection : ICollectionFixture<HeldHubFactory>
{
    public const string Name = "held hub";
}

/// <summary>
/// Records each send in the order it was started and leaves it pending (a connection still
/// writing); a send to a group named with <see cref="ThrowsAtOnce"/> throws as it starts.
/// </summary>
public sealed class HeldHub : IHubContext<SaleHub>
{
    public const string ThrowsAtOnce = "throws-at-once";

    private readonly ConcurrentQueue<Send> _sends = new();

    public HeldHub() => Clients = new HeldClients(this);

    public IHubClients Clients { get; }

    public IGroupManager Groups => throw new NotSupportedException();

    /// <summary>The sends to groups that name <paramref name="run"/>, in the order they were started.</summary>
    public List<Send> Sends(string run) => _sends.Where(s => s.Target.Contains(run, StringComparison.Ordinal)).ToList();

    public sealed record Send(string Target, string Method, string Detail, TaskCompletionSource Pending)
    {
        public Task Sent => Pending.Task;

        public void Fail(Exception exception) => Pending.SetException(exception);
    }

    private sealed class HeldClients(HeldHub hub) : IHubClients
    {
        public IClientProxy All => throw new NotSupportedException();

        public IClientProxy Group(string groupName) => new Proxy(hub, groupName);

        public IClientProxy Groups(IReadOnlyList<string> groupNames) => new Proxy(hub, string.Join(",", groupNames));

        public IClientProxy AllExcept(IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();

        public IClientProxy Client(string connectionId) => throw new NotSupportedException();

        public IClientProxy Clients(IReadOnlyList<string> connectionIds) => throw new NotSupportedException();

        public IClientProxy GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();

        public IClientProxy User(string userId) => throw new NotSupportedException();

        public IClientProxy Users(IReadOnlyList<string> userIds) => throw new NotSupportedException();
    }

    private sealed class Proxy(HeldHub hub, string target) : IClientProxy
    {
        public Task SendCoreAsync(string method, object?[] args, CancellationToken cancellationToken = default)
        {
            if (target.Contains(ThrowsAtOnce, StringComparison.Ordinal))
            {
                throw new InvalidOperationException(ThrowsAtOnce);
            }

            var detail = args[0] switch
            {
                StockUpdate s => s.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                SellThroughUpdate s => s.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                OrderUpdate o => o.Status,
                QueueProgress q => q.AdmittedThrough.ToString(System.Globalization.CultureInfo.InvariantCulture),
                var other => other?.ToString() ?? "",
            };

            // Continuations run on the failing thread, so a test sees the failure logged as soon as it fails the send.
            var pending = new TaskCompletionSource();
            hub._sends.Enqueue(new Send(target, method, detail, pending));
            return pending.Task;
        }
    }
}
