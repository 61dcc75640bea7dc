using FlashSale.Cluster;
using Microsoft.AspNetCore.SignalR;

namespace FlashSale.Api.Hubs;

/// <summary>
/// A hub method that meets a transient engine failure (storage lost, no silo reachable) answers
/// the caller with an error that says so (a <see cref="HubException"/> whose message starts
/// <c>unavailable:</c>, like the HTTP problem code, which SignalR passes on after its own "An
/// unexpected error occurred invoking ..."), not an opaque failure; the connection stays up, and
/// the client may call again.
/// <para>
/// This filter is also where hub failures are logged. A <see cref="HubException"/> is a refusal
/// the caller earned (<c>WatchLot</c> with an id that names no lot): a Debug line, like a 404. A
/// browser may ask for any id, so logging those as errors with a stack would let anyone fill the
/// error log. Any other exception is a bug and is logged as an Error with its stack. SignalR's own
/// "Failed invoking hub method" Error, written for both kinds alike, is filtered out
/// (<see cref="LiveStockExtensions"/>), as this line replaces it.
/// </para>
/// </summary>
public sealed partial class EngineHubFilter(ILogger<EngineHubFilter> logger) : IHubFilter
{
    public const string UnavailablePrefix = "unavailable: ";

    /// <summary>The category of SignalR's dispatcher, whose per-invocation Error this filter replaces.</summary>
    public const string DispatcherLogCategory = "Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (HubException refused)
        {
            LogRefused(invocationContext.HubMethodName, refused.Message);
            throw;
        }
        catch (Exception ex) when (EngineFailures.IsTransient(ex))
        {
            LogUnavailable(invocationContext.HubMethodName, ex.GetType().Name, ex.Message);
            throw new HubException(UnavailablePrefix + "the engine could not answer now; call again shortly.");
        }
        catch (Exception ex)
        {
            LogFailed(ex, invocationContext.HubMethodName);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Hub method {Method} refused: {Reason}")]
    private partial void LogRefused(string method, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hub method {Method} answered unavailable: {ExceptionType}: {Reason}")]
    private partial void LogUnavailable(string method, string exceptionType, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Hub method {Method} failed")]
    private partial void LogFailed(Exception exception, string method);
}
