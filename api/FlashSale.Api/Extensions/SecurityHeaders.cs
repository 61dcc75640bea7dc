using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.FileProviders;

namespace FlashSale.Api.Extensions;

/// <summary>
/// Security headers on every response: <c>X-Content-Type-Options: nosniff</c>,
/// <c>Referrer-Policy: no-referrer</c>, <c>X-Frame-Options: DENY</c> and a Content-Security-Policy.
/// The web client's page gets a strict policy: scripts and styles only from this origin or, for
/// the code the build inlines into index.html (one response on slow 3G, see vite.config.ts), by the
/// SHA-256 of each inline block; never <c>unsafe-inline</c> or <c>unsafe-eval</c>. The hashes are
/// taken from the very index.html this host serves, so a block injected into the page by anyone
/// else (a stored name that escaped its text node, an event-handler attribute) does not run.
/// API answers get <c>default-src 'none'</c>: nothing they carry is ever to be run or framed.
/// The operations pages (<c>/dashboard</c>, <c>/api-docs</c>) bring their own inline code and are
/// only framed-protected (see docs/security.md).
/// </summary>
public static partial class SecurityHeaders
{
    /// <summary>The policy of API answers (JSON, problems, text) and of anything not a page.</summary>
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>The pages served by the framework's operations tools, which inline their own code.</summary>
    public const string OperationsPagePolicy = "frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

    private static readonly string[] OperationsPagePrefixes = ["/dashboard", "/api-docs"];

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        var pagePolicy = new PagePolicyCache(app.Environment.WebRootFileProvider);
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers.XFrameOptions = "DENY";
                headers.ContentSecurityPolicy = PolicyFor(context, pagePolicy);
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }

    private static string PolicyFor(HttpContext context, PagePolicyCache pagePolicy)
    {
        if (OperationsPagePrefixes.Any(p => context.Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)))
        {
            return OperationsPagePolicy;
        }

        var html = context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true;
        if (!html)
        {
            return ApiPolicy;
        }

        // The hub's WebSocket is same-origin; 'self' covers ws(s) to this origin in CSP 3, and
        // the explicit origin keeps browsers that predate that rule connecting.
        var socket = $"{(context.Request.IsHttps ? "wss" : "ws")}://{context.Request.Host}";
        return pagePolicy.Current().Replace("{socket}", socket, StringComparison.Ordinal);
    }

    /// <summary>The page's policy, read again only when index.html changes (a client rebuilt under a running host).</summary>
    private sealed class PagePolicyCache(IFileProvider webRoot)
    {
        // A reference swapped whole, so concurrent requests never see half of an update.
        private Known? _current;

        public string Current()
        {
            var index = webRoot.GetFileInfo("index.html");
            var modified = index.Exists ? index.LastModified : DateTimeOffset.MinValue;
            if (Volatile.Read(ref _current) is { } known && known.Modified == modified)
            {
                return known.Policy;
            }

            var policy = PagePolicy(index);
            Volatile.Write(ref _current, new Known(modified, policy));
            return policy;
        }

        private sealed record Known(DateTimeOffset Modified, string Policy);
    }

    /// <summary>The page's policy, with a hash for each inline script and style block of index.html.</summary>
    private static string PagePolicy(IFileInfo index)
    {
        var html = string.Empty;
        if (index.Exists)
        {
            using var stream = index.CreateReadStream();
            using var reader = new StreamReader(stream, Encoding.UTF8);
            html = reader.ReadToEnd();
        }

        var scripts = Hashes(InlineScripts(), html);
        var styles = Hashes(InlineStyles(), html);
        return "default-src 'self'; "
            + $"script-src 'self'{scripts}; "
            + $"style-src 'self'{styles}; "
            + "img-src 'self' data:; font-src 'self'; "
            + "connect-src 'self' {socket}; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    private static string Hashes(Regex blocks, string html) => string.Concat(
        blocks.Matches(html).Select(m => $" 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups["body"].Value)))}'").Distinct(StringComparer.Ordinal));

    // Inline blocks only: a <script src=...> is covered by 'self'. The build refuses code holding
    // a closing tag (vite.config.ts), so the first closing tag ends the block as the browser sees it.
    [GeneratedRegex("<script(?![^>]*\\bsrc\\s*=)[^>]*>(?<body>.*?)</script\\s*>", RegexOptions.Singleline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex InlineScripts();

    [GeneratedRegex("<style[^>]*>(?<body>.*?)</style\\s*>", RegexOptions.Singleline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex InlineStyles();
}
