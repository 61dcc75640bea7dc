using Microsoft.Net.Http.Headers;

namespace FlashSale.Api.Extensions;

/// <summary>
/// The API reads JSON only. A body of another media type, or in a charset that cannot be
/// decoded, is answered 400 <c>invalid-request</c> before routing (the framework's own answers
/// are 415, which has no code in the contract, and a 500 for an unknown charset).
/// </summary>
internal sealed class JsonBodiesOnly(RequestDelegate next)
{
    /// <summary>The largest request body the API reads; its largest real bodies (a batch of shipments) are a few kilobytes.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        // A declared media type counts as a body even when it is empty: the framework answers an
        // empty text/plain body with 415 too.
        var hasBody = request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0 || request.ContentType is not null;
        if (hasBody && request.Path.StartsWithSegments("/api", StringComparison.Ordinal) && request.ContentLength > MaxBodyBytes)
        {
            // Checked before the body is read: a flood of large bodies costs no parsing, and an
            // unknown property padded to megabytes is not read into memory and then ignored.
            await Problems.Problem(StatusCodes.Status400BadRequest, Problems.InvalidRequest, ApiTexts.BodyTooLarge.Format(MaxBodyBytes)).ExecuteAsync(context);
            return;
        }

        if (hasBody && request.Path.StartsWithSegments("/api", StringComparison.Ordinal)
            && context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            // A chunked body has no length to check: the server stops reading it at the limit.
            size.MaxRequestBodySize = Math.Min(size.MaxRequestBodySize ?? long.MaxValue, MaxBodyBytes);
        }

        // The phone gateway's callbacks are forms, checked byte for byte by their own route
        // (signature first, then the form): that route answers what is not one.
        if (hasBody && request.Path.StartsWithSegments("/api", StringComparison.Ordinal) && !IsReadableJson(request)
            && !request.Path.StartsWithSegments("/api/phone", StringComparison.Ordinal))
        {
            // A problem result writes JSON whatever the client accepts; IProblemDetailsService.WriteAsync
            // would throw, a 500, for a client that accepts no JSON.
            await Problems.Problem(StatusCodes.Status400BadRequest, Problems.InvalidRequest, ApiTexts.SendJson).ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    private static bool IsReadableJson(HttpRequest request) =>
        request.HasJsonContentType()
        && MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
        && (!mediaType.Charset.HasValue || mediaType.Encoding is not null);
}
