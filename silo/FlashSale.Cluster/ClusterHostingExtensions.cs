using System.Net;
using FlashSale.Lots.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
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
        SiloRedisConnection.Register(silo.Services, redis);
        silo.Services.SerializeRuntimeFailures();
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
            // Defaults declare a silo dead after 3 missed 5-second probes, voted by two silos
            // (15-20 s in which its grains answer nobody). A silo that stops answering (SIGSTOP, a
            // long stall) is declared dead here after two missed 1.5-second probes: about 3-4.5 s
            // from its last answer, then gossip tells the others at once. A false positive needs two
            // silos to each miss two probes in a row, 3 s of silence, and Orleans guards against the
            // usual cause, a starved machine: a probe also goes indirectly through a third silo
            // (EnableIndirectProbes) and a monitor that is itself lagging extends its own timeout
            // (ExtendProbeTimeoutDuringDegradation). See docs/architecture.md for the measurements.
            o.ProbeTimeout = TimeSpan.FromSeconds(1.5);
            o.NumMissedProbesLimit = 2;
            o.NumVotesForDeathDeclaration = 2;
            o.EnableIndirectProbes = true;
            o.ExtendProbeTimeoutDuringDegradation = true;

            // Orleans 10 spares a silo any death vote while a message from it arrived within
            // MaxProbeTimeout (4 × ProbeTimeout) × NumMissedProbesLimit, 12 s here: a silo paused
            // mid-surge has just sent messages, so the fault suite's 8-second SIGSTOP of a lot's
            // silo was never declared dead and the lot answered nobody for all 8 s. Off, a failed
            // direct probe and a failed indirect one (through a healthy third silo) declare it dead.
            o.EnableConnectionLivenessCheck = options.ConnectionLivenessCheck;
            o.TableRefreshTimeout = TimeSpan.FromSeconds(5);
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(30);
        });
        silo.AddIncomingGrainCallFilter<RedisFailureFilter>();
        silo.AddFlashSaleEngine(configuration);
        silo.AddFlashSaleDashboard(configuration);
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
        client.Services.SerializeRuntimeFailures();
        // A gateway declared dead leaves the client's list within a second.
        client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1));

        // No request hangs: a call the cluster cannot answer within the engine's bound fails, and
        // the API answers 503 (the request's own deadline, EngineDeadline, is the same bound).
        var engine = configuration.GetSection(EngineCallOptions.Section).Get<EngineCallOptions>() ?? new EngineCallOptions();
        client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = engine.CallTimeout);
        return client;
    }
}
