using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FlashSale.Api.Extensions;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Api.WarmUp;
using FlashSale.Cluster.Embedded;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FlashSale.Api.Tests.WarmUp;

/// <summary>
/// The whole API on real Kestrel on a loopback port, with its rate limits on (as shipped) and a
/// small warm-up, so the warm-up is seen through every layer a surge's request passes.
/// </summary>
public sealed class WarmingApi : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const int MinRequests = 300;

    public const int MaxRequests = 1_000;

    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly int _httpPort = LoopbackPorts.Unused();
    private readonly int _siloPort = LoopbackPorts.Unused();
    private readonly int _gatewayPort = LoopbackPorts.Unused();

    public WarmingApi()
        : this(new Dictionary<string, string>
        {
            ["FlashSale:WarmUp:MinRequests"] = MinRequests.ToString(CultureInfo.InvariantCulture),

            // The compiler is shared with every other test class running beside this one, so it
            // may never fall quiet here: the most requests bound the warm-up instead.
            ["FlashSale:WarmUp:MaxRequests"] = MaxRequests.ToString(CultureInfo.InvariantCulture),
            ["FlashSale:WarmUp:Deadline"] = "00:05:00",
            ["FlashSale:WarmUp:Connections"] = "4",
        })
    {
    }

    // Internal: xUnit builds the class fixture through its one public constructor.
    internal WarmingApi(IReadOnlyDictionary<string, string> settings)
    {
        _settings = settings;
        UseKestrel(o => o.Listen(IPAddress.Loopback, _httpPort));
    }

    public SurgePathWarmUp WarmUp => Services.GetRequiredService<SurgePathWarmUp>();

    public Uri Url => new($"http://127.0.0.1:{_httpPort}");

    public Task InitializeAsync()
    {
        StartServer();
        return Task.CompletedTask;
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environments.Development);
        builder.UseSetting("FlashSale:Data:InMemory", "true");
        builder.UseSetting("Orleans:SiloPort", _siloPort.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:GatewayPort", _gatewayPort.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("FlashSale:Demo:Seed", "false");
        builder.UseSetting("FlashSale:Engine:CallTimeout", "00:00:30"); // a slow first call on a loaded machine is not the warm-up's fault
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}

public sealed class SurgePathWarmUpTests(WarmingApi api) : IClassFixture<WarmingApi>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_started_host_warms_every_surge_path_and_each_answers_as_a_working_host_does()
    {
        var report = await api.WarmUp.Completion.WaitAsync(Patience);

        Assert.NotNull(report);
        Assert.InRange(report.Requests, WarmingApi.MinRequests, WarmingApi.MaxRequests);
        Assert.NotEqual(WarmUpEnd.Deadline, report.EndedBy);

        // With the rate limits on, not one refusal (429), no 5xx and no request unanswered.
        Assert.Equal(0, report.Unexpected);
        Assert.Equal(Enum.GetValues<WarmUpStep>(), report.Answers.Select(a => a.Step).Distinct().Order());
        Assert.All(report.Answers, a => Assert.Equal(WarmUpReport.ExpectedFor(a.Step), a.Status));
    }

    [Fact]
    public async Task A_warm_up_leaves_no_lot_no_hold_and_no_rate_limit_spent_on_a_real_shopper()
    {
        await api.WarmUp.Completion.WaitAsync(Patience);
        using var client = new HttpClient { BaseAddress = api.Url };

        using var lots = await client.GetFromJsonAsync<JsonDocument>("/api/lots?limit=50");
        Assert.Equal(0, lots!.RootElement.GetProperty("items").GetArrayLength());

        // A shopper who signs up after it holds as freely as ever: the warm-up's own shoppers
        // spent their own buckets, and it took at most half of the loopback address's.
        var shopper = await (await client.PostAsJsonAsync("/api/shoppers", new { name = "Li Na" })).Content.ReadFromJsonAsync<JsonDocument>();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/cart");
        request.Headers.Authorization = new("Bearer", shopper!.RootElement.GetProperty("token").GetString());
        using var cart = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, cart.StatusCode);
        using var body = await cart.Content.ReadFromJsonAsync<JsonDocument>();
        Assert.Equal(0, body!.RootElement.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task The_warm_up_health_answers_200_once_the_warm_up_has_ended()
    {
        await api.WarmUp.Completion.WaitAsync(Patience);
        using var client = new HttpClient { BaseAddress = api.Url };

        using var answer = await client.GetAsync(WarmUpExtensions.HealthPath);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }

    [Fact]
    public async Task While_the_host_warms_its_warm_up_health_is_503_and_its_contract_health_200_and_a_stop_ends_the_warm_up()
    {
        // Paced by a tiny address budget (10 requests a second) towards a million requests, with a
        // minute's deadline: this warm-up is still running when the test asks, however slow the machine.
        var slow = new WarmingApi(new Dictionary<string, string>
        {
            ["FlashSale:RateLimits:AddressBurst"] = "20",
            ["FlashSale:RateLimits:AddressPerSecond"] = "20",
            ["FlashSale:WarmUp:MinRequests"] = "1000000",
            ["FlashSale:WarmUp:MaxRequests"] = "1000000",
            ["FlashSale:WarmUp:Connections"] = "1",
            ["FlashSale:WarmUp:Deadline"] = "00:01:00",
        });
        SurgePathWarmUp warmUp;
        await using (slow)
        {
            await slow.InitializeAsync();
            warmUp = slow.WarmUp;
            using var client = new HttpClient { BaseAddress = slow.Url };
            Assert.False(warmUp.Completion.IsCompleted);

            using var warm = await client.GetAsync(WarmUpExtensions.HealthPath);
            using var contract = await client.GetAsync("/health");

            Assert.False(warmUp.Completion.IsCompleted);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, warm.StatusCode);
            Assert.Equal(HttpStatusCode.OK, contract.StatusCode);
        }

        // The host stopped long before the deadline: the warm-up ended with it, with no report.
        Assert.Null(await warmUp.Completion.WaitAsync(Patience));
    }

    [Theory]
    [InlineData(new[] { "http://127.0.0.1:5080" }, null, "http://127.0.0.1:5080/")]
    [InlineData(new[] { "http://0.0.0.0:5080" }, null, "http://127.0.0.1:5080/")]
    [InlineData(new[] { "http://[::]:5080" }, null, "http://[::1]:5080/")]
    [InlineData(new[] { "http://+:80" }, null, "http://127.0.0.1/")]
    [InlineData(new[] { "http://*:8080" }, null, "http://127.0.0.1:8080/")]
    [InlineData(new[] { "http://localhost:5000" }, null, "http://127.0.0.1:5000/")]
    [InlineData(new[] { "http://10.1.2.3:5080" }, null, "http://10.1.2.3:5080/")]
    [InlineData(new[] { "https://0.0.0.0:443", "http://0.0.0.0:5080" }, null, "http://127.0.0.1:5080/")]
    [InlineData(new[] { "http://0.0.0.0:9090", "http://0.0.0.0:5080" }, 9090, "http://127.0.0.1:5080/")]
    public void The_warm_up_goes_through_a_loopback_address_of_a_plain_http_endpoint(string[] addresses, int? managementPort, string expected) =>
        Assert.Equal(new Uri(expected), SurgePathWarmUp.LoopbackTarget(addresses, managementPort));

    [Theory]
    [InlineData(new string[0], null)]
    [InlineData(new[] { "https://0.0.0.0:443" }, null)]
    [InlineData(new[] { "http://0.0.0.0:9090" }, 9090)]
    public void A_host_with_no_plain_http_address_but_the_management_port_is_not_warmed(string[] addresses, int? managementPort) =>
        Assert.Null(SurgePathWarmUp.LoopbackTarget(addresses, managementPort));

    [Theory]
    [InlineData(true, 2500, 10, 16, 16)] // the defaults: 1,250 requests a second over 16 connections, 5 a second per shopper
    [InlineData(true, 2500, 10, 1, 250)]
    [InlineData(true, 20, 10, 1, 2)]
    [InlineData(true, 20, 1, 4, 3)] // a shopper's half of 1 a second is rounded up to 1
    [InlineData(false, 2500, 10, 16, 1)]
    public void Each_connection_takes_turns_among_enough_shoppers_that_none_passes_half_its_rate(
        bool enabled, int addressPerSecond, int shopperPerSecond, int connections, int expected)
    {
        var limits = new RateLimitOptions { Enabled = enabled, AddressPerSecond = addressPerSecond, ShopperPerSecond = shopperPerSecond };

        Assert.Equal(expected, SurgePathWarmUp.ShoppersPerConnection(limits, connections));
    }

    [Theory]
    [InlineData("MinRequests", "50000")] // above MaxRequests (40,000)
    [InlineData("Connections", "0")]
    [InlineData("SettledBelowCompilerPercent", "101")]
    [InlineData("Deadline", "00:30:00")]
    public void Settings_out_of_range_are_refused_when_the_options_are_validated(string setting, string value)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [$"{WarmUpOptions.Section}:{setting}"] = value });
        builder.AddSurgePathWarmUp();
        using var services = builder.Services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<WarmUpOptions>>().Value);
        Assert.Contains(setting, failure.Message, StringComparison.Ordinal);
    }
}

/// <summary>
/// The in-process test server, with the warm-up on and the host's address set to a loopback port
/// where nothing listens: the warm-up finds that address and nothing answers there.
/// </summary>
public sealed class UnansweredWarmUpFactory : FlashSaleApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("FlashSale:WarmUp:Enabled", "true");
        builder.UseSetting("urls", $"http://127.0.0.1:{LoopbackPorts.Unused()}");
    }
}

public sealed class UnansweredWarmUpTests(UnansweredWarmUpFactory api) : IClassFixture<UnansweredWarmUpFactory>
{
    [Fact]
    public async Task A_warm_up_that_nothing_answers_gives_up_after_its_first_requests_and_the_host_counts_as_warm()
    {
        var report = await api.Services.GetRequiredService<SurgePathWarmUp>().Completion.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.NotNull(report);
        Assert.Equal(WarmUpEnd.NoAnswer, report.EndedBy);
        Assert.All(report.Answers, a => Assert.Null(a.Status));

        // The connections stop at the next request after the limit: at most one more each.
        Assert.InRange(report.Requests, SurgePathWarmUp.NoAnswerLimit, SurgePathWarmUp.NoAnswerLimit + new WarmUpOptions().Connections);

        using var answer = await api.CreateAnonymousClient().GetAsync(WarmUpExtensions.HealthPath);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }
}
