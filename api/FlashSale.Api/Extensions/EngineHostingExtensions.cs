using FlashSale.Cluster;
using FlashSale.Cluster.Embedded;
using Orleans.Dashboard;

namespace FlashSale.Api.Extensions;

public static class EngineHostingExtensions
{
    /// <summary>
    /// Where the engine runs. Without <c>FlashSale:Redis</c>: embedded, a cluster of one in this
    /// process with its Redis (Garnet) inside, its state in the data folder (<c>FlashSale:Data</c>)
    /// or, with <c>FlashSale:Data:InMemory</c>, in memory: the same providers either way. With
    /// it: this API node is an Orleans client of the durable cluster (silos run as
    /// <c>silo/FlashSale.Silo</c>), finding them through Redis membership. Throws
    /// <see cref="StartupRefusedException"/> when the data folder or a configured port is in use.
    /// </summary>
    public static WebApplicationBuilder AddFlashSaleEngine(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (configuration.IsClusterMode())
        {
            builder.UseOrleansClient(client => client.UseFlashSaleClusterClient(configuration).AddDashboard());
            builder.Services.AddFlashSalePayments(configuration);
            return builder;
        }

        builder.AddEmbeddedFlashSaleCluster();
        return builder;
    }
}
