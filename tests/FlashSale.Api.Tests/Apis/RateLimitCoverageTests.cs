using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using FlashSale.Api.Apis;
using FlashSale.Api.Extensions;
using FlashSale.Api.Hubs;
using FlashSale.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace FlashSale.Api.Tests.Apis;

/// <summary>
/// Every route family issue #12 names is limited: each answers 429 <c>rate-limited</c> with
/// <c>Retry-After</c> once the caller's budget is spent, and never before. What the route
/// answers inside the budget does not matter here (an empty cart's checkout is a 409): a
/// request takes its token before the route runs.
/// </summary>
[Collection(RateLimitCollection.Name)]
public sealed class RateLimitCoverageTests(RateLimitedApiFactory api)
{
    private const int Budget = RateLimitedApiFactory.ShopperBurst;

    [Fact]
    public async Task Checkout_past_the_shoppers_budget_is_429()
    {
        var shopper = await api.SignUpShopper();

        using var limited = await SendUntilLimited(shopper.Http, () => CheckoutRequest("/api/checkout", "wallet"));

        await AssertRateLimited(limited);
    }

    [Fact]
    public async Task Joining_a_waiting_room_past_the_shoppers_budget_is_429()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot();
        var shopper = await api.SignUpShopper();

        using var limited = await SendUntilLimited(shopper.Http, () => new HttpRequestMessage(HttpMethod.Post, $"/api/lots/{lot.LotId}/queue"));

        await AssertRateLimited(limited);
    }

    public static TheoryData<string> AgentRoutes() => new() { "hold", "release", "queue", "checkout" };

    [Theory]
    [MemberData(nameof(AgentRoutes))]
    public async Task An_agents_route_past_the_agents_budget_is_429(string route)
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 100, perShopperLimit: 5);
        var agent = await api.SignUpAgent();
        using var registered = await agent.Http.PostAsJsonAsync("/api/agent/villagers", new { name = "Zhao Lan" }, ApiJson.Options);
        var villager = (await registered.ReadAs<VillagerView>(HttpStatusCode.Created)).ShopperId;
        var path = $"/api/agent/villagers/{villager}";

        using var limited = await SendUntilLimited(agent.Http, () => route switch
        {
            "hold" => new HttpRequestMessage(HttpMethod.Put, $"{path}/cart/items/{lot.LotId}") { Content = JsonContent.Create(new { quantity = 1 }) },
            "release" => new HttpRequestMessage(HttpMethod.Delete, $"{path}/cart/items/{lot.LotId}"),
            "queue" => new HttpRequestMessage(HttpMethod.Post, $"{path}/lots/{lot.LotId}/queue"),
            _ => CheckoutRequest($"{path}/checkout", "village-agent"),
        });

        await AssertRateLimited(limited);
    }

    [Fact]
    public async Task Hub_calls_past_the_connections_budget_are_refused_as_rate_limited_and_the_connection_stays_up()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot();
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(api.Server.BaseAddress, "/hubs/sale"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.WebSocketFactory = async (context, cancellation) => await api.Server.CreateWebSocketClient().ConnectAsync(context.Uri, cancellation);
            })
            .AddJsonProtocol(o => ApiExtensions.ConfigureContractJson(o.PayloadSerializerOptions))
            .Build();
        await hub.StartAsync();

        HubException? refused = null;
        var calls = 0;
        while (refused is null && calls < RateLimitedApiFactory.HubCallBurst + 10)
        {
            calls++;
            try
            {
                await hub.InvokeAsync("WatchLot", lot.LotId);
            }
            catch (HubException ex)
            {
                refused = ex;
            }
        }

        Assert.NotNull(refused);
        Assert.Contains(RateLimitHubFilter.RateLimitedPrefix, refused.Message, StringComparison.Ordinal);
        Assert.True(calls > RateLimitedApiFactory.HubCallBurst, $"refused at call {calls}, inside the budget of {RateLimitedApiFactory.HubCallBurst}");
        Assert.Equal(HubConnectionState.Connected, hub.State);
    }

    /// <summary>Sends until the first 429, at most the budget plus ten times; the budget's own requests must all pass.</summary>
    internal static async Task<HttpResponseMessage> SendUntilLimited(HttpClient http, Func<HttpRequestMessage> request, int budget = Budget)
    {
        for (var sent = 0; sent < budget + 10; sent++)
        {
            using var message = request();
            var response = await http.SendAsync(message);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(sent >= budget, $"limited after {sent} requests, inside the budget of {budget}");
                return response;
            }

            Assert.True((int)response.StatusCode < 500, $"answered {(int)response.StatusCode}");
            response.Dispose();
        }

        Assert.Fail($"never limited in {budget + 10} requests");
        return null!;
    }

    internal static async Task AssertRateLimited(HttpResponseMessage limited)
    {
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "a 429 says when to retry");
        await limited.ReadProblem(HttpStatusCode.TooManyRequests, Problems.RateLimited);
    }

    private static HttpRequestMessage CheckoutRequest(string path, string paymentMethod)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(new { paymentMethod }) };
        request.Headers.Add(CheckoutApi.IdempotencyKeyHeader, SaleApi.NewIdempotencyKey());
        return request;
    }
}

/// <summary>The demo sign-up routes with a small budget per address, in process (<c>Store=Memory</c>).</summary>
public sealed class SignUpLimitedApiFactory : FlashSaleApiFactory
{
    public const int SignUpPerAddressPerMinute = 3;

    protected override bool RateLimited => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("FlashSale:RateLimits:Store", "Memory");
        builder.UseSetting("FlashSale:RateLimits:SignUpPerAddressPerMinute", SignUpPerAddressPerMinute.ToString(CultureInfo.InvariantCulture));
    }
}

[CollectionDefinition(Name)]
public sealed class SignUpLimitCollection : ICollectionFixture<SignUpLimitedApiFactory>
{
    public const string Name = "sign-up rate limit";
}

[Collection(SignUpLimitCollection.Name)]
public sealed class SignUpRateLimitTests(SignUpLimitedApiFactory api)
{
    /// <summary>The three demo sign-ups share one budget per address: a script cannot mint identities without end.</summary>
    [Fact]
    public async Task Demo_sign_up_past_the_addresses_budget_per_minute_is_429()
    {
        using var anonymous = api.CreateAnonymousClient();
        var routes = new[] { ("/api/sellers", (object)new { name = "Wang Fang", village = "Dangshan" }), ("/api/shoppers", new { name = "Zhang Min" }), ("/api/agents", new { name = "Liu Yang", village = "Zhouzhi" }) };

        var sent = 0;
        using var limited = await RateLimitCoverageTests.SendUntilLimited(anonymous, () =>
        {
            var (path, body) = routes[sent++ % routes.Length];
            return new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        }, SignUpLimitedApiFactory.SignUpPerAddressPerMinute);

        await RateLimitCoverageTests.AssertRateLimited(limited);
        Assert.True(limited.Headers.RetryAfter!.Delta <= TimeSpan.FromMinutes(1));
    }
}
