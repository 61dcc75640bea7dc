using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using StackExchange.Redis;

namespace FlashSale.Cluster;

/// <summary>
/// The silo's own connection to Redis, the one the lot journal writes through. It is made while the
/// silo starts, not when the first lot activates on it, and it never throws for a Redis that is
/// down: it keeps trying in the background and each command fails on its own until Redis is back.
/// Made lazily with the client's defaults, a silo whose first lot arrived during a Redis outage
/// threw "not possible to connect" from the lot grain's constructor; Orleans cannot send that
/// exception to the caller (a <c>CodecNotFoundException</c>), so the shopper saw a 500 where the
/// outage deserved a 503.
/// </summary>
internal sealed class SiloRedisConnection(IServiceProvider services) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>The client settings the silo's connection uses.</summary>
    public static ConfigurationOptions Options(string redis)
    {
        var options = ConfigurationOptions.Parse(redis);
        options.AbortOnConnectFail = false;
        return options;
    }

    public static void Register(IServiceCollection services, string redis)
    {
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(Options(redis)));
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SiloRedisConnection>();
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SiloRedisConnection), ServiceLifecycleStage.RuntimeInitialize, _ =>
        {
            services.GetRequiredService<IConnectionMultiplexer>();
            return Task.CompletedTask;
        });
}
