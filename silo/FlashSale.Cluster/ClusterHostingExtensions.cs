using System.Net;
using FlashSale.Lots.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Dashboard;
using StackExchange.Redis;

namespace FlashSale.Cluster;

public static class ClusterHostingExtensions
{
    /// <summary>True when configuration names a Redis server: the engine then runs as a cluster.</summary>
    public static bool IsClusterMode(this IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[FlashSaleClusterOptions.RedisKey]);

    public static string RedisConnectionString(this IConfiguration configuration) =>
        configuration[FlashSaleClusterOptions.RedisKey] ?? throw new InvalidOperationException($"{FlashSaleClusterOptions.RedisKey} is not set.");

    /// <summary>
    /// A silo of the durable cluster: Redis membership, Redis grain storage for carts, orders and
    /// the rest, the Redis lot journal for inventories (group commit unchanged), and failure
    /// detection tuned so a dead silo's grains serve again well within 20 seconds.
    /// </summary>
    public static ISiloBuilder UseFlashSaleCluster(this ISiloBuilder silo, IConfiguration configuration) =>
        silo.UseFlashSaleCluster(configuration, configuration.RedisConnectionString(),
            configuration.GetSection(FlashSaleClusterOptions.Section).Get<FlashSaleClusterOptions>() ?? new FlashSaleClusterOptions());

    /// <summary>
    /// The same silo against a given Redis and cluster settings: the embedded host's cluster of
    /// one uses it with its in-process Redis, so both hosts run one storage code path.
    /// </summary>
    public static ISiloBuilder UseFlashSaleCluster(this ISiloBuilder silo, IConfiguration configuration, string redis, FlashSaleClusterOptions options)
    {
        silo.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redis));
        silo.Services.AddSingleton<ILotJournal, RedisLotJournal>();
        silo.Configure<ClusterOptions>(o =>
        {
            o.ServiceId = options.ServiceId;
            o.ClusterId = options.ClusterId;
        });
        silo.ConfigureEndpoints(IPAddress.Parse(options.AdvertisedAddress), options.SiloPort, options.GatewayPort);
        silo.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
        silo.AddRedisGrainStorage(StorageNames.Default, o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
        silo.UseRedisReminderService(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            // Defaults declare a silo dead after 3 missed 5-second probes plus table propagation
            // (about 15-20 s before its grains answer elsewhere). Two missed 2-second probes, voted
            // by two silos, and a 5-second table refresh bring that to well under 10 s on loopback.
            o.ProbeTimeout = TimeSpan.FromSeconds(2);
            o.NumMissedProbesLimit = 2;
            o.TableRefreshTimeout = TimeSpan.FromSeconds(5);
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(30);
        });
        silo.AddFlashSaleEngine(configuration);
        silo.AddDashboard();
        return silo;
    }

    /// <summary>An API node as an Orleans client of the durable cluster.</summary>
    public static IClientBuilder UseFlashSaleClusterClient(this IClientBuilder client, IConfiguration configuration)
    {
        var redis = configuration.RedisConnectionString();
        var options = configuration.GetSection(FlashSaleClusterOptions.Section).Get<FlashSaleClusterOptions>() ?? new FlashSaleClusterOptions();
        client.Configure<ClusterOptions>(o =>
        {
            o.ServiceId = options.ServiceId;
            o.ClusterId = options.ClusterId;
        });
        client.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
        client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));

        // No request hangs: a call the cluster cannot answer in 10 s fails, and the API answers 503.
        client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
        return client;
    }
}
