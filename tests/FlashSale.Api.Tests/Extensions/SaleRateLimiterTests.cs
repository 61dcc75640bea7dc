using System.Net.Sockets;
using FlashSale.Api.Extensions;
using FlashSale.Cluster.Embedded;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace FlashSale.Api.Tests.Extensions;

/// <summary>
/// The limiter itself, against a real Redis-protocol server (an in-memory Garnet, as the embedded
/// host runs): limiters of different API nodes over one Redis share each budget; a request takes
/// a token from all its buckets or from none; and a Redis that does not answer leaves each node
/// deciding with its own buckets, never failing the request.
/// </summary>
public sealed class SaleRateLimiterTests : IDisposable
{
    private static readonly BucketSpec FivePerMinute = new(5, 5, TimeSpan.FromMinutes(1));

    private readonly EmbeddedRedisServer _redis = EmbeddedRedisServer.Start(new DataFolderOptions { InMemory = true });

    public void Dispose() => _redis.Dispose();

    [Fact]
    public async Task Two_nodes_over_one_redis_share_one_budget()
    {
        using var first = Limiter(_redis.ConnectionString);
        using var second = Limiter(_redis.ConnectionString);
        var bucket = new[] { new RateBucket(Key(), FivePerMinute) };

        var answers = new List<bool>();
        for (var i = 0; i < 8; i++)
        {
            answers.Add((await (i % 2 == 0 ? first : second).TakeAsync(bucket)).Allowed);
        }

        Assert.Equal(new[] { true, true, true, true, true, false, false, false }, answers);
        var refused = await second.TakeAsync(bucket);
        Assert.InRange(refused.RetryAfter, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1));
        Assert.Equal(0, first.FallbackDecisions + second.FallbackDecisions);
    }

    [Fact]
    public async Task Each_node_alone_would_have_allowed_the_whole_budget_again()
    {
        // The contrast: in-process buckets, one per node, let two nodes allow twice the budget.
        using var first = Limiter(redis: null);
        using var second = Limiter(redis: null);
        var bucket = new[] { new RateBucket(Key(), FivePerMinute) };

        var allowed = 0;
        for (var i = 0; i < 12; i++)
        {
            allowed += (await (i % 2 == 0 ? first : second).TakeAsync(bucket)).Allowed ? 1 : 0;
        }

        Assert.Equal(10, allowed);
    }

    [Fact]
    public async Task A_request_refused_by_one_bucket_takes_nothing_from_the_other()
    {
        using var limiter = Limiter(_redis.ConnectionString);
        var address = new RateBucket(Key(), FivePerMinute);
        var caller = new RateBucket(Key(), new BucketSpec(2, 2, TimeSpan.FromMinutes(1)));

        Assert.True((await limiter.TakeAsync([address, caller])).Allowed);
        Assert.True((await limiter.TakeAsync([address, caller])).Allowed);
        Assert.False((await limiter.TakeAsync([address, caller])).Allowed);

        // The address bucket gave two tokens, not three: three are left for the address's other callers.
        var fromAddress = 0;
        while (fromAddress < 10 && (await limiter.TakeAsync([address])).Allowed)
        {
            fromAddress++;
        }

        Assert.Equal(3, fromAddress);
    }

    /// <summary>Fail-open to the node's own buckets: no request fails because Redis is gone, and the node's own budget still holds.</summary>
    [Fact]
    public async Task A_redis_that_does_not_answer_leaves_the_node_deciding_with_its_own_buckets()
    {
        using var limiter = Limiter($"127.0.0.1:{LoopbackPorts.Unused()}");
        var bucket = new[] { new RateBucket(Key(), FivePerMinute) };

        var answers = new List<RateVerdict>();
        for (var i = 0; i < 7; i++)
        {
            answers.Add(await limiter.TakeAsync(bucket));
        }

        Assert.Equal(5, answers.Count(a => a.Allowed));
        Assert.All(answers.Where(a => !a.Allowed), a => Assert.True(a.RetryAfter > TimeSpan.Zero));
        Assert.Equal(7, limiter.FallbackDecisions);
    }

    [Fact]
    public async Task A_redis_that_stops_answering_mid_way_is_left_for_the_nodes_own_buckets()
    {
        var redis = EmbeddedRedisServer.Start(new DataFolderOptions { InMemory = true });
        using var limiter = Limiter(redis.ConnectionString);
        var bucket = new[] { new RateBucket(Key(), FivePerMinute) };
        Assert.True((await limiter.TakeAsync(bucket)).Allowed);
        Assert.Equal(0, limiter.FallbackDecisions);

        redis.Dispose();
        var after = new List<bool>();
        for (var i = 0; i < 6; i++)
        {
            after.Add((await limiter.TakeAsync(bucket)).Allowed);
        }

        Assert.True(limiter.FallbackDecisions > 0);
        Assert.Equal(new[] { true, true, true, true, true, false }, after); // the node's own bucket starts full
    }

    public static TheoryData<Exception> RedisGone() =>
    [
        new RedisConnectionException(ConnectionFailureType.SocketFailure, "SocketFailure on EVAL"),
        new RedisTimeoutException("Timeout awaiting response", CommandStatus.Sent),
        new InvalidOperationException("No connection is available"),
        // A command in flight when Redis was killed: the socket layer's exception, unwrapped (a 500 once).
        new Pipelines.Sockets.Unofficial.ConnectionResetException("Connection reset by peer"),
        new SocketException((int)SocketError.ConnectionReset),
    ];

    [Theory]
    [MemberData(nameof(RedisGone))]
    public void Every_way_the_client_reports_a_lost_redis_leaves_the_node_to_its_own_buckets(Exception failure) =>
        Assert.True(SaleRateLimiter.IsRedisDown(failure));

    [Fact]
    public void A_defect_is_not_taken_for_a_lost_redis() =>
        Assert.False(SaleRateLimiter.IsRedisDown(new ArgumentOutOfRangeException("buckets")));

    private static SaleRateLimiter Limiter(string? redis) =>
        new(redis, new RateLimitOptions { RedisTimeout = TimeSpan.FromMilliseconds(500), RedisRetryAfter = TimeSpan.FromMinutes(5) }, TimeProvider.System, NullLogger<SaleRateLimiter>.Instance);

    private static string Key() => "test:" + Guid.NewGuid().ToString("N");
}
