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
            EngineFailures.RedisFailureAsUnavailable("The live backplane", Task.FromException(new InvalidOperationException("send failed", RedisDown))));

        Assert.StartsWith("The live backplane did not answer (RedisConnectionException: It was not possible", thrown.Message, StringComparison.Ordinal);
        Assert.True(EngineFailures.IsTransient(thrown));
    }

    [Fact]
    public async Task Any_other_failure_passes_unchanged()
    {
        var bug = new InvalidOperationException("a bug");

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => EngineFailures.RedisFailureAsUnavailable("The live backplane", Task.FromException(bug)));

        Assert.Same(bug, thrown);
        Assert.False(EngineFailures.IsTransient(bug));
    }
}
