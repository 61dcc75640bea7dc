using FlashSale.Testing.Redis;
using StackExchange.Redis;

namespace FlashSale.Cluster.Tests;

/// <summary>
/// The silo's Redis connection against a Redis that is down when it is made: it must not throw (a
/// throw there failed a lot's activation with an exception Orleans cannot send, a 500), and it must
/// connect by itself once Redis is back.
/// </summary>
public sealed class SiloRedisConnectionTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Made_while_Redis_is_down_it_does_not_throw_and_serves_once_Redis_is_back()
    {
        await using var redis = await PrivateRedisServer.StartAsync();
        await redis.Kill();

        await using var connection = await ConnectionMultiplexer.ConnectAsync(SiloRedisConnection.Options(redis.ConnectionString));
        Assert.False(connection.IsConnected);
        var failure = await Record.ExceptionAsync(() => connection.GetDatabase().StringSetAsync("k", "before"));
        Assert.True(EngineFailures.IsRedisClientFailure(failure!), $"a command while Redis is down fails as a Redis client failure, not {failure}");

        var restored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.ConnectionRestored += (_, _) => restored.TrySetResult();
        await redis.Restart();
        await restored.Task.WaitAsync(Bound);

        Assert.True(await connection.GetDatabase().StringSetAsync("k", "after"));
        Assert.Equal("after", await connection.GetDatabase().StringGetAsync("k"));
    }
}
