using FlashSale.Cluster;
using Microsoft.AspNetCore.Diagnostics;

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
            _ when EngineFailures.IsTransient(exception) => (StatusCodes.Status503ServiceUnavailable, Problems.Unavailable, ApiTexts.EngineDidNotAnswer),
            _ => (StatusCodes.Status500InternalServerError, Problems.Internal, ApiTexts.UnexpectedError),
        };

        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            // One line per refused request, not a stack trace: an outage must not flood the log.
            LogUnavailable(httpContext.Request.Method, httpContext.Request.Path, exception.GetType().Name, exception.Message);
            return await WriteUnavailable(httpContext, problems, exception);
        }

        if (status >= 500)
        {
            LogFailure(exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Type = Problems.TypeOf(code), Title = Problems.TitleOf(code), Detail = detail.ForReader() },
        });
    }

    /// <summary>The contract's 503 <c>unavailable</c>, with <c>Retry-After</c>.</summary>
    internal static ValueTask<bool> WriteUnavailable(HttpContext httpContext, IProblemDetailsService problems, Exception? exception = null)
    {
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "1";
        return problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Type = Problems.TypeOf(Problems.Unavailable),
                Title = Problems.TitleOf(Problems.Unavailable),
                Detail = ApiTexts.EngineDidNotAnswer.ForReader(),
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private partial void LogFailure(Exception exception, string method, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} answered 503 unavailable: {ExceptionType}: {Reason}")]
    private partial void LogUnavailable(string method, string path, string exceptionType, string reason);
}
