using FlashSale.Cluster;
using Orleans.Dashboard;

namespace FlashSale.Api.Extensions;

public static class EngineHostingExtensions
{
    /// <summary>
    /// Where the engine runs. Without <c>FlashSale:Redis</c>: embedded, one Orleans silo in this
    /// process with localhost clustering and in-memory state, for a demo or a test with nothing
    /// else running. With it: this API node is an Orleans client of the durable cluster (silos run
    /// as <c>silo/FlashSale.Silo</c>), finding them through Redis membership.
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

        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(
                siloPort: configuration.GetValue("Orleans:SiloPort", 11111),
                gatewayPort: configuration.GetValue("Orleans:GatewayPort", 30000),
                serviceId: "flashsale",
                clusterId: "flashsale-embedded");
            silo.AddMemoryGrainStorage(StorageNames.Default);
            silo.UseInMemoryReminderService();
            silo.AddFlashSaleEngine(configuration);
            silo.AddDashboard();
        });
        return builder;
    }
}
