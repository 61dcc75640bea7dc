using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FlashSale.Cluster.Embedded;
using FlashSale.Common;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;

namespace FlashSale.Browser.Tests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class LiveAppCollection : ICollectionFixture<LiveApp>
{
    public const string Name = "live app in chromium";
}

/// <summary>
/// The real app (API, embedded silo and the built web client) on Kestrel at a free 127.0.0.1 port,
/// without the demo lots, and one Debian Chromium driven by Playwright. Each test opens its own
/// browser contexts, so shoppers and sellers never share storage. The engine runs on the real
/// clock; <see cref="ClockedLiveApp"/> is the same app with the engine's clock in the tests' hand.
/// </summary>
public class LiveApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>The operator's phone number (<c>FlashSale:Identity:Operators:0</c>).</summary>
    public const string OperatorPhone = "+8613900000000";

    /// <summary>The phone the client is designed for.</summary>
    public static readonly ViewportSize Phone = new() { Width = 360, Height = 740 };

    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private readonly int _siloPort = LoopbackPorts.Unused();
    private readonly int _gatewayPort = LoopbackPorts.Unused();
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public LiveApp()
    {
        Port = LoopbackPorts.Unused();
        UseKestrel(o => o.Listen(IPAddress.Loopback, Port));
    }

    public int Port { get; }

    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    public HubConnectionDropper HubConnections => Services.GetRequiredService<HubConnectionDropper>();

    /// <summary>The engine's clock (the keyed <see cref="FlashSaleClock"/>) when a subclass sets it; null keeps the real one.</summary>
    protected virtual TimeProvider? EngineClock => null;

    /// <summary>Screenshots land in the test output folder, under screenshots/.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>The repository's root: the folder holding FlashSale.sln, above the test output.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The README's images: a few screenshots are written here on every run, so they show the latest client.</summary>
    public static string DocsScreenshotDirectory => Path.Combine(RepositoryRoot, "docs", "screenshots");

    public async Task InitializeAsync()
    {
        StartServer();
        await WarmUp();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = "/usr/bin/chromium", Args = ChromiumArgs });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        await DisposeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Development: shoppers sign up through the demo routes and pay through the sandbox; the
        // installation's secrets are generated for this host alone.
        builder.UseEnvironment(Environments.Development);
        builder.UseSetting("FlashSale:Data:InMemory", "true");
        builder.UseSetting("Orleans:SiloPort", _siloPort.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:GatewayPort", _gatewayPort.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("FlashSale:Demo:Seed", "false");
        builder.UseSetting("FlashSale:WarmUp:Enabled", "false"); // it has its own tests (SurgePathWarmUpTests)
        builder.UseSetting("FlashSale:Data:InMemory", "true");
        builder.UseSetting("FlashSale:Identity:Operators:0", OperatorPhone);
        // Every hold (10 minutes) counts as expiring soon, so the seller's dashboard shows the count.
        builder.UseSetting("FlashSale:LiveStock:ExpiringSoonWindow", "00:15:00");
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<HubConnectionDropper>();
            services.AddSingleton<IStartupFilter, HubConnectionDropperStartup>();
            if (EngineClock is { } clock)
            {
                // The engine registered its clock with TryAdd while the app was built: replace it
                // rather than rely on "the last registration wins".
                services.RemoveAllKeyed<TimeProvider>(FlashSaleClock.Key);
                services.AddKeyedSingleton(FlashSaleClock.Key, clock);
            }
        });
    }

    /// <summary>
    /// Serves the client and the sale list once before any test, so the slow-3G measurement times
    /// the emulated network and the client, not the first request's JIT and grain activation.
    /// </summary>
    private async Task WarmUp()
    {
        using var http = Http();
        var index = await http.GetStringAsync(new Uri("/", UriKind.Relative));
        foreach (var asset in System.Text.RegularExpressions.Regex.Matches(index, "/assets/[^\"]+").Select(m => m.Value))
        {
            using var response = await http.GetAsync(new Uri(asset, UriKind.Relative));
            response.EnsureSuccessStatusCode();
        }

        using var lots = await http.GetAsync(new Uri("/api/lots", UriKind.Relative));
        lots.EnsureSuccessStatusCode();
    }

    /// <summary>A fresh browser context (its own storage) on a 360 px phone, opened at the client.</summary>
    public async Task<IPage> OpenPage(string hash = "#/", string locale = "en-US")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl.ToString(), ViewportSize = Phone, Locale = locale, HasTouch = true,
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/" + hash);
        await WaitReady(page);
        return page;
    }

    /// <summary>The client marks the document ready once a page is rendered and its handlers are bound.</summary>
    public static Task WaitReady(IPage page) => page.Locator("html[data-ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    /// <summary>Saves a full-page screenshot with the test output; with <paramref name="docs"/>, also as the README's image of that name.</summary>
    public static async Task Screenshot(IPage page, string name, bool docs = false)
    {
        var bytes = await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true, Animations = ScreenshotAnimations.Disabled });
        if (docs)
        {
            Directory.CreateDirectory(DocsScreenshotDirectory);
            await File.WriteAllBytesAsync(Path.Combine(DocsScreenshotDirectory, name + ".png"), bytes);
        }
    }

    /// <summary>
    /// A fresh browser context signed in as the given identities (as the client keeps them, in
    /// the tab's sessionStorage), opened at the client.
    /// </summary>
    public Task<IPage> OpenPageAs(string hash, string locale, params (string Role, string Id, string Token, string Name)[] identities) =>
        OpenPageAs(hash, locale, null, identities);

    /// <summary>As above, with <paramref name="prepare"/> run on the context before the page opens (routes, for instance).</summary>
    public async Task<IPage> OpenPageAs(string hash, string locale, Func<IBrowserContext, Task>? prepare, params (string Role, string Id, string Token, string Name)[] identities)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl.ToString(), ViewportSize = Phone, Locale = locale, HasTouch = true,
        });
        context.SetDefaultTimeout(15_000);
        var script = string.Concat(identities.Select(i =>
            $"sessionStorage.setItem('flashsale.identity.{i.Role}', {JsonSerializer.Serialize(JsonSerializer.Serialize(new { id = i.Id, token = i.Token, name = i.Name }))});"));
        await context.AddInitScriptAsync(script);
        if (prepare is not null)
        {
            await prepare(context);
        }

        var page = await context.NewPageAsync();
        await page.GotoAsync("/" + hash);
        await WaitReady(page);
        return page;
    }

    /// <summary>A lot behind a waiting room that lets <paramref name="admitPerSecond"/> shoppers in per second from <paramref name="startsAt"/> (null: now).</summary>
    public async Task<string> CreateWaitingRoomLot(string sellerToken, string name, int quantity, DateTimeOffset? startsAt, int admitPerSecond, int admissionWindowSeconds = 120, int perShopperLimit = 5)
    {
        using var http = Http(sellerToken);
        using var response = await http.PostAsJsonAsync("/api/lots", new
        {
            name, unit = "box (5 kg)", priceMinor = 5600, currency = "CNY", quantity, perShopperLimit, startsAt,
            waitingRoom = new { admitPerSecond, admissionWindowSeconds },
        });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("lotId").GetString()!;
    }

    /// <summary>Joins a lot's waiting room through the API; returns the ticket.</summary>
    public async Task<JsonElement> JoinQueue(string shopperToken, string lotId)
    {
        using var http = Http(shopperToken);
        using var response = await http.PostAsync(new Uri($"/api/lots/{lotId}/queue", UriKind.Relative), null);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FlashSale.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No FlashSale.sln above {AppContext.BaseDirectory}.");
    }

    public HttpClient Http(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseUrl };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>Signs up through the API, for the side of a scene the test does not drive in the browser.</summary>
    public async Task<(string Id, string Token)> SignUp(string role, string name, string village = "Dangshan")
    {
        using var http = Http();
        using var response = await http.PostAsJsonAsync($"/api/{role}s", new { name, village });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty($"{role}Id").GetString()!, body.GetProperty("token").GetString()!);
    }

    /// <summary>A lot on sale from <paramref name="startsAt"/> (null: now).</summary>
    public async Task<string> CreateLot(string sellerToken, string name, int quantity, int perShopperLimit = 5, long priceMinor = 6800, DateTimeOffset? startsAt = null)
    {
        using var http = Http(sellerToken);
        using var response = await http.PostAsJsonAsync("/api/lots", new { name, unit = "box (5 kg)", priceMinor, currency = "CNY", quantity, perShopperLimit, startsAt });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("lotId").GetString()!;
    }

    public async Task Hold(string shopperToken, string lotId, int quantity)
    {
        using var http = Http(shopperToken);
        using var response = await http.PutAsJsonAsync($"/api/cart/items/{lotId}", new { quantity });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The service point of a demo agent (each has one from sign-up).</summary>
    public async Task<string> PointOf(string agentId)
    {
        using var http = Http();
        var points = await http.GetFromJsonAsync<JsonElement>("/api/pickup-points");
        return points.EnumerateArray().Single(p => p.GetProperty("agentId").GetString() == agentId).GetProperty("pointId").GetString()!;
    }

    /// <summary>Holds and checks out through the API with a delivery (<c>{kind: "pickup", pointId}</c> or <c>{kind: "home", address}</c>); returns the order.</summary>
    public async Task<JsonElement> Buy(string shopperToken, string lotId, int quantity, string paymentMethod, object delivery)
    {
        await Hold(shopperToken, lotId, quantity);
        using var http = Http(shopperToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/checkout", UriKind.Relative)) { Content = JsonContent.Create(new { paymentMethod, delivery }) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Completes a gateway payment at the sandbox, which then sends its webhook: the order becomes paid shortly after.</summary>
    public async Task PayInSandbox(string shopperToken, JsonElement order)
    {
        using var http = Http(shopperToken);
        var paymentId = order.GetProperty("payment").GetProperty("paymentId").GetString();
        using var response = await http.PostAsJsonAsync($"/api/sandbox/payments/{paymentId}/complete", new { outcome = "succeeded" });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A POST through the API as <paramref name="token"/>'s owner (a seller's or an agent's move), which must succeed.</summary>
    public async Task<JsonElement> Post(string token, string path, object? body = null)
    {
        using var http = Http(token);
        using var response = body is null ? await http.PostAsync(new Uri(path, UriKind.Relative), null) : await http.PostAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
