namespace FlashSale.Api.Extensions;

public static class EngineHostingExtensions
{
    /// <summary>
    /// The embedded engine: one Orleans silo in this process with localhost clustering and
    /// in-memory state. It serves a demo or a test with nothing else running; the durable cluster
    /// replaces both the clustering and the storage.
    /// </summary>
    public static WebApplicationBuilder AddFlashSaleEngine(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(
                siloPort: configuration.GetValue("Orleans:SiloPort", 11111),
                gatewayPort: configuration.GetValue("Orleans:GatewayPort", 30000),
                serviceId: "flashsale",
                clusterId: "flashsale-embedded");
            silo.AddMemoryGrainStorage(StorageNames.Default);
            silo.AddFlashSaleEngine(configuration);
        });
        return builder;
    }
}
