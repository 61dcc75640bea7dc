using Microsoft.Extensions.Logging;

namespace FlashSale.Cluster;

/// <summary>
/// On every silo of the cluster: a StackExchange.Redis exception thrown by a grain call (from a
/// reminder table or any other Redis client under a grain) is logged here, with its cause, and
/// replaced by the serializable <see cref="Common.EngineUnavailableException"/> before it crosses
/// to the caller. Orleans cannot serialize the Redis client's exceptions.
/// </summary>
internal sealed partial class RedisFailureFilter(ILogger<RedisFailureFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception ex) when (EngineFailures.IsRedisClientFailure(ex))
        {
            LogRedisFailed(ex, context.InterfaceName, context.MethodName);
            throw EngineFailures.Unavailable("Redis", ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis failed under {Interface}.{Method}; the caller is told the engine is unavailable")]
    private partial void LogRedisFailed(Exception exception, string @interface, string method);
}
