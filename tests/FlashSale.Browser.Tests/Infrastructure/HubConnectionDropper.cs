using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace FlashSale.Browser.Tests.Infrastructure;

/// <summary>
/// Lets a test cut every open connection to the sale hub from the server's side, as a restarting
/// node or a dropped mobile link would: the request under each hub connection is aborted.
/// </summary>
public sealed class HubConnectionDropper
{
    private readonly ConcurrentDictionary<string, HttpContext> _open = new();

    public int OpenConnections => _open.Count;

    public void DropAll()
    {
        foreach (var context in _open.Values)
        {
            context.Abort();
        }
    }

    internal async Task Track(HttpContext context, RequestDelegate next)
    {
        // Every transport's long-lived request, not the short negotiate call. (IsWebSocketRequest
        // cannot tell yet: the WebSockets middleware runs after this one.)
        if (!context.Request.Path.StartsWithSegments("/hubs", StringComparison.Ordinal) || context.Request.Path.Value!.EndsWith("/negotiate", StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        _open[context.TraceIdentifier] = context;
        try
        {
            await next(context);
        }
        finally
        {
            _open.TryRemove(context.TraceIdentifier, out _);
        }
    }
}

/// <summary>Puts the <see cref="HubConnectionDropper"/> in front of the app's own pipeline.</summary>
public sealed class HubConnectionDropperStartup(HubConnectionDropper dropper) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(dropper.Track);
        next(app);
    };
}
