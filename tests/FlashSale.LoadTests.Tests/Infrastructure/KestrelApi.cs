using System.Globalization;
using FlashSale.Cluster.Embedded;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;

namespace FlashSale.LoadTests.Tests.Infrastructure;

/// <summary>
/// The whole FlashSale API with its embedded silo, in this process but on real Kestrel on a free
/// 127.0.0.1 port, so the harness reaches it over TCP exactly as it reaches a server it did not start.
/// </summary>
public sealed class KestrelApi : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly int _httpPort;
    private readonly int _siloPort;
    private readonly int _gatewayPort;

    public KestrelApi()
    {
        (_httpPort, _siloPort, _gatewayPort) = (LoopbackPorts.Unused(), LoopbackPorts.Unused(), LoopbackPorts.Unused());
        UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, _httpPort));
    }

    public Uri Url => new($"http://127.0.0.1:{_httpPort}");

    public Task InitializeAsync()
    {
        StartServer();
        return Task.CompletedTask;
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

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
        builder.UseSetting("FlashSale:RateLimits:Enabled", "false"); // one address sends the whole load
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }
}
