using FlashSale.Api.Edge;
using FlashSale.Api.Extensions;
using FlashSale.Cluster;
using FlashSale.Live;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FlashSale.Api.Hubs;

public static class LiveStockExtensions
{
    /// <summary>
    /// SignalR with the contract's JSON and with MessagePack for thin clients, the Redis backplane
    /// in cluster mode, and this host's feed relay.
    /// </summary>
    public static WebApplicationBuilder AddFlashSaleLiveStock(this WebApplicationBuilder builder)
    {
        // EngineHubFilter logs each failed invocation at its true level; the dispatcher's own
        // line would log a refused WatchLot as an Error with a stack. Its warnings still show.
        builder.Logging.AddFilter(EngineHubFilter.DispatcherLogCategory, level => level >= LogLevel.Warning && level != LogLevel.Error);
        var signalR = builder.Services.AddSignalR(o =>
        {
            o.AddFilter<RateLimitHubFilter>(); // first: a refused call does nothing
            o.AddFilter<EngineHubFilter>();
        })
            .AddJsonProtocol(o => ApiExtensions.ConfigureContractJson(o.PayloadSerializerOptions))
            .AddMessagePackProtocol();
        if (builder.Configuration.IsClusterMode())
        {
            // The feed hands each update to one API node; the backplane carries its group send to
            // the watchers connected to every other node.
            signalR.AddStackExchangeRedis(builder.Configuration.RedisConnectionString(),
                o => o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal("flashsale"));
        }
        builder.Services.AddOptions<LiveStockOptions>().Bind(builder.Configuration.GetSection(LiveStockOptions.Section)).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LiveStockOptions>, LiveStockOptionsValidation>());
        var clusterMode = builder.Configuration.IsClusterMode();
        builder.Services.AddOptions<EdgeOptions>().Bind(builder.Configuration.GetSection(EdgeOptions.Section))
            .PostConfigure(o => o.Enabled ??= !clusterMode).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ILotEdgeSource, GrainLotEdgeSource>();
        builder.Services.AddSingleton<LotEdgeCache>();
        builder.Services.AddSingleton<Catalog.LotCatalogView>();
        builder.Services.AddSingleton<SaleFeedRelay>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SaleFeedRelay>());
        return builder;
    }

    public static WebApplication MapLiveStock(this WebApplication app)
    {
        app.MapHub<SaleHub>(SaleHub.Path).DisableRequestTimeout(); // a connection lives for the whole visit
        return app;
    }
}
