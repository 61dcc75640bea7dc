using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using FlashSale.Api.Apis;
using FlashSale.Api.Identity;
using FlashSale.Cluster.Embedded;
using FlashSale.Common;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace FlashSale.Api.Tests.Infrastructure;

/// <summary>
/// The whole API with its embedded silo, in memory, shared by one collection of tests. Each
/// factory gets its own silo and gateway ports, so collections can run side by side, and the
/// engine's clock is a <see cref="FakeTimeProvider"/>: tests move hold expiry and payment
/// deadlines by advancing it, never by waiting. Tests in one collection run one after another,
/// so moving the clock never surprises a neighbour; every test makes its own sellers, shoppers
/// and lots (or uses <see cref="SharedScene"/> without changing it), so what an earlier test
/// left behind does not matter.
/// </summary>
public class FlashSaleApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly Lazy<Task<Scene>> _sharedScene;

    public FlashSaleApiFactory()
    {
        (SiloPort, GatewayPort) = (LoopbackPorts.Unused(), LoopbackPorts.Unused());
        _sharedScene = new Lazy<Task<Scene>>(() => Scene.Create(this));

        // The clock starts at the real time: the API judges "endsAt is in the future" by the
        // host's clock, and the engine's fake clock only ever moves forward from there.
        var now = TimeProvider.System.GetUtcNow();
        Clock = new FakeTimeProvider(new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero));
    }

    /// <summary>The hub's log lines, as the host's logging rules pass them.</summary>
    public LogCapture Logs { get; } = new();

    /// <summary>The engine's clock (the keyed <see cref="FlashSaleClock"/>), moved only by tests.</summary>
    public FakeTimeProvider Clock { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    /// <summary>The data folder of a durable host; null keeps the state in memory.</summary>
    protected virtual string? DataPath => null;

    /// <summary>Whether the API's rate limits are on.</summary>
    protected virtual bool RateLimited => false;

    /// <summary>
    /// Development, as <c>dotnet run</c> starts the API: the demo sign-up and the sandbox gateway
    /// are on, and the installation's secrets are generated for this host alone (in memory).
    /// <see cref="ProductionApiFactory"/> runs the Production profile.
    /// </summary>
    protected virtual string EnvironmentName => Environments.Development;

    public bool IsDevelopment => EnvironmentName == Environments.Development;

    public Task InitializeAsync()
    {
        // Touching the server builds and starts the host, and with it the silo, before any test runs.
        _ = Server;
        return Task.CompletedTask;
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        builder.UseSetting("Orleans:SiloPort", SiloPort.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:GatewayPort", GatewayPort.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("FlashSale:Demo:Seed", "false");
        if (DataPath is { } path)
        {
            builder.UseSetting("FlashSale:Data:Path", path);
        }
        else
        {
            // The embedded Redis without its append-only file: the same providers, nothing on disk.
            builder.UseSetting("FlashSale:Data:InMemory", "true");
        }
        builder.UseSetting("FlashSale:Identity:Operators:0", PhoneAccounts.OperatorPhone);

        // The tests send far more requests per shopper than a person would; the limits have
        // their own tests (RateLimitTests), with their own factory.
        builder.UseSetting("FlashSale:RateLimits:Enabled", RateLimited ? "true" : "false");

        // The in-process test server has no socket to warm through; the warm-up has its own tests
        // (SurgePathWarmUpTests), on real Kestrel.
        builder.UseSetting("FlashSale:WarmUp:Enabled", "false");

        // The engine deadline (3 s in a deployment) has its own tests (EngineFaultTests); here it
        // must not turn a slow first call on a loaded machine into a 503.
        builder.UseSetting("FlashSale:Engine:CallTimeout", "00:00:30");
        // The hub filter's refusals are Debug lines; the hub tests read them (LogCapture).
        builder.UseSetting("Logging:LogLevel:FlashSale.Api.Hubs.EngineHubFilter", "Debug");
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<ILoggerProvider>(Logs);
            services.AddSingleton<IStartupFilter, TestConnection.StartupFilter>();

            // Test services are added after the app's, and the engine registered its clock with
            // TryAdd while the app was built, so that registration is already there: remove it
            // rather than rely on "the last registration wins".
            services.RemoveAllKeyed<TimeProvider>(FlashSaleClock.Key);
            services.AddKeyedSingleton<TimeProvider>(FlashSaleClock.Key, Clock);

            // The silo's graceful stop can wait out one grain call's 30-second response timeout
            // (seen once on a loaded machine, at the end of a collection): the host's default
            // 30 seconds would then fail the collection's cleanup though every test passed.
            services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(2));
        });
    }

    /// <summary>
    /// One scene for the tests of a collection that never change it, and assert that they did not:
    /// the bad-input table sends hundreds of refused requests, and a scene each would cost more than all of them.
    /// </summary>
    public Task<Scene> SharedScene() => _sharedScene.Value;

    /// <summary>A client with no token; redirects are not followed, so a test sees what the API said.</summary>
    public HttpClient CreateAnonymousClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public HttpClient CreateClientWithToken(string token)
    {
        var client = CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task<Caller> SignUpSeller(string name = "Wang Fang", string? village = "Dangshan")
    {
        var signedUp = await SignUp<SellerSignedUp>("/api/sellers", new { name, village });
        return new Caller(signedUp.SellerId, Roles.Seller, signedUp.Token, CreateClientWithToken(signedUp.Token));
    }

    public async Task<Caller> SignUpShopper(string name = "Zhang Min", string? region = "Anhui")
    {
        var signedUp = await SignUp<ShopperSignedUp>("/api/shoppers", new { name, region });
        return new Caller(signedUp.ShopperId, Roles.Shopper, signedUp.Token, CreateClientWithToken(signedUp.Token));
    }

    public async Task<Caller> SignUpAgent(string name = "Liu Yang", string village = "Zhouzhi")
    {
        var signedUp = await SignUp<AgentSignedUp>("/api/agents", new { name, village });
        return new Caller(signedUp.AgentId, Roles.Agent, signedUp.Token, CreateClientWithToken(signedUp.Token));
    }

    public Task<Caller> SignUp(string role) => role switch
    {
        Roles.Seller => SignUpSeller(),
        Roles.Shopper => SignUpShopper(),
        Roles.Agent => SignUpAgent(),
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "not a role"),
    };

    private async Task<T> SignUp<T>(string path, object body)
    {
        if (!IsDevelopment)
        {
            return MintIdentity<T>(path, body);
        }

        using var anonymous = CreateAnonymousClient();
        using var response = await anonymous.PostAsJsonAsync(path, body, ApiJson.Options);
        return await response.ReadAs<T>(HttpStatusCode.Created);
    }

    /// <summary>
    /// Outside Development there is no open sign-up: the identity is made as the installation's
    /// own sign-in would make it, with a token from the host's <see cref="TokenService"/>.
    /// </summary>
    private T MintIdentity<T>(string path, object body)
    {
        var tokens = Services.GetRequiredService<TokenService>();
        var name = (string)body.GetType().GetProperty("name")!.GetValue(body)!;
        object identity = path switch
        {
            "/api/sellers" when Ids.New(Ids.SellerPrefix) is var id => new SellerSignedUp(id, tokens.Issue(id, Roles.Seller, name)),
            "/api/shoppers" when Ids.New(Ids.ShopperPrefix) is var id => new ShopperSignedUp(id, tokens.Issue(id, Roles.Shopper, name)),
            "/api/agents" when Ids.New(Ids.AgentPrefix) is var id => new AgentSignedUp(id, tokens.Issue(id, Roles.Agent, name)),
            _ => throw new ArgumentOutOfRangeException(nameof(path), path, "not a sign-up route"),
        };
        return (T)identity;
    }
}

/// <summary>
/// The same API in the Production profile: no demo sign-up, no sandbox, and the framework does
/// not throw on a bad request body. Production starts only with configured secrets: these are
/// random for this host, as an operator's would be.
/// </summary>
public sealed class ProductionApiFactory : FlashSaleApiFactory
{
    /// <summary>The management port: /metrics and /dashboard answer on it alone.</summary>
    public const int ManagementPort = 9464;

    protected override string EnvironmentName => Environments.Production;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("FlashSale:Operations:ManagementPort", ManagementPort.ToString(CultureInfo.InvariantCulture));
        foreach (var (key, value) in TestSecrets.Configured())
        {
            builder.UseSetting(key, value);
        }
    }
}

/// <summary>Random secrets for a host that must have them configured (the Production profile).</summary>
public static class TestSecrets
{
    public static IEnumerable<(string Key, string Value)> Configured()
    {
        yield return ("FlashSale:Identity:SigningKeys:0:Id", "test-" + Guid.NewGuid().ToString("N")[..8]);
        yield return ("FlashSale:Identity:SigningKeys:0:Key", Random());
        foreach (var method in new[] { "wallet", "bank-transfer", "mobile-money" })
        {
            yield return ($"FlashSale:Payments:Webhooks:Secrets:{method}:0", "whsec_" + Random());
        }

        yield return ("FlashSale:Phone:Gateway:Secrets:0", "phsec_" + Random());
    }

    public static string Random() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
}
