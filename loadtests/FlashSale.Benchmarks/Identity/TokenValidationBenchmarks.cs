using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using FlashSale.Api.Identity;
using FlashSale.Benchmarks.Catalog;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FlashSale.Benchmarks.Identity;

/// <summary>
/// Issue #14's token lever: the CPU profile charged 8–10% of a hold request to validating its
/// bearer token. One bearer token checked in full (the baseline) against the same token answered
/// by <see cref="ValidatedTokenCache"/>, with the installation's own validation parameters.
/// </summary>
[Config(typeof(CatalogBenchmarkConfig))]
[MemoryDiagnoser]
public class TokenValidationBenchmarks
{
    private readonly JsonWebTokenHandler _full = new() { MapInboundClaims = false };
    private ValidatedTokenCache _cache = null!;
    private TokenValidationParameters _parameters = null!;
    private string _token = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        var options = Options.Create(new TokenOptions { SigningKeys = [new SigningKey { Id = "k1", Key = Convert.ToBase64String(Guid.NewGuid().ToByteArray()) + "-benchmark-key" }] });
        _parameters = TokenService.ValidationParameters(options.Value);
        _token = new TokenService(options, TimeProvider.System).Issue("shp_0123456789abcdef", Roles.Shopper, "Shopper");
        _cache = new ValidatedTokenCache(new JsonWebTokenHandler { MapInboundClaims = false }, Options.Create(new ValidatedTokenCacheOptions()), TimeProvider.System);
        if (!(await _cache.ValidateTokenAsync(_token, _parameters)).IsValid)
        {
            throw new InvalidOperationException("The benchmark's token does not validate.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _cache.Dispose();

    [Benchmark(Baseline = true, Description = "full validation (JsonWebTokenHandler)")]
    public Task<TokenValidationResult> Full() => _full.ValidateTokenAsync(_token, _parameters);

    [Benchmark(Description = "validated-token cache, hit")]
    public Task<TokenValidationResult> Cached() => _cache.ValidateTokenAsync(_token, _parameters);
}

/// <summary>
/// The same lever on whole requests: the in-process API (no sockets) with the cache off
/// (<c>Entries = 0</c>, every request validated in full) and on. A cart read is a bearer token
/// and one grain call; a hold is a bearer token, the cart and the lot (each invocation moves the
/// shopper's hold between 1 and 2 units of a lot that never sells out). The baseline is the
/// anonymous lot read.
/// </summary>
[Config(typeof(CatalogBenchmarkConfig))]
[MemoryDiagnoser]
public class AuthenticatedRequestBenchmarks : InProcessApiBenchmark
{
    private string _holdPath = null!;
    private AuthenticationHeaderValue _shopper = null!;
    private int _quantity = 1;

    [Params(0, 30_000)]
    public int CacheEntries { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        Api = InProcessApi.Create((ValidatedTokenCacheOptions.Section + ":Entries", CacheEntries.ToString(CultureInfo.InvariantCulture)));
        Http = Api.CreateClient();

        using var seller = await Http.PostAsJsonAsync("/api/sellers", new { name = "Dangshan co-op" });
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/lots")
        {
            Content = JsonContent.Create(new { name = "Honey pears", unit = "box", priceMinor = 4800, currency = "CNY", quantity = 1_000_000, perShopperLimit = 5 }),
        };
        create.Headers.Authorization = new("Bearer", (await seller.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString());
        using var created = await Http.SendAsync(create);
        created.EnsureSuccessStatusCode();
        BaselineLotId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("lotId").GetString()!;
        _holdPath = $"/api/cart/items/{BaselineLotId}";

        using var shopper = await Http.PostAsJsonAsync("/api/shoppers", new { name = "Li Na" });
        _shopper = new AuthenticationHeaderValue("Bearer", (await shopper.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString());
        (await Hold()).EnsureSuccessStatusCode();
    }

    [Benchmark(Description = "GET /api/cart (bearer)")]
    public async Task<string> CartRead()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/cart") { Headers = { Authorization = _shopper } };
        using var response = await Http.SendAsync(request);
        return await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync();
    }

    [Benchmark(Description = "PUT /api/cart/items/{lotId} (bearer)")]
    public async Task<int> HoldChange()
    {
        using var response = await Hold();
        return (int)response.EnsureSuccessStatusCode().StatusCode;
    }

    /// <summary>Moves the hold between 1 and 2 units. Only these requests carry the token: the anonymous baseline is the same request with the cache on or off.</summary>
    private Task<HttpResponseMessage> Hold()
    {
        _quantity = 3 - _quantity;
        var request = new HttpRequestMessage(HttpMethod.Put, _holdPath) { Content = JsonContent.Create(new { quantity = _quantity }), Headers = { Authorization = _shopper } };
        return Http.SendAsync(request);
    }
}
