using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace FlashSale.Api.Tests.Infrastructure;

/// <summary>
/// The in-memory test server has no sockets, so a request has no client address and no local
/// port. In the test hosts only, a request may state them in two headers, read before anything of
/// the app's runs, as a socket would have set them: what the app then decides (a proxy to trust,
/// a management port) is the app's own code.
/// </summary>
public static class TestConnection
{
    public const string RemoteAddressHeader = "X-Test-Remote-Address";

    public const string LocalPortHeader = "X-Test-Local-Port";

    public static HttpRequestMessage From(this HttpRequestMessage request, string remoteAddress)
    {
        request.Headers.Add(RemoteAddressHeader, remoteAddress);
        return request;
    }

    public static HttpRequestMessage OnLocalPort(this HttpRequestMessage request, int port)
    {
        request.Headers.Add(LocalPortHeader, port.ToString(CultureInfo.InvariantCulture));
        return request;
    }

    internal sealed class StartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                var headers = context.Request.Headers;
                if (headers.TryGetValue(RemoteAddressHeader, out var remote) && IPAddress.TryParse(remote, out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                    headers.Remove(RemoteAddressHeader);
                }

                if (headers.TryGetValue(LocalPortHeader, out var local) && int.TryParse(local, CultureInfo.InvariantCulture, out var port))
                {
                    context.Connection.LocalPort = port;
                    headers.Remove(LocalPortHeader);
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
