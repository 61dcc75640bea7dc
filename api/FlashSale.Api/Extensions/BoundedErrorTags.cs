using Microsoft.AspNetCore.Http.Features;

namespace FlashSale.Api.Extensions;

/// <summary>
/// ASP.NET Core tags a request's duration with <c>error.type</c> = the exception's full type name
/// when a handler threw. On a public <c>/metrics</c> that names the engine's internals (Orleans and
/// Redis exception types), and each new type is a new series. The tag keeps its meaning with a
/// bounded value instead: the contract's problem code for the answer (<c>unavailable</c> for a
/// 503, <c>internal</c> for any other failure). Outermost, so it runs after the exception handler.
/// </summary>
internal static class BoundedErrorTags
{
    private const string ErrorType = "error.type";

    public static WebApplication UseBoundedErrorTags(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            finally
            {
                if (context.Features.Get<IHttpMetricsTagsFeature>() is { } metrics)
                {
                    var tags = metrics.Tags;
                    var named = tags.Where(t => t.Key == ErrorType).ToList();
                    if (named.Count > 0)
                    {
                        foreach (var tag in named)
                        {
                            tags.Remove(tag);
                        }

                        tags.Add(new(ErrorType, Category(context.Response.StatusCode)));
                    }
                }
            }
        });
        return app;
    }

    internal static string Category(int status) =>
        status == StatusCodes.Status503ServiceUnavailable ? Problems.Unavailable : Problems.Internal;
}
