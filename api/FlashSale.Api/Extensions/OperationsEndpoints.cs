using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace FlashSale.Api.Extensions;

/// <summary>Where the operations endpoints (<c>/metrics</c>, <c>/dashboard</c>) answer.</summary>
public sealed class OperationsOptions
{
    public const string Section = "FlashSale:Operations";

    /// <summary>
    /// The local port on which <c>/metrics</c> and <c>/dashboard</c> answer, and no other. The host
    /// must also listen on it (name it in <c>--urls</c>). Null: they answer on every port in
    /// Development and nowhere in Production.
    /// </summary>
    [Range(1, 65535)]
    public int? ManagementPort { get; set; }
}

/// <summary>
/// Keeps <c>/metrics</c> and the Orleans dashboard off the public port. A Prometheus scraper and
/// the dashboard's own page cannot carry the operator's 15-minute bearer token, so they are not
/// put behind the Operator role but behind a port: the management port, which a deployment binds
/// to a private interface or firewalls (docs/security.md). The port is the connection's local
/// port, never the Host header, which the client writes (so <c>RequireHost("*:port")</c> would
/// not do). A refused request is 404, as if the route did not exist.
/// </summary>
internal static class OperationsEndpoints
{
    private static readonly string[] Prefixes = ["/metrics", "/dashboard"];

    public static WebApplicationBuilder AddOperationsEndpoints(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<OperationsOptions>().Bind(builder.Configuration.GetSection(OperationsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        return builder;
    }

    /// <summary>Whether this host answers the operations endpoints on any port (Development without a management port).</summary>
    public static bool OpenToAll(IHostEnvironment environment, OperationsOptions options) =>
        environment.IsDevelopment() && options.ManagementPort is null;

    public static WebApplication UseOperationsGate(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<OperationsOptions>>().Value;
        if (OpenToAll(app.Environment, options))
        {
            return app;
        }

        app.Use(async (context, next) =>
        {
            if (IsOperations(context) && (options.ManagementPort is not { } port || context.Connection.LocalPort != port))
            {
                await Problems.Problem(StatusCodes.Status404NotFound, Problems.NotFound, ApiTexts.NotFoundTitle).ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        return app;
    }

    /// <summary>By the path asked for and by the route it matched, so no spelling of the path slips past.</summary>
    private static bool IsOperations(HttpContext context) =>
        Prefixes.Any(p => context.Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)
            || (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { } pattern
                && ("/" + pattern.TrimStart('/')).StartsWith(p, StringComparison.OrdinalIgnoreCase));
}
