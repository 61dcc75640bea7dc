using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace FlashSale.Api.Extensions;

/// <summary>
/// Writes every problem as <c>application/problem+json</c>, whatever the request's <c>Accept</c>
/// says. The contract promises that errors are problem documents; the framework's default writer
/// would fall back to plain text for a client that does not list JSON.
/// </summary>
internal sealed class ContractProblemWriter(IOptions<JsonOptions> json, IOptions<ProblemDetailsOptions> problems) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var response = context.HttpContext.Response;
        context.ProblemDetails.Status ??= response.StatusCode;
        problems.Value.CustomizeProblemDetails?.Invoke(context);
        return new ValueTask(response.WriteAsJsonAsync(
            context.ProblemDetails,
            json.Value.SerializerOptions.GetTypeInfo(context.ProblemDetails.GetType()),
            contentType: "application/problem+json",
            cancellationToken: context.HttpContext.RequestAborted));
    }
}
