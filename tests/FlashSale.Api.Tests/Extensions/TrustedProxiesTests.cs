using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using FlashSale.Api.Tests.Apis;
using FlashSale.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace FlashSale.Api.Tests.Extensions;

/// <summary>
/// Whose address a request has, as the per-address limit on sign-in codes sees it (3 a minute in
/// these hosts): the connection's, unless the connection comes from a configured proxy.
/// </summary>
internal static class ForwardedRequests
{
    /// <summary>Asks codes for fresh numbers from one connection address, each naming another client in X-Forwarded-For; the statuses.</summary>
    public static async Task<List<HttpStatusCode>> AskCodes(FlashSaleApiFactory api, string connectionAddress, Func<int, string> forwardedFor, int count)
    {
        using var anonymous = api.CreateAnonymousClient();
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/auth/codes", UriKind.Relative))
            {
                Content = JsonContent.Create(new { phone = PhoneAccounts.NewPhone() }),
            }.From(connectionAddress);
            request.Headers.Add("X-Forwarded-For", forwardedFor(i));
            using var response = await anonymous.SendAsync(request);
            answers.Add(response.StatusCode);
        }

        return answers;
    }

    public static string Client(int i) => $"203.0.113.{10 + i}";
}

/// <summary>With no proxy configured (the default), X-Forwarded-For is ignored, even from loopback, which the framework would trust by default.</summary>
[Collection(RateLimitCollection.Name)]
public sealed class ForwardedHeadersIgnoredTests(RateLimitedApiFactory api)
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("10.20.30.40")]
    public async Task A_client_cannot_pick_its_address_to_dodge_the_per_address_limit(string connectionAddress)
    {
        var answers = await ForwardedRequests.AskCodes(api, connectionAddress, ForwardedRequests.Client, RateLimitedApiFactory.AuthPerAddressPerMinute + 2);

        Assert.Equal(RateLimitedApiFactory.AuthPerAddressPerMinute, answers.Count(a => a == HttpStatusCode.Accepted));
        Assert.Equal(2, answers.Count(a => a == HttpStatusCode.TooManyRequests));
    }
}

/// <summary>An API behind a configured proxy: the proxy's X-Forwarded-For names the client; anyone else's is ignored.</summary>
public sealed class TrustedProxyApiFactory : FlashSaleApiFactory
{
    public const string Proxy = "10.20.30.40";

    public const string ProxyNetwork = "192.0.2.0/24";

    public const int AuthPerAddressPerMinute = 3;

    protected override bool RateLimited => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("FlashSale:RateLimits:AuthPerAddressPerMinute", AuthPerAddressPerMinute.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("FlashSale:Network:KnownProxies:0", Proxy);
        builder.UseSetting("FlashSale:Network:KnownNetworks:0", ProxyNetwork);
    }
}

[CollectionDefinition(Name)]
public sealed class TrustedProxyCollection : ICollectionFixture<TrustedProxyApiFactory>
{
    public const string Name = "trusted proxy";
}

[Collection(TrustedProxyCollection.Name)]
public sealed class TrustedProxiesTests(TrustedProxyApiFactory api)
{
    private const int Count = TrustedProxyApiFactory.AuthPerAddressPerMinute + 2;

    [Theory]
    [InlineData(TrustedProxyApiFactory.Proxy)]
    [InlineData("192.0.2.77")] // in the configured network
    public async Task Through_a_configured_proxy_each_client_has_its_own_limit(string proxy)
    {
        // Each request names another client: none of them is past its limit.
        var spread = await ForwardedRequests.AskCodes(api, proxy, i => ForwardedRequests.Client(i) + (proxy == TrustedProxyApiFactory.Proxy ? "" : "0"), Count);
        Assert.All(spread, a => Assert.Equal(HttpStatusCode.Accepted, a));

        // One client through the proxy is limited as itself.
        var single = await ForwardedRequests.AskCodes(api, proxy, _ => proxy == TrustedProxyApiFactory.Proxy ? "198.51.100.1" : "198.51.100.2", Count);
        Assert.Equal(2, single.Count(a => a == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task A_connection_that_is_not_a_configured_proxy_cannot_pick_its_address()
    {
        var answers = await ForwardedRequests.AskCodes(api, "198.51.100.99", i => ForwardedRequests.Client(i + 50), Count);

        Assert.Equal(2, answers.Count(a => a == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task A_client_behind_the_proxy_cannot_prepend_an_address_of_its_choice()
    {
        // "X-Forwarded-For: <forged>, <client>": the proxy appends the address it saw; only that
        // last hop is the proxy's word, and the forged one before it is another unknown hop.
        var answers = await ForwardedRequests.AskCodes(api, TrustedProxyApiFactory.Proxy, i => $"{ForwardedRequests.Client(i + 100)}, 198.51.100.3", Count);

        Assert.Equal(2, answers.Count(a => a == HttpStatusCode.TooManyRequests));
    }
}
