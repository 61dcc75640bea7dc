using System.Net;
using System.Text.RegularExpressions;
using FlashSale.Api.Extensions;
using FlashSale.Api.Hubs;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Carts;
using FlashSale.Checkout;
using FlashSale.Common;
using FlashSale.Lots;
using FlashSale.Lots.Storage;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Orleans.Persistence.Redis;
using Orleans.Reminders.Redis;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Orleans.Storage;
using StackExchange.Redis;
using static FlashSale.Api.Tests.Infrastructure.SaleApi;

namespace FlashSale.Api.Tests.Extensions;

/// <summary>
/// Every failure of the infrastructure is a 503 <c>unavailable</c> with <c>Retry-After</c>, never
/// a 500, and changes nothing: a lot's journal refusing a write, storage lost, a silo that cannot
/// be reached, a call that outlives the engine deadline.
/// </summary>
[Collection(EngineFaultsCollection.Name)]
public sealed class EngineFaultTests(FaultyEngineFactory api)
{
    /// <summary>How long a test waits for the cancellation to reach a stalled grain: a hang guard, not a measurement.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    public static TheoryData<string> JournalFailures => ["conflict", "redis-connection", "redis-timeout", "engine-unavailable"];

    [Theory]
    [MemberData(nameof(JournalFailures))]
    public async Task A_lot_whose_journal_write_fails_answers_503_changes_nothing_and_the_retry_holds(string failure)
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 10, perShopperLimit: 5);
        var shopper = await api.SignUpShopper();

        // A conflict is what a stale activation meets after a pause; the Redis client's own
        // exceptions cannot be serialized by Orleans and once reached the API as a 500.
        api.Journal.FailNextAppend(lot.LotId, failure switch
        {
            "conflict" => new LotJournalConflictException($"Journal of {lot.LotId} is at 7, not 6."),
            "redis-connection" => new RedisConnectionException(ConnectionFailureType.SocketFailure, "No connection is active"),
            "redis-timeout" => new RedisTimeoutException("Timeout awaiting response", CommandStatus.Sent),
            // What the cluster's Redis journal throws for a lost connection: the lot must reload after it too.
            _ => new EngineUnavailableException("The journal of the lot did not answer"),
        });
        using var refused = await shopper.SetItem(lot.LotId, 3);

        await AssertUnavailable(refused);
        Assert.Empty((await shopper.GetCart()).Items);
        Assert.Equal((10, 0, 0), Counts3(await shopper.GetLot(lot.LotId)));

        var retried = await shopper.Hold(lot.LotId, 3);
        Assert.Equal(3, Assert.Single(retried.Items).Quantity);
        Assert.Equal((7, 3, 0), Counts3(await shopper.GetLot(lot.LotId)));
    }

    public static TheoryData<string> ClusterFailures =>
        ["silo-unavailable", "connection-failed", "gateway-busy", "timeout", "message-expired", "storage", "reminders", "etag", "engine"];

    [Theory]
    [MemberData(nameof(ClusterFailures))]
    public async Task Every_cluster_failure_a_grain_call_meets_is_a_503_with_retry_after(string failure)
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 10, perShopperLimit: 5);
        var shopper = await api.SignUpShopper();

        api.Faults.FailNext(nameof(IShopperCartGrain.SetItem), shopper.Id, failure switch
        {
            "silo-unavailable" => new SiloUnavailableException("The target silo became unavailable"),
            "connection-failed" => new ConnectionFailedException("There are no available gateways."),
            "gateway-busy" => new GatewayTooBusyException(),
            "timeout" => new TimeoutException("Response did not arrive on time"),
            "message-expired" => new OperationCanceledException("Message expired before placement"),
            "storage" => new RedisStorageException("Failed to write grain state"),
            "reminders" => new RedisRemindersException("RedisConnectionException: SocketFailure"), // seen as a 500 in the Redis fault scenario
            "etag" => new InconsistentStateException("Version conflict"),
            _ => new EngineUnavailableException("Lot is reloading after a failed write; retry."),
        });
        using var refused = await shopper.SetItem(lot.LotId, 2);

        await AssertUnavailable(refused);
        Assert.Empty((await shopper.GetCart()).Items);
        Assert.Equal((10, 0, 0), Counts3(await shopper.GetLot(lot.LotId)));
    }

    [Fact]
    public async Task A_hold_the_engine_does_not_answer_within_the_deadline_is_a_503_and_is_cancelled_in_the_grain()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 10, perShopperLimit: 5);
        var shopper = await api.SignUpShopper();
        var cancelledInGrain = api.Faults.Stall(nameof(IShopperCartGrain.SetItem), shopper.Id);

        using var refused = await shopper.SetItem(lot.LotId, 4);

        await AssertUnavailable(refused);
        await cancelledInGrain.WaitAsync(HangGuard);
        api.Faults.Unstall(nameof(IShopperCartGrain.SetItem), shopper.Id);
        Assert.Empty((await shopper.GetCart()).Items);
        Assert.Equal((10, 0, 0), Counts3(await shopper.GetLot(lot.LotId)));
        Assert.Equal(4, Assert.Single((await shopper.Hold(lot.LotId, 4)).Items).Quantity);
    }

    [Fact]
    public async Task A_checkout_the_engine_does_not_answer_within_the_deadline_is_a_503_and_its_retry_makes_one_order()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 10, perShopperLimit: 5);
        var shopper = await api.SignUpShopper();
        await shopper.Hold(lot.LotId, 2);
        var key = Guid.NewGuid().ToString();
        var cancelledInGrain = api.Faults.Stall(nameof(ICheckoutRequestGrain.Execute), $"{shopper.Id}/{key}");

        using var refused = await shopper.Checkout("cash-on-delivery", key);

        await AssertUnavailable(refused);
        await cancelledInGrain.WaitAsync(HangGuard);
        api.Faults.Unstall(nameof(ICheckoutRequestGrain.Execute), $"{shopper.Id}/{key}");
        Assert.Empty(await shopper.ListOrders());
        Assert.Equal(2, Assert.Single((await shopper.GetCart()).Items).Quantity);
        Assert.Equal((8, 2, 0), Counts3(await shopper.GetLot(lot.LotId)));

        using var retried = await shopper.Checkout("cash-on-delivery", key);
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.Single(await shopper.ListOrders());
    }

    [Fact]
    public async Task A_hub_method_that_meets_a_cluster_failure_says_unavailable_and_the_connection_stays_up()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 10);
        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(api.Server.BaseAddress, "/hubs/sale"), o =>
        {
            o.Transports = HttpTransportType.WebSockets;
            o.SkipNegotiation = true;
            o.WebSocketFactory = async (context, cancellation) => await api.Server.CreateWebSocketClient().ConnectAsync(context.Uri, cancellation);
        }).Build();
        await hub.StartAsync();

        api.Faults.FailNext(nameof(IProduceLotGrain.Get), lot.LotId, new SiloUnavailableException("The target silo became unavailable"));
        var error = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync("WatchLot", lot.LotId));

        // SignalR sends a HubException's message after its own "An unexpected error occurred invoking ...".
        Assert.Contains("HubException: " + EngineHubFilter.UnavailablePrefix, error.Message, StringComparison.Ordinal);
        Assert.Equal(HubConnectionState.Connected, hub.State);
        await hub.InvokeAsync("WatchLot", lot.LotId);
    }

    /// <summary>
    /// A scrape must not name the engine's internals (Orleans and Redis exception types) nor grow a
    /// series per type. On .NET 10 a request whose exception our handler answered is tagged with its
    /// status code only, and the exception counter is not fed for it; this keeps it so.
    /// </summary>
    [Fact]
    public async Task The_metrics_scrape_names_no_exception_type_for_failed_requests()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 10, perShopperLimit: 5);
        var shopper = await api.SignUpShopper();

        api.Faults.FailNext(nameof(IShopperCartGrain.SetItem), shopper.Id, new RedisStorageException("Failed to write grain state"));
        using (var unavailable = await shopper.SetItem(lot.LotId, 1))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
        }

        api.Faults.FailNext(nameof(IShopperCartGrain.SetItem), shopper.Id, new InvalidOperationException("a defect in the engine"));
        using (var defect = await shopper.SetItem(lot.LotId, 1))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, defect.StatusCode);
        }

        using var anonymous = api.CreateAnonymousClient();
        using (var forged = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/cart", UriKind.Relative)))
        {
            // A token that fails authentication: ASP.NET Core's own meters name its exception too.
            forged.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not.a.token");
            using var refused = await anonymous.SendAsync(forged);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var scrape = await anonymous.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var failedRequests = scrape.Split('\n')
            .Where(line => line.StartsWith("http_server_request_duration", StringComparison.Ordinal) && line.Contains("error_type=", StringComparison.Ordinal))
            .Select(line => Regex.Match(line, "error_type=\"([^\"]*)\"").Groups[1].Value)
            .ToHashSet();
        var labelValues = Regex.Matches(scrape, "=\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToHashSet();

        Assert.Equal(new HashSet<string> { "500", "503" }, failedRequests);
        Assert.DoesNotContain(labelValues, v => v.Contains("Exception", StringComparison.Ordinal));
    }

    private static async Task AssertUnavailable(HttpResponseMessage response)
    {
        await response.ReadProblem(HttpStatusCode.ServiceUnavailable, Problems.Unavailable);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
    }

    private static (int Available, int Reserved, int Sold) Counts3(Lot lot) => (lot.Available, lot.Reserved, lot.Sold);
}
