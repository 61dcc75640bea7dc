using FlashSale.Common;
using StackExchange.Redis;

namespace FlashSale.Cluster.Tests;

/// <summary>Which failures are the infrastructure's, and how a Redis client failure is made fit to cross a grain boundary.</summary>
public sealed class EngineFailuresTests
{
    private static readonly RedisConnectionException RedisDown =
        new(ConnectionFailureType.UnableToConnect, "It was not possible to connect to the redis server(s).");

    [Fact]
    public void A_Redis_failure_wrapped_by_another_exception_is_still_one()
    {
        Assert.True(EngineFailures.IsRedisClientFailure(RedisDown));
        Assert.True(EngineFailures.IsRedisClientFailure(new InvalidOperationException("Failed to create an instance of grain type 'ProduceLotGrain'.", RedisDown)));
        Assert.True(EngineFailures.IsRedisClientFailure(new RedisTimeoutException("timed out", CommandStatus.Sent)));
        Assert.True(EngineFailures.IsRedisClientFailure(new Pipelines.Sockets.Unofficial.ConnectionResetException("Connection reset by peer")));
        Assert.False(EngineFailures.IsRedisClientFailure(new InvalidOperationException("a bug", new ArgumentException("no Redis here"))));
    }

    [Fact]
    public async Task A_Redis_failure_becomes_the_serializable_unavailable_one_naming_what_failed()
    {
        var thrown = await Assert.ThrowsAsync<EngineUnavailableException>(() =>
            EngineFailures.RedisFailureAsUnavailable("The live backplane", Task.FromException<long>(new InvalidOperationException("send failed", RedisDown))));

        Assert.StartsWith("The live backplane did not answer (RedisConnectionException: It was not possible", thrown.Message, StringComparison.Ordinal);
        Assert.True(EngineFailures.IsTransient(thrown));
    }

    [Fact]
    public void An_Orleans_placement_timeout_crosses_between_processes_and_is_transient()
    {
        // What a silo sends when a grain cannot be placed in time (seen when every silo restarts).
        var rejection = new TimeoutException("Grain placement operation timed out.", new Polly.Timeout.TimeoutRejectedException("The operation didn't complete within the allowed timeout of '00:00:30'."));

        var crossed = RoundTrip(rejection, serializeRuntimeFailures: true);

        Assert.IsType<Polly.Timeout.TimeoutRejectedException>(Assert.IsType<TimeoutException>(crossed).InnerException);
        Assert.True(EngineFailures.IsTransient(crossed));
        Assert.Throws<Orleans.Serialization.CodecNotFoundException>(() => RoundTrip(rejection, serializeRuntimeFailures: false)); // what the API met before
    }

    private static Exception RoundTrip(Exception exception, bool serializeRuntimeFailures)
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        Orleans.Serialization.ServiceCollectionExtensions.AddSerializer(services);
        if (serializeRuntimeFailures)
        {
            services.SerializeRuntimeFailures();
        }

        using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);
        var serializer = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Orleans.Serialization.Serializer>(provider);
        return serializer.Deserialize<Exception>(serializer.SerializeToArray<Exception>(exception))!;
    }

    [Fact]
    public async Task Any_other_failure_passes_unchanged()
    {
        var bug = new InvalidOperationException("a bug");

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => EngineFailures.RedisFailureAsUnavailable("The live backplane", Task.FromException<long>(bug)));

        Assert.Same(bug, thrown);
        Assert.False(EngineFailures.IsTransient(bug));
    }
}
