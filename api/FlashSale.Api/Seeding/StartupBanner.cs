using FlashSale.Cluster;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace FlashSale.Api.Seeding;

/// <summary>Prints what a newcomer needs: where to go, whether this mode forgets everything, and what the profile lets anyone do.</summary>
internal sealed class StartupBanner(IHostApplicationLifetime lifetime, IServer server, IConfiguration configuration, IHostEnvironment environment) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:5080";
            var demo = configuration.GetValue("FlashSale:Demo:Seed", true) ? " with demo lots" : "";
            var mode = configuration.IsClusterMode()
                ? $"Cluster mode: an Orleans client of the silos found through Redis at {configuration.RedisConnectionString()}; state is durable there."
                : "Embedded mode: one silo in this process, state in memory, gone when it stops.";
            Console.WriteLine($"FlashSale is up at {address}{demo} (API reference: {address}/api-docs). {mode}");
            Console.WriteLine(environment.IsDevelopment()
                ? "Development profile: ANYONE can sign up as a seller, shopper or agent with just a name, and the sandbox gateway can mark payments paid. Not for a real sale: run with ASPNETCORE_ENVIRONMENT=Production (docs/security.md)."
                : $"{environment.EnvironmentName} profile: demo sign-up and the sandbox gateway are off.");
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
