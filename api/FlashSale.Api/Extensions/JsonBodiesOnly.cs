namespace FlashSale.Api.Extensions;

/// <summary>
/// The API reads JSON only. A body of another media type is answered 400 <c>invalid-request</c>
/// before routing (the framework's own answer, 415, has no code in the contract).
/// </summary>
internal sealed class JsonBodiesOnly(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, IProblemDetailsService problems)
    {
        var request = context.Request;
        var hasBody = request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;
        if (hasBody && request.Path.StartsWithSegments("/api", StringComparison.Ordinal) && !request.HasJsonContentType())
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = StatusCodes.Status400BadRequest,
                    Type = Problems.TypeOf(Problems.InvalidRequest),
                    Title = Problems.TitleOf(Problems.InvalidRequest),
                    Detail = "Send the body as application/json.",
                },
            });
            return;
        }

        await next(context);
    }
}
