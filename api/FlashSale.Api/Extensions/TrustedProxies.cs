using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace FlashSale.Api.Extensions;

/// <summary>The reverse proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> this host believes.</summary>
public sealed class TrustedProxyOptions
{
    public const string Section = "FlashSale:Network";

    /// <summary>Addresses of trusted proxies, such as <c>10.0.0.5</c> or <c>::1</c>.</summary>
    public IList<string> KnownProxies { get; } = [];

    /// <summary>Networks of trusted proxies in CIDR form, such as <c>10.0.0.0/24</c>.</summary>
    public IList<string> KnownNetworks { get; } = [];

    public bool Any => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}

/// <summary>
/// The client's address decides its per-address rate limits (sign-in codes, anonymous calls), so
/// it is the connection's address unless the connection comes from a configured proxy. With no
/// proxy configured (the default) forwarded headers are not read at all: the framework's own
/// default would trust loopback, and a client on the same machine could then pick its address.
/// With proxies configured, only they are trusted, hop by hop from the nearest.
/// </summary>
internal static class TrustedProxies
{
    public static WebApplicationBuilder AddTrustedProxies(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TrustedProxyOptions>().Bind(builder.Configuration.GetSection(TrustedProxyOptions.Section))
            .Validate(o => o.KnownProxies.All(p => IPAddress.TryParse(p, out _)), $"{TrustedProxyOptions.Section}:KnownProxies holds an entry that is not an IP address.")
            .Validate(o => o.KnownNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _)), $"{TrustedProxyOptions.Section}:KnownNetworks holds an entry that is not a CIDR network such as 10.0.0.0/24.")
            .ValidateOnStart();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<TrustedProxyOptions>>((forwarded, trusted) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in trusted.Value.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in trusted.Value.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }

            // Every hop is checked against the lists, so a chain of known proxies may be longer
            // than one; the first unknown address is the client.
            forwarded.ForwardLimit = null;
        });
        return builder;
    }

    public static WebApplication UseTrustedProxies(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<TrustedProxyOptions>>().Value.Any)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }
}
