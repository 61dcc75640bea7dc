using FlashSale.Cluster;
using Microsoft.AspNetCore.SignalR;

namespace FlashSale.Api.Hubs;

/// <summary>
/// A hub method that meets a transient engine failure (storage lost, no silo reachable) answers
/// the caller with an error that says so (a <see cref="HubException"/> whose message starts
/// <c>unavailable:</c>, like the HTTP problem code, which SignalR passes on after its own "An
/// unexpected error occurred invoking ..."), not an opaque failure; the connection stays up, and
/// the client may call again.
/// </summary>
public sealed partial class EngineHubFilter(ILogger<EngineHubFilter> logger) : IHubFilter
{
    public const string UnavailablePrefix = "unavailable: ";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (Exception ex) when (ex is not HubException && EngineFailures.IsTransient(ex))
        {
            LogUnavailable(invocationContext.HubMethodName, ex.GetType().Name, ex.Message);
            throw new HubException(UnavailablePrefix + "the engine could not answer now; call again shortly.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hub method {Method} answered unavailable: {ExceptionType}: {Reason}")]
    private partial void LogUnavailable(string method, string exceptionType, string reason);
}
