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

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_request_refused_by_one_bucket_takes_nothing_from_the_other(bool inRedis)
    {
        using var limiter = Limiter(inRedis ? _redis.ConnectionString : null);
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

    [Fact]
    public async Task Buckets_in_redis_fill_by_the_servers_clock_not_the_nodes()
    {
        // A node whose clock is a day ahead would refill every bucket at once if its time counted.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        using var limiter = new SaleRateLimiter(_redis.ConnectionString, Options, clock, NullLogger<SaleRateLimiter>.Instance);
        var bucket = new[] { new RateBucket(Key(), new BucketSpec(2, 2, TimeSpan.FromMinutes(1))) };
        Assert.True((await limiter.TakeAsync(bucket)).Allowed);
        Assert.True((await limiter.TakeAsync(bucket)).Allowed);

        clock.Advance(TimeSpan.FromDays(1));

        Assert.False((await limiter.TakeAsync(bucket)).Allowed);
        Assert.Equal(0, limiter.FallbackDecisions);
    }

    [Fact]
    public async Task In_process_buckets_refill_by_whole_periods_up_to_their_capacity()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        using var limiter = new SaleRateLimiter(null, Options, clock, NullLogger<SaleRateLimiter>.Instance);
        var bucket = new[] { new RateBucket(Key(), new BucketSpec(3, 2, TimeSpan.FromSeconds(10))) };
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await limiter.TakeAsync(bucket)).Allowed);
        }

        var refused = await limiter.TakeAsync(bucket);
        Assert.Equal((false, TimeSpan.FromSeconds(10)), (refused.Allowed, refused.RetryAfter));

        clock.Advance(TimeSpan.FromSeconds(9.999));
        Assert.Equal(TimeSpan.FromMilliseconds(1), (await limiter.TakeAsync(bucket)).RetryAfter);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, await Allowed(limiter, bucket, 5)); // one period: two tokens

        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(3, await Allowed(limiter, bucket, 5)); // many periods: full, never more
    }

    [Fact]
    public async Task Concurrent_requests_on_shared_buckets_never_take_more_than_the_smallest_allows()
    {
        // Requests on overlapping pairs of buckets, from many threads at once: every bucket gives
        // at most its capacity, and a refused request takes nothing, so the totals are exact.
        using var limiter = Limiter(redis: null);
        var address = new RateBucket(Key(), new BucketSpec(100, 1, TimeSpan.FromHours(1)));
        var callers = Enumerable.Range(0, 8).Select(_ => new RateBucket(Key(), new BucketSpec(20, 1, TimeSpan.FromHours(1)))).ToArray();
        var allowedPerCaller = new int[callers.Length];

        await Parallel.ForAsync(0, 2_000, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            var caller = i % callers.Length;
            if ((await limiter.TakeAsync(i % 2 == 0 ? [address, callers[caller]] : [callers[caller], address])).Allowed)
            {
                Interlocked.Increment(ref allowedPerCaller[caller]);
            }
        });

        // The callers could take 8 × 20 = 160; the address allows 100, and gives exactly that.
        Assert.Equal(100, allowedPerCaller.Sum());
        Assert.Equal(0, await Allowed(limiter, [address], 1));
        for (var caller = 0; caller < callers.Length; caller++)
        {
            // What each caller's bucket has left is exactly what its allowed requests did not take.
            Assert.Equal(20 - allowedPerCaller[caller], await Allowed(limiter, [callers[caller]], 25));
        }
    }

    [Fact]
    public async Task In_process_buckets_that_are_full_again_give_their_memory_back()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        using var limiter = new SaleRateLimiter(null, Options, clock, NullLogger<SaleRateLimiter>.Instance);
        var oncePerSecond = new BucketSpec(1, 1, TimeSpan.FromSeconds(1));
        for (var i = 0; i < 5_000; i++)
        {
            await limiter.TakeAsync([new RateBucket(Key(), oncePerSecond)]); // 5,000 addresses seen once
        }

        Assert.True(limiter.LocalBucketCount >= 5_000 - 4_096, "buckets still refilling are kept");
        clock.Advance(TimeSpan.FromSeconds(1));
        var regular = new RateBucket(Key(), new BucketSpec(10_000, 1, TimeSpan.FromSeconds(1)));
        for (var i = 0; i < 4_096; i++)
        {
            Assert.True((await limiter.TakeAsync([regular])).Allowed);
        }

        Assert.Equal(1, limiter.LocalBucketCount); // the regular caller's, which is still refilling
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

    private static readonly RateLimitOptions Options = new() { RedisTimeout = TimeSpan.FromMilliseconds(500), RedisRetryAfter = TimeSpan.FromMinutes(5) };

    private static SaleRateLimiter Limiter(string? redis) => new(redis, Options, TimeProvider.System, NullLogger<SaleRateLimiter>.Instance);

    private static async Task<int> Allowed(SaleRateLimiter limiter, RateBucket[] buckets, int tries)
    {
        var allowed = 0;
        for (var i = 0; i < tries; i++)
        {
            allowed += (await limiter.TakeAsync(buckets)).Allowed ? 1 : 0;
        }

        return allowed;
    }

    private static string Key() => "test:" + Guid.NewGuid().ToString("N");
}
