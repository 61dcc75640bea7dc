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
    /// SignalR with the contract's JSON and with MessagePack for thin clients, and this host's
    /// feed relay. No backplane, in a cluster either: every silo's relay hands every batch to
    /// every API host, which sends it to its own connections (docs/architecture.md, "Live
    /// stock"), so a backplane would deliver each message once per host.
    /// </summary>
    public static WebApplicationBuilder AddFlashSaleLiveStock(this WebApplicationBuilder builder)
    {
        // EngineHubFilter logs each failed invocation at its true level; the dispatcher's own
        // line would log a refused WatchLot as an Error with a stack. Its warnings still show.
        builder.Logging.AddFilter(EngineHubFilter.DispatcherLogCategory, level => level >= LogLevel.Warning && level != LogLevel.Error);
        builder.Services.AddSignalR(o =>
        {
            o.AddFilter<RateLimitHubFilter>(); // first: a refused call does nothing
            o.AddFilter<EngineHubFilter>();
        })
            .AddJsonProtocol(o => ApiExtensions.ConfigureContractJson(o.PayloadSerializerOptions))
            .AddMessagePackProtocol();
        builder.Services.AddOptions<LiveStockOptions>().Bind(builder.Configuration.GetSection(LiveStockOptions.Section)).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LiveStockOptions>, LiveStockOptionsValidation>());
        var clusterMode = builder.Configuration.IsClusterMode();
        builder.Services.AddOptions<EdgeOptions>().Bind(builder.Configuration.GetSection(EdgeOptions.Section))
            .PostConfigure(o => o.Enabled ??= !clusterMode).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ILotEdgeSource, GrainLotEdgeSource>();
        builder.Services.AddSingleton<LotEdgeCache>();
        builder.Services.AddSingleton<Catalog.LotCatalogView>();
        builder.Services.AddSingleton(new SaleFeedRelay.Joining(WaitForRelays: clusterMode));
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
