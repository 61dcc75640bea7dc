namespace FlashSale.Api.Extensions;

/// <summary>
/// Serves the web client that the build puts in wwwroot (from client-web/), and opens it for any
/// other page path (a bookmark, a shared link). The fallback is a middleware that acts only when
/// routing found no endpoint, never under the server's own prefixes: an endpoint-routing fallback
/// would take part in method matching and turn the API's 405s and 400s into something else.
/// </summary>
public static class WebClientExtensions
{
    private static readonly string[] ServerPrefixes = ["/api", "/hubs", "/openapi", "/health", "/api-docs", "/dashboard", "/assets"];

    public static WebApplication UseWebClient(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = ctx =>
            {
                // Hashed bundle names change with their content, so they may be kept for a year;
                // index.html must be checked every time, or a phone keeps an old client.
                ctx.Context.Response.Headers.CacheControl = ctx.Context.Request.Path.StartsWithSegments("/assets", StringComparison.Ordinal)
                    ? "public, max-age=31536000, immutable"
                    : "no-cache";
            },
        });
        app.Use(async (context, next) =>
        {
            if (context.GetEndpoint() is null && IsClientPage(context.Request)
                && app.Environment.WebRootFileProvider.GetFileInfo("index.html") is { Exists: true } index)
            {
                context.Response.ContentType = "text/html; charset=utf-8";
                context.Response.Headers.CacheControl = "no-cache";
                await context.Response.SendFileAsync(index);
                return;
            }

            await next(context);
        });
        return app;
    }

    private static bool IsClientPage(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && !Path.HasExtension(request.Path.Value)
        && !ServerPrefixes.Any(p => request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));
}
