using System.Net.Sockets;
using System.Threading.RateLimiting;
using FlashSale.Cluster;
using StackExchange.Redis;

namespace FlashSale.Api.Extensions;

/// <summary>How a bucket fills: <see cref="Capacity"/> tokens at most, <see cref="PerPeriod"/> more every <see cref="Period"/>.</summary>
public readonly record struct BucketSpec(int Capacity, int PerPeriod, TimeSpan Period);

/// <summary>One bucket a request takes a token from, by its key (<c>holds:user:shp_...</c>, <c>auth:address:10.0.0.7</c>).</summary>
public readonly record struct RateBucket(string Key, BucketSpec Spec);

/// <summary>Whether a request may go on and, if not, how long until it could.</summary>
public readonly record struct RateVerdict(bool Allowed, TimeSpan RetryAfter)
{
    public static RateVerdict Allow { get; } = new(true, TimeSpan.Zero);
}

/// <summary>
/// Token buckets, in Redis when the host has one (so every API node shares one budget per key),
/// otherwise in this process. A request takes one token from each of its buckets or from none.
/// <para>
/// Fail-open to the node's own buckets: when Redis does not answer within
/// <see cref="RateLimitOptions.RedisTimeout"/> (or the connection is down), this node decides
/// with in-process buckets of the same sizes, and keeps doing so for
/// <see cref="RateLimitOptions.RedisRetryAfter"/> before asking Redis again. A Redis failure so
/// never turns into 5xx answers, nor into no limit at all: for its duration a cluster of N nodes
/// allows at most N times the budget. See docs/security.md, "Rate limits".
/// </para>
/// </summary>
public sealed partial class SaleRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<RateBucket> _local = PartitionedRateLimiter.Create<RateBucket, string>(
        bucket => RateLimitPartition.GetTokenBucketLimiter(bucket.Key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = bucket.Spec.Capacity,
            TokensPerPeriod = bucket.Spec.PerPeriod,
            ReplenishmentPeriod = bucket.Spec.Period,
            QueueLimit = 0,
            AutoReplenishment = true,
        }),
        StringComparer.Ordinal);

    private readonly RedisBuckets? _redis;
    private readonly TimeProvider _time;
    private readonly TimeSpan _retryRedisAfter;
    private readonly ILogger<SaleRateLimiter> _logger;
    private long _redisPausedUntilTicks;
    private long _fallbacks;

    public SaleRateLimiter(string? redis, RateLimitOptions options, TimeProvider time, ILogger<SaleRateLimiter> logger)
    {
        _redis = redis is null ? null : new RedisBuckets(redis, options.RedisTimeout);
        _time = time;
        _retryRedisAfter = options.RedisRetryAfter;
        _logger = logger;
    }

    /// <summary>True when the buckets live in Redis, shared with every node that uses the same one.</summary>
    public bool Shared => _redis is not null;

    /// <summary>How many times a Redis failure made this node decide with its own buckets.</summary>
    public long FallbackDecisions => Interlocked.Read(ref _fallbacks);

    public async ValueTask<RateVerdict> TakeAsync(IReadOnlyList<RateBucket> buckets)
    {
        if (buckets.Count == 0)
        {
            return RateVerdict.Allow;
        }

        var now = _time.GetUtcNow();
        if (_redis is null)
        {
            return TakeLocal(buckets);
        }

        if (now.UtcTicks < Interlocked.Read(ref _redisPausedUntilTicks))
        {
            Interlocked.Increment(ref _fallbacks);
            return TakeLocal(buckets);
        }

        try
        {
            return await _redis.TakeAsync(buckets, now);
        }
        catch (Exception ex) when (IsRedisDown(ex))
        {
            var until = (now + _retryRedisAfter).UtcTicks;
            if (Interlocked.Exchange(ref _redisPausedUntilTicks, until) < now.UtcTicks)
            {
                LogRedisFailed(ex.GetType().Name, ex.Message, (int)_retryRedisAfter.TotalSeconds);
            }

            Interlocked.Increment(ref _fallbacks);
            return TakeLocal(buckets);
        }
    }

    /// <summary>
    /// How the Redis client says the store is gone: its own exceptions, a timeout, a multiplexer
    /// with no connection (<c>InvalidOperationException</c>), and, for a command in flight when the
    /// socket is reset, the socket layer's own <c>IOException</c> or <c>SocketException</c>
    /// unwrapped (a fault run's Redis kill surfaced <c>ConnectionResetException</c> so, as a 500).
    /// </summary>
    public static bool IsRedisDown(Exception exception) =>
        EngineFailures.IsRedisClientFailure(exception) || exception is TimeoutException or InvalidOperationException or IOException or SocketException;

    private RateVerdict TakeLocal(IReadOnlyList<RateBucket> buckets)
    {
        foreach (var bucket in buckets)
        {
            using var lease = _local.AttemptAcquire(bucket);
            if (!lease.IsAcquired)
            {
                return new RateVerdict(false, lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : bucket.Spec.Period);
            }
        }

        return RateVerdict.Allow;
    }

    public void Dispose()
    {
        _local.Dispose();
        _redis?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rate limits: Redis did not answer ({ExceptionType}: {Reason}); this node uses its own buckets for {Seconds} s")]
    private partial void LogRedisFailed(string exceptionType, string reason, int seconds);

    /// <summary>The buckets in Redis: one script checks every bucket of a request and takes a token from each, or from none.</summary>
    private sealed class RedisBuckets : IDisposable
    {
        // Hash per bucket: n = tokens left, t = when the current period began (Unix ms). Periods
        // that passed since t each add PerPeriod tokens, up to the capacity; the key expires once
        // it would be full again anyway. A refusal writes nothing and says when the next period begins.
        private const string Script = """
            local now = tonumber(ARGV[1])
            local left = {}
            local began = {}
            local wait = -1
            for i = 1, #KEYS do
              local cap = tonumber(ARGV[3 * i - 1])
              local per = tonumber(ARGV[3 * i])
              local period = tonumber(ARGV[3 * i + 1])
              local saved = redis.call('HMGET', KEYS[i], 'n', 't')
              local n = cap
              local t = now
              if saved[1] and saved[2] then
                n = tonumber(saved[1])
                t = tonumber(saved[2])
              end
              if now > t then
                local steps = math.floor((now - t) / period)
                if steps > 0 then
                  n = math.min(cap, n + steps * per)
                  t = t + steps * period
                end
              end
              left[i] = n
              began[i] = t
              if n < 1 then
                local w = t + period - now
                if w < 1 then w = 1 end
                if w > wait then wait = w end
              end
            end
            if wait >= 0 then
              return {0, wait}
            end
            for i = 1, #KEYS do
              local cap = tonumber(ARGV[3 * i - 1])
              local per = tonumber(ARGV[3 * i])
              local period = tonumber(ARGV[3 * i + 1])
              redis.call('HSET', KEYS[i], 'n', left[i] - 1, 't', began[i])
              redis.call('PEXPIRE', KEYS[i], (math.ceil(cap / per) + 1) * period)
            end
            return {1, 0}
            """;

        private const string KeyPrefix = "flashsale:rate:";

        private readonly Lazy<Task<ConnectionMultiplexer>> _connection;

        public RedisBuckets(string connectionString, TimeSpan timeout)
        {
            var options = ConfigurationOptions.Parse(connectionString);
            options.AbortOnConnectFail = false; // a Redis that is down at start is asked again later
            options.AsyncTimeout = Math.Max(1, (int)timeout.TotalMilliseconds);
            options.SyncTimeout = options.AsyncTimeout;
            options.ConnectTimeout = Math.Max(options.AsyncTimeout, 1000);
            options.ClientName = "flashsale-rate-limits";
            _connection = new Lazy<Task<ConnectionMultiplexer>>(() => ConnectionMultiplexer.ConnectAsync(options));
        }

        public async Task<RateVerdict> TakeAsync(IReadOnlyList<RateBucket> buckets, DateTimeOffset now)
        {
            var connection = await _connection.Value;
            var keys = new RedisKey[buckets.Count];
            var args = new RedisValue[1 + (3 * buckets.Count)];
            args[0] = now.ToUnixTimeMilliseconds();
            for (var i = 0; i < buckets.Count; i++)
            {
                var spec = buckets[i].Spec;
                keys[i] = KeyPrefix + buckets[i].Key;
                args[1 + (3 * i)] = spec.Capacity;
                args[2 + (3 * i)] = spec.PerPeriod;
                args[3 + (3 * i)] = (long)spec.Period.TotalMilliseconds;
            }

            var result = (RedisResult[])(await connection.GetDatabase().ScriptEvaluateAsync(Script, keys, args))!;
            return (long)result[0] == 1 ? RateVerdict.Allow : new RateVerdict(false, TimeSpan.FromMilliseconds((long)result[1]));
        }

        public void Dispose()
        {
            if (_connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully)
            {
                _connection.Value.Result.Dispose();
            }
        }
    }
}
