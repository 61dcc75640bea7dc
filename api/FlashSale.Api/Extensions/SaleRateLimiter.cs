using System.Collections.Concurrent;
using System.Net.Sockets;
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
/// otherwise in this process. A request takes one token from each of its buckets or from none, in
/// Redis and in process alike, and both fill a bucket the same way: whole periods since the
/// current one began each add their tokens, up to the capacity.
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
    private readonly LocalBuckets _local = new();

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
            return await _redis.TakeAsync(buckets);
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

    private RateVerdict TakeLocal(IReadOnlyList<RateBucket> buckets) => _local.Take(buckets, _time.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>How many buckets this process keeps; one that is full again is dropped now and then.</summary>
    public int LocalBucketCount => _local.Count;

    public void Dispose() => _redis?.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rate limits: Redis did not answer ({ExceptionType}: {Reason}); this node uses its own buckets for {Seconds} s")]
    private partial void LogRedisFailed(string exceptionType, string reason, int seconds);

    /// <summary>The buckets in Redis: one script checks every bucket of a request and takes a token from each, or from none.</summary>
    private sealed class RedisBuckets : IDisposable
    {
        // Hash per bucket: n = tokens left, t = when the current period began (Unix ms). Periods
        // that passed since t each add PerPeriod tokens, up to the capacity; the key expires once
        // it would be full again anyway. A refusal writes nothing and says when the next period begins.
        // Time is the Redis server's, one clock for every API node: a node whose clock is off can
        // neither refill a bucket early nor hold it empty.
        private const string Script = """
            local clock = redis.call('TIME')
            local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
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

        // One hash tag for every bucket: a script may only touch keys of one slot on a Redis
        // Cluster, and a request's buckets (its caller's, its address's) share nothing else. All
        // buckets then live on one shard, which answers the limiter's one small script per request.
        private const string KeyPrefix = "flashsale:{rate}:";

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

        public async Task<RateVerdict> TakeAsync(IReadOnlyList<RateBucket> buckets)
        {
            var connection = await _connection.Value;
            var keys = new RedisKey[buckets.Count];
            var args = new RedisValue[1 + (3 * buckets.Count)];
            args[0] = 0; // unused: the script reads the server's clock, and keeps its argument layout
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
    /// <summary>
    /// The buckets of this process, filled as the Redis script fills them. A request locks its
    /// buckets in key order (so two requests never wait on each other in a cycle), checks them all,
    /// and takes from all or none. A bucket that would be full again is dropped now and then, so an
    /// address or a caller seen once costs no memory for long; a request that finds its bucket
    /// dropped under it starts again on the new one.
    /// </summary>
    private sealed class LocalBuckets
    {
        private const int SweepEvery = 4096;
        private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
        private long _taken;

        public int Count => _buckets.Count;

        public RateVerdict Take(IReadOnlyList<RateBucket> requested, long nowMs)
        {
            if (Interlocked.Increment(ref _taken) % SweepEvery == 0)
            {
                Sweep(nowMs);
            }

            var ordered = requested.OrderBy(b => b.Key, StringComparer.Ordinal).ToArray();
            while (true)
            {
                var buckets = Array.ConvertAll(ordered, b => _buckets.GetOrAdd(b.Key, static (_, spec) => new Bucket(spec), b.Spec));
                var locked = 0;
                try
                {
                    for (; locked < buckets.Length; locked++)
                    {
                        Monitor.Enter(buckets[locked]);
                    }

                    if (buckets.Any(b => b.Dropped))
                    {
                        continue;
                    }

                    var waitMs = -1L;
                    foreach (var bucket in buckets)
                    {
                        bucket.Refill(nowMs);
                        if (bucket.Tokens < 1)
                        {
                            waitMs = Math.Max(waitMs, Math.Max(1, bucket.PeriodBeganMs + (long)bucket.Spec.Period.TotalMilliseconds - nowMs));
                        }
                    }

                    if (waitMs >= 0)
                    {
                        return new RateVerdict(false, TimeSpan.FromMilliseconds(waitMs));
                    }

                    foreach (var bucket in buckets)
                    {
                        bucket.Tokens--;
                    }

                    return RateVerdict.Allow;
                }
                finally
                {
                    for (var i = locked - 1; i >= 0; i--)
                    {
                        Monitor.Exit(buckets[i]);
                    }
                }
            }
        }

        private void Sweep(long nowMs)
        {
            foreach (var (key, bucket) in _buckets)
            {
                lock (bucket)
                {
                    bucket.Refill(nowMs);
                    if (bucket.Tokens >= bucket.Spec.Capacity)
                    {
                        bucket.Dropped = true;
                        _buckets.TryRemove(new KeyValuePair<string, Bucket>(key, bucket));
                    }
                }
            }
        }

        private sealed class Bucket(BucketSpec spec)
        {
            public BucketSpec Spec { get; } = spec;

            public long Tokens { get; set; } = spec.Capacity;

            /// <summary>When the current period began, Unix ms; a new bucket's begins at its first refill.</summary>
            public long PeriodBeganMs { get; private set; } = -1;

            public bool Dropped { get; set; }

            public void Refill(long nowMs)
            {
                var period = (long)Spec.Period.TotalMilliseconds;
                if (PeriodBeganMs < 0)
                {
                    PeriodBeganMs = nowMs;
                    return;
                }

                var periods = (nowMs - PeriodBeganMs) / period;
                if (periods > 0)
                {
                    Tokens = Math.Min(Spec.Capacity, Tokens + (periods * Spec.PerPeriod));
                    PeriodBeganMs += periods * period;
                }
            }
        }
    }
}
