using FlashSale.Cluster.Embedded;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FlashSale.Cluster;

/// <summary>
/// The hosting entry points: each FlashSale host (the API, the standalone silo) gets its engine
/// from one of them, and then talks to the engine through <c>FlashSale.Abstractions</c> (grain
/// interfaces and the records they exchange) and <c>FlashSale.Payments</c>; the grains themselves
/// are this library's to wire.
/// </summary>
public static class EngineHostingExtensions
{
    /// <summary>
    /// The engine of an API host. Without <c>FlashSale:Redis</c>: embedded, a cluster of one
    /// co-hosted in this process with its Redis (Garnet) inside, its state in the data folder
    /// (<c>FlashSale:Data</c>) or, with <c>FlashSale:Data:InMemory</c>, in memory: the same
    /// providers either way. With it: this API node is an Orleans client of the durable cluster
    /// (silos run as <c>silo/FlashSale.Silo</c>, <see cref="AddFlashSaleSilo"/>), finding them
    /// through Redis membership, and verifies gateways' webhooks itself. Throws
    /// <see cref="StartupRefusedException"/> when the data folder or a configured port is in use.
    /// </summary>
    public static IHostApplicationBuilder AddFlashSaleEngine(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (configuration.IsClusterMode())
        {
            builder.UseOrleansClient(client => client.UseFlashSaleClusterClient(configuration).AddFlashSaleDashboard(configuration));
            builder.Services.AddFlashSalePayments(configuration);
            return builder;
        }

        builder.AddEmbeddedFlashSaleCluster();
        return builder;
    }

    /// <summary>
    /// A standalone silo of the durable cluster (<c>silo/FlashSale.Silo</c>): the cluster's silo
    /// (<see cref="ClusterHostingExtensions.UseFlashSaleCluster(ISiloBuilder, Microsoft.Extensions.Configuration.IConfiguration)"/>),
    /// always ready once it serves, with the observability every FlashSale host exposes.
    /// </summary>
    public static IHostApplicationBuilder AddFlashSaleSilo(this IHostApplicationBuilder builder)
    {
        builder.UseOrleans(silo => silo.UseFlashSaleCluster(builder.Configuration));
        builder.Services.AddHealthChecks().AddCheck("silo", () => Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy(), [Observability.ReadyTag]);
        builder.Services.AddFlashSaleObservability(builder.Configuration, "flashsale-silo");
        return builder;
    }
}
