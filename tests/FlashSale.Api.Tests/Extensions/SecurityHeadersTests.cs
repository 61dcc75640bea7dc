using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using FlashSale.Api.Extensions;
using FlashSale.Api.Tests.Infrastructure;

namespace FlashSale.Api.Tests.Extensions;

/// <summary>
/// Every answer carries the security headers; the web client's page carries a Content-Security-Policy
/// that lets run exactly the inline code of the page as built, by hash, and nothing inline besides.
/// </summary>
[Collection(OperationsApiCollection.Name)]
public sealed partial class SecurityHeadersTests(FlashSaleApiFactory api)
{
    [Fact]
    public async Task The_page_allows_its_own_inline_code_by_hash_and_nothing_else_inline()
    {
        using var anonymous = api.CreateAnonymousClient();
        using var response = await anonymous.GetAsync(new Uri("/", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertCommonHeaders(response);
        var policy = Directives(response);
        var header = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.DoesNotContain("unsafe-inline", header, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", header, StringComparison.Ordinal);
        Assert.Equal(new[] { "'none'" }, policy["frame-ancestors"]);
        Assert.Equal(new[] { "'none'" }, policy["object-src"]);
        Assert.Equal(new[] { "'none'" }, policy["base-uri"]);
        Assert.Contains("'self'", policy["connect-src"]);
        Assert.Contains("ws://localhost", policy["connect-src"]); // the hub's WebSocket, same origin

        // Computed here from the page as served, independently of the server's own reading.
        var scripts = InlineScripts().Matches(html).Select(m => Hash(m.Groups["body"].Value)).ToList();
        var styles = InlineStyles().Matches(html).Select(m => Hash(m.Groups["body"].Value)).ToList();
        Assert.NotEmpty(scripts); // the built page inlines its entry script (vite.config.ts)
        Assert.Equal(scripts.Distinct().Order(StringComparer.Ordinal), policy["script-src"].Where(s => s.StartsWith("'sha256-", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Equal(styles.Distinct().Order(StringComparer.Ordinal), policy["style-src"].Where(s => s.StartsWith("'sha256-", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_client_page_path_gets_the_same_page_policy()
    {
        using var anonymous = api.CreateAnonymousClient();
        using var root = await anonymous.GetAsync(new Uri("/", UriKind.Relative));
        using var deep = await anonymous.GetAsync(new Uri("/orders/somewhere", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, deep.StatusCode);
        AssertCommonHeaders(deep);
        Assert.Equal(root.Headers.GetValues("Content-Security-Policy").Single(), deep.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task A_static_file_carries_the_headers()
    {
        using var anonymous = api.CreateAnonymousClient();
        var html = await anonymous.GetStringAsync(new Uri("/", UriKind.Relative));
        var asset = Regex.Match(html, "/assets/[^\"']+\\.js").Value;
        Assert.NotEmpty(asset);

        using var response = await anonymous.GetAsync(new Uri(asset, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertCommonHeaders(response);
        Assert.Equal(SecurityHeaders.ApiPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Theory]
    [InlineData("/api/lots", HttpStatusCode.OK)]
    [InlineData("/api/lots/lot_0000000000000000", HttpStatusCode.NotFound)]
    [InlineData("/api/nothing-here", HttpStatusCode.NotFound)]
    public async Task Json_and_problem_answers_carry_the_headers_and_forbid_everything(string path, HttpStatusCode status)
    {
        using var anonymous = api.CreateAnonymousClient();
        using var response = await anonymous.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(status, response.StatusCode);
        AssertCommonHeaders(response);
        var policy = Directives(response);
        Assert.Equal(new[] { "'none'" }, policy["default-src"]);
        Assert.Equal(new[] { "'none'" }, policy["frame-ancestors"]);
    }

    private static void AssertCommonHeaders(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
    }

    private static Dictionary<string, string[]> Directives(HttpResponseMessage response) =>
        response.Headers.GetValues("Content-Security-Policy").Single()
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => d.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(d => d[0], d => d[1..], StringComparer.Ordinal);

    private static string Hash(string body) => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(body)))}'";

    [GeneratedRegex("<script(?![^>]*\\bsrc=)[^>]*>(?<body>.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex InlineScripts();

    [GeneratedRegex("<style[^>]*>(?<body>.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex InlineStyles();
}
