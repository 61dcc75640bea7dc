using FlashSale.Api.Extensions;
using FlashSale.Live;

namespace FlashSale.Api.Hubs;

public static class LiveStockExtensions
{
    /// <summary>SignalR with the contract's JSON and with MessagePack for thin clients, and this host's feed relay.</summary>
    public static WebApplicationBuilder AddFlashSaleLiveStock(this WebApplicationBuilder builder)
    {
        builder.Services.AddSignalR()
            .AddJsonProtocol(o => ApiExtensions.ConfigureContractJson(o.PayloadSerializerOptions))
            .AddMessagePackProtocol();
        builder.Services.AddOptions<LiveStockOptions>().Bind(builder.Configuration.GetSection(LiveStockOptions.Section));
        builder.Services.AddSingleton<SaleFeedRelay>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SaleFeedRelay>());
        return builder;
    }

    public static WebApplication MapLiveStock(this WebApplication app)
    {
        app.MapHub<SaleHub>(SaleHub.Path);
        return app;
    }
}
