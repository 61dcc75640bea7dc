using FlashSale.Common;
using Microsoft.AspNetCore.Diagnostics;
using Orleans.Runtime;

namespace FlashSale.Api.Extensions;

/// <summary>
/// Turns exceptions into problems. Bad input never reaches here as a 5xx: a body the framework
/// cannot read is a 400. A transient engine failure is a 503 with <c>Retry-After</c>, so clients
/// back off and retry; anything else is a bug and says so without leaking details.
/// </summary>
internal sealed partial class EngineExceptionHandler(IProblemDetailsService problems, ILogger<EngineExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, Problems.CodeForStatus(bad.StatusCode), ApiTexts.RequestUnreadable.Format(bad.Message)),
            System.Text.Json.JsonException => (StatusCodes.Status400BadRequest, Problems.InvalidRequest, ApiTexts.BodyNotJson),
            EngineUnavailableException or SiloUnavailableException or TimeoutException or OrleansMessageRejectionException
                => (StatusCodes.Status503ServiceUnavailable, Problems.Unavailable, ApiTexts.EngineDidNotAnswer),
            _ => (StatusCodes.Status500InternalServerError, Problems.Internal, ApiTexts.UnexpectedError),
        };

        if (status >= 500)
        {
            LogFailure(exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "1";
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Type = Problems.TypeOf(code), Title = Problems.TitleOf(code), Detail = detail.ForReader() },
        });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private partial void LogFailure(Exception exception, string method, string path);
}
