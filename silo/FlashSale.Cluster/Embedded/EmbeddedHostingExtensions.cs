using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace FlashSale.Cluster.Embedded;

public static class EmbeddedHostingExtensions
{
    public const string SiloPortKey = "Orleans:SiloPort";
    public const string GatewayPortKey = "Orleans:GatewayPort";

    /// <summary>The embedded cluster's id; its membership rows are this process's alone (the data folder's lock says so).</summary>
    public const string EmbeddedClusterId = "flashsale-embedded";

    /// <summary>
    /// The embedded host: a cluster of one, with its Redis (Garnet) inside this process. The silo
    /// is the cluster's silo (<see cref="ClusterHostingExtensions.UseFlashSaleCluster(ISiloBuilder, IConfiguration)"/>):
    /// Redis membership, grain storage, reminders and lot journal, pointed at the in-process
    /// server. Throws <see cref="StartupRefusedException"/> when the data folder is in use or a
    /// configured port is taken; ports not configured are free ones chosen now.
    /// </summary>
    public static EmbeddedRedisServer AddEmbeddedFlashSaleCluster(this IHostApplicationBuilder builder, Action<ISiloBuilder>? configureSilo = null)
    {
        var configuration = builder.Configuration;
        var data = configuration.GetSection(DataFolderOptions.Section).Get<DataFolderOptions>() ?? new DataFolderOptions();
        var siloPort = PortToUse(configuration, SiloPortKey, "silo");
        var gatewayPort = PortToUse(configuration, GatewayPortKey, "gateway");
        var redis = EmbeddedRedisServer.Start(data);
        var cluster = configuration.GetSection(FlashSaleClusterOptions.Section).Get<FlashSaleClusterOptions>() ?? new FlashSaleClusterOptions();
        cluster.ClusterId = EmbeddedClusterId;
        cluster.AdvertisedAddress = IPAddress.Loopback.ToString();
        cluster.SiloPort = siloPort;
        cluster.GatewayPort = gatewayPort;
        try
        {
            ForgetPreviousMembership(redis, cluster);
        }
        catch
        {
            redis.Dispose();
            throw;
        }

        // Registered before the silo, so it stops after it: the silo's last writes reach the store.
        builder.Services.AddSingleton(redis);
        builder.Services.AddSingleton(data);
        builder.Services.AddHostedService<EmbeddedStoreLifetime>();
        builder.UseOrleans(silo =>
        {
            silo.UseFlashSaleCluster(configuration, redis.ConnectionString, cluster);
            configureSilo?.Invoke(silo);
        });
        return redis;
    }

    /// <summary>
    /// The last run's silo is still listed as alive in the stored membership table after a crash;
    /// a new silo would wait to vote it dead. This process holds the data folder, so no other
    /// member can be alive: the table starts empty.
    /// </summary>
    private static void ForgetPreviousMembership(EmbeddedRedisServer redis, FlashSaleClusterOptions cluster)
    {
        // The server started a moment ago in this process. On a machine busy starting other things
        // its first answer can take longer than a client's default 5 s connect, which then failed
        // the start outright ("not possible to connect", seen in the API suite): this client keeps
        // trying, and its one command waits for the connection, for up to 30 s.
        var options = ConfigurationOptions.Parse(redis.ConnectionString);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 30_000;
        options.SyncTimeout = 30_000;
        using var connection = ConnectionMultiplexer.Connect(options);
        connection.GetDatabase().KeyDelete($"{cluster.ServiceId}/members/{cluster.ClusterId}");
    }

    private static int PortToUse(IConfiguration configuration, string key, string what)
    {
        var configured = configuration.GetValue(key, 0);
        if (configured == 0)
        {
            // Bound by the silo a moment later: a port no outgoing connection can take meanwhile.
            return LoopbackPorts.Unused();
        }

        if (!LoopbackPorts.IsFree(configured))
        {
            throw new StartupRefusedException(
                $"The embedded silo's {what} port {configured.ToString(CultureInfo.InvariantCulture)} ({key}) is in use; free it, or leave {key} unset to take a free port.");
        }

        return configured;
    }
}
