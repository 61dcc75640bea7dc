using FlashSale.Cluster;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.Options;

namespace FlashSale.Api.Extensions;

/// <summary>
/// Every request waits for the engine at most <see cref="EngineCallOptions.CallTimeout"/> (3 s
/// unless set): ASP.NET Core's request timeout cancels the request's <c>RequestAborted</c> token at
/// the bound, and the answer is 503 <c>unavailable</c> with <c>Retry-After</c>. Holds and checkouts
/// pass that token into their grain call, so Orleans completes the call at once and tells the
/// grain: a request still queued there (behind a silo that stopped answering) is dropped, not
/// run late. Other calls are bounded by the Orleans client's response timeout, set to the same
/// bound in cluster mode. The live hub's long-lived connections are exempt.
/// </summary>
public static partial class EngineDeadline
{
    public static WebApplicationBuilder AddEngineDeadline(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<EngineCallOptions>().BindConfiguration(EngineCallOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddRequestTimeouts();
        builder.Services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<EngineCallOptions>>((timeouts, engine) =>
            timeouts.DefaultPolicy = new RequestTimeoutPolicy
            {
                Timeout = engine.Value.CallTimeout,
                TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
                WriteTimeoutResponse = async context =>
                {
                    // RequestAborted is still the token that just fired (the middleware restores the
                    // client's own afterwards): writing the answer under it would be cancelled too.
                    context.RequestAborted = CancellationToken.None;
                    LogTimedOut(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(EngineDeadline)),
                        context.Request.Method, context.Request.Path, engine.Value.CallTimeout);
                    await EngineExceptionHandler.WriteUnavailable(context, context.RequestServices.GetRequiredService<IProblemDetailsService>());
                },
            });
        return builder;
    }

    // One line per request that ran out of time; the framework's own warning, with its stack
    // trace, is turned off in appsettings (Microsoft.AspNetCore.Http.Timeouts: Error).
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} answered 503 unavailable: no answer from the engine within {Timeout}")]
    private static partial void LogTimedOut(ILogger logger, string method, string path, TimeSpan timeout);
}
