using FlashSale.Cluster;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace FlashSale.Api.Seeding;

/// <summary>Prints the one line a newcomer needs: where to go, and that this mode forgets everything.</summary>
internal sealed class StartupBanner(IHostApplicationLifetime lifetime, IServer server, IConfiguration configuration, IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:5080";
            // Only when this node seeded them: a node joining a cluster that has lots seeds none.
            // Resolved here, not injected: the banner is itself one of the hosted services.
            var seeded = services.GetServices<IHostedService>().OfType<DemoSaleSeeder>().Any(s => s.DemoSellerId is not null);
            var demo = seeded ? " with demo lots" : "";
            var mode = configuration.IsClusterMode()
                ? $"Cluster mode: an Orleans client of the silos found through Redis at {configuration.RedisConnectionString()}; state is durable there."
                : "Embedded mode: one silo in this process, state in memory, gone when it stops.";
            Console.WriteLine($"FlashSale is up at {address}{demo} (API reference: {address}/api-docs). {mode}");
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
