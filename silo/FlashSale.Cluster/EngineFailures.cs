using FlashSale.Common;
using FlashSale.Lots.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Clustering.Redis;
using Orleans.Persistence.Redis;
using Orleans.Reminders.Redis;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Orleans.Storage;
using Pipelines.Sockets.Unofficial;
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
    /// Lets Orleans carry Polly's exceptions between processes. Orleans bounds its own placement
    /// and directory work with Polly, so a grain that cannot be placed in time (every silo
    /// restarting) is rejected with a <c>TimeoutException</c> wrapping Polly's
    /// <c>TimeoutRejectedException</c>; outside the serializer's namespaces that rejection reached
    /// the API as a <c>CodecNotFoundException</c> and was answered 500 instead of 503. Used by every
    /// silo and every client of the cluster.
    /// </summary>
    public static IServiceCollection SerializeRuntimeFailures(this IServiceCollection services) =>
        services.Configure<Orleans.Serialization.ExceptionSerializationOptions>(o => o.SupportedNamespacePrefixes.Add("Polly."));

    /// <summary>
    /// True for StackExchange.Redis's exceptions, thrown or wrapped by another (an
    /// <c>InvalidOperationException</c> from a constructor, say). Orleans serializes only exceptions
    /// of its own, of <c>System.*</c> and <c>Microsoft.*</c> and those marked
    /// <c>[GenerateSerializer]</c>, inner ones included: one of these crossing a grain boundary
    /// would reach the caller as a <c>CodecNotFoundException</c>.
    /// </summary>
    public static bool IsRedisClientFailure(Exception exception) => RedisClientCause(exception) is not null;

    /// <summary>
    /// Awaits <paramref name="call"/>; a Redis client failure in it becomes the serializable
    /// <see cref="Unavailable"/>, so it can cross a grain boundary. Anything else passes unchanged.
    /// </summary>
    public static async Task<T> RedisFailureAsUnavailable<T>(string what, Task<T> call)
    {
        try
        {
            return await call;
        }
        catch (Exception ex) when (IsRedisClientFailure(ex))
        {
            throw Unavailable(what, ex);
        }
    }

    /// <summary>The serializable stand-in for a Redis client failure, naming what did not answer.</summary>
    public static EngineUnavailableException Unavailable(string what, Exception redisFailure)
    {
        var cause = RedisClientCause(redisFailure) ?? redisFailure;
        return new($"{what} did not answer ({cause.GetType().Name}: {cause.Message}); the change may not have been recorded, retry.");
    }

    /// <summary>The Redis client's own exception in <paramref name="exception"/>'s chain, if any.</summary>
    private static Exception? RedisClientCause(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            // The socket layer under the client (Pipelines.Sockets.Unofficial) reports a reset
            // connection to commands in flight with an exception of its own, unwrapped.
            if (e is RedisException or RedisTimeoutException or ConnectionResetException)
            {
                return e;
            }
        }

        return null;
    }
}
