using FlashSale.Cluster;
using FlashSale.Cluster.Embedded;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace FlashSale.Api.Seeding;

/// <summary>
/// Prints what a newcomer needs: where to go, whether demo lots were seeded by this start (only
/// into a new store, never again), where the state lives and whether it survives, and what the
/// profile lets anyone do.
/// </summary>
internal sealed class StartupBanner(IHostApplicationLifetime lifetime, IServer server, IConfiguration configuration, IHostEnvironment environment, DemoSaleSeeder seeder, IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:5080";
            var demo = seeder.DemoSellerId is not null ? $", {DemoSaleSeeder.DemoLots.Count} demo lots and a presale seeded" : "";
            Console.WriteLine($"FlashSale is up at {address}{demo} (API reference: {address}/api-docs). {Mode(services.GetService<EmbeddedRedisServer>())}");
            Console.WriteLine(environment.IsDevelopment()
                ? "Development profile: ANYONE can sign up as a seller, shopper or agent with just a name, and the sandbox gateway can mark payments paid. Not for a real sale: run with ASPNETCORE_ENVIRONMENT=Production (docs/security.md)."
                : $"{environment.EnvironmentName} profile: demo sign-up and the sandbox gateway are off.");
            Console.WriteLine(OperationsLine(services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Extensions.OperationsOptions>>().Value));
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Where /metrics and /dashboard answer, so an open one is never a surprise.</summary>
    private string OperationsLine(Extensions.OperationsOptions operations) => operations.ManagementPort switch
    {
        { } port => $"/metrics and /dashboard answer only on the management port {port} (FlashSale:Operations:ManagementPort); the host must listen on it (--urls) and it must not be public.",
        null when environment.IsDevelopment() => "/metrics and /dashboard are OPEN to anyone on every port (Development). In Production they answer only on FlashSale:Operations:ManagementPort (docs/security.md).",
        null => "/metrics and /dashboard are off: set FlashSale:Operations:ManagementPort to serve them on a private port (docs/security.md).",
    };

    private string Mode(EmbeddedRedisServer? embedded) => embedded switch
    {
        null => $"Cluster mode: an Orleans client of the silos found through Redis at {configuration.RedisConnectionString()}; state is durable there.",
        { DataPath: { } path, WaitsForDisk: true } => $"Durable: state in {path}, every write in its append-only file before it is acknowledged; it survives a stop, a crash or kill -9.",
        { DataPath: { } path } => $"Durable: state in {path}, written to disk within milliseconds of its acknowledgement (FlashSale:Data:FsyncEveryCommit is off).",
        _ => "In memory (--in-memory): state is gone when it stops.",
    };
}
