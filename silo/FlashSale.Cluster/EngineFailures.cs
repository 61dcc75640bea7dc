using FlashSale.Common;
using FlashSale.Lots.Storage;
using Orleans.Clustering.Redis;
using Orleans.Persistence.Redis;
using Orleans.Reminders.Redis;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Orleans.Storage;
using StackExchange.Redis;

namespace FlashSale.Cluster;

/// <summary>
/// Which failures are the infrastructure's, not the request's: storage lost or slow, no silo
/// reachable, a message that expired before it was placed, a stale activation's write refused.
/// A retry may succeed, so the API answers each with 503 <c>unavailable</c> and <c>Retry-After</c>,
/// never with a 500.
/// </summary>
public static class EngineFailures
{
    /// <summary>True when <paramref name="exception"/>, or one it wraps, is a transient infrastructure failure.</summary>
    public static bool IsTransient(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is EngineUnavailableException
                or LotJournalConflictException
                or RedisException
                or RedisStorageException
                or RedisRemindersException
                or RedisClusteringException
                or InconsistentStateException
                or TimeoutException // RedisTimeoutException and the Orleans response timeout among them
                or OrleansMessageRejectionException // SiloUnavailableException among them
                or ConnectionFailedException
                or GatewayTooBusyException
                or ClientNotAvailableException
                or OperationCanceledException) // "message expired" before placement; a client that left never gets here
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True for StackExchange.Redis's exceptions. Orleans serializes only exceptions of its own, of
    /// <c>System.*</c> and <c>Microsoft.*</c> and those marked <c>[GenerateSerializer]</c>: one of
    /// these crossing a grain boundary would reach the caller as a <c>CodecNotFoundException</c>.
    /// </summary>
    public static bool IsRedisClientFailure(Exception exception) => exception is RedisException or RedisTimeoutException;

    /// <summary>The serializable stand-in for a Redis client failure, naming what did not answer.</summary>
    public static EngineUnavailableException Unavailable(string what, Exception redisFailure) =>
        new($"{what} did not answer ({redisFailure.GetType().Name}: {redisFailure.Message}); the change may not have been recorded, retry.");
}
