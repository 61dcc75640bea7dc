using System.Security.Claims;
using FlashSale.Api.Identity;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FlashSale.Api.Tests.Identity;

/// <summary>
/// The validated-token cache answers only for the exact text of a token that passed a full
/// validation, only within that token's lifetime and the cache's own age limit, each time with an
/// identity of its own, and never holds more entries than it is given. The inner handler is the
/// real <see cref="JsonWebTokenHandler"/>, counted, with the installation's own parameters.
/// </summary>
public sealed class ValidatedTokenCacheTests
{
    private static readonly TimeSpan Skew = TokenService.ValidationParameters(Options().Value).ClockSkew;

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_token_validated_once_is_answered_from_the_cache_with_the_same_claims()
    {
        var (cache, inner) = Cache();
        var token = Issue("shp_a");

        var first = await Validate(cache, token);
        var second = await Validate(cache, token);

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.Equal(1, inner.Calls);
        Assert.Equal(Claims(first.ClaimsIdentity), Claims(second.ClaimsIdentity));
        Assert.Equal("shp_a", second.ClaimsIdentity.FindFirst(JwtRegisteredClaimNames.Sub)?.Value);
        Assert.Equal(first.SecurityToken.ValidTo, second.SecurityToken.ValidTo);
        Assert.Equal(first.SecurityToken.Issuer, second.SecurityToken.Issuer);
        Assert.DoesNotContain(token, second.SecurityToken.UnsafeToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_answer_has_an_identity_of_its_own()
    {
        var (cache, _) = Cache();
        var token = Issue("shp_a");
        (await Validate(cache, token)).ClaimsIdentity.AddClaim(new Claim(ClaimTypes.Role, "operator"));

        var first = await Validate(cache, token);
        first.ClaimsIdentity.AddClaim(new Claim(ClaimTypes.Role, "operator"));
        var second = await Validate(cache, token);

        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        Assert.DoesNotContain(second.ClaimsIdentity.Claims, c => c.Type == ClaimTypes.Role && c.Value == "operator");
    }

    public static TheoryData<string> Alterations() => ["one signature character", "one payload character", "a trailing character", "another key"];

    /// <summary>A forgery is never the cached text, so it gets the full validation and its refusal, however often it comes.</summary>
    [Theory]
    [MemberData(nameof(Alterations))]
    public async Task A_token_altered_after_the_genuine_one_was_cached_is_refused_every_time(string alteration)
    {
        var (cache, inner) = Cache();
        var token = Issue("shp_a");
        Assert.True((await Validate(cache, token)).IsValid);
        var altered = alteration switch
        {
            "one signature character" => token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1],
            "one payload character" => Flip(token, token.IndexOf('.', StringComparison.Ordinal) + 5),
            "a trailing character" => token + "A",
            "another key" => new TokenService(Options("another-installation-key-of-32-characters!!"), _clock).Issue("shp_a", Roles.Shopper, "A"),
            _ => throw new ArgumentOutOfRangeException(nameof(alteration)),
        };

        for (var i = 0; i < 3; i++)
        {
            Assert.False((await Validate(cache, altered)).IsValid);
        }

        Assert.Equal(4, inner.Calls);
        Assert.Equal(1, cache.Count);
    }

    /// <summary>A shopper who signed in before the sale is not validated again in its opening second.</summary>
    [Fact]
    public async Task A_token_this_node_issued_is_answered_from_the_cache_on_its_first_request()
    {
        var (cache, inner) = Cache();
        var token = new TokenService(Options(), _clock, cache).Issue("shp_a", Roles.Shopper, "A");
        Assert.Equal(1, cache.Count);
        Assert.Equal(1, inner.Calls);

        var first = await Validate(cache, token);

        Assert.True(first.IsValid);
        Assert.Equal("shp_a", first.ClaimsIdentity.FindFirst(JwtRegisteredClaimNames.Sub)?.Value);
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public void With_the_cache_off_issuing_remembers_and_validates_nothing()
    {
        var (cache, inner) = Cache(entries: 0);

        new TokenService(Options(), _clock, cache).Issue("shp_a", Roles.Shopper, "A");

        Assert.Equal(0, cache.Count);
        Assert.Equal(0, inner.Calls);
    }

    [Fact]
    public async Task A_refused_token_is_never_remembered()
    {
        var (cache, inner) = Cache();
        var longAgo = new FakeTimeProvider(_clock.GetUtcNow() - TimeSpan.FromHours(1));
        var expired = new TokenService(Options(), longAgo).Issue("shp_a", [Roles.Shopper], "A", TimeSpan.FromMinutes(5), []).Token;

        Assert.False((await Validate(cache, expired)).IsValid);
        Assert.False((await Validate(cache, expired)).IsValid);

        Assert.Equal(2, inner.Calls);
        Assert.Equal(0, cache.Count);
    }

    /// <summary>
    /// The full validation accepts a token up to its expiry plus the clock skew, and so does the
    /// cache, to the tick: one tick later the cached entry is not used. (The inner handler reads
    /// the machine's clock, so it still accepts the token; the count shows who answered.)
    /// </summary>
    [Fact]
    public async Task An_entry_is_not_used_past_the_tokens_expiry_and_skew()
    {
        var (cache, inner) = Cache(maxAge: TimeSpan.FromHours(1));
        var token = Issue("shp_a", lifetime: TimeSpan.FromMinutes(5));
        var expires = ((JsonWebToken)(await Validate(cache, token)).SecurityToken).ValidTo;

        _clock.SetUtcNow(new DateTimeOffset(expires + Skew, TimeSpan.Zero));
        await Validate(cache, token);
        Assert.Equal(1, inner.Calls);

        _clock.Advance(TimeSpan.FromTicks(1));
        await Validate(cache, token);
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task An_entry_is_not_used_past_the_caches_own_age_limit()
    {
        var (cache, inner) = Cache(maxAge: TimeSpan.FromMinutes(2));
        var token = Issue("shp_a", lifetime: TimeSpan.FromHours(1));
        await Validate(cache, token);

        _clock.Advance(TimeSpan.FromMinutes(2));
        await Validate(cache, token);
        Assert.Equal(1, inner.Calls);

        _clock.Advance(TimeSpan.FromTicks(1));
        await Validate(cache, token);
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task The_cache_never_holds_more_than_its_bound_and_still_validates_past_it()
    {
        var (cache, inner) = Cache(entries: 10);

        for (var i = 0; i < 200; i++)
        {
            Assert.True((await Validate(cache, Issue($"shp_{i:D4}"))).IsValid);
            Assert.InRange(cache.Count, 0, 10);
        }

        Assert.Equal(200, inner.Calls);
    }

    [Fact]
    public async Task With_no_entries_every_request_is_validated_in_full()
    {
        var (cache, inner) = Cache(entries: 0);
        var token = Issue("shp_a");

        for (var i = 0; i < 5; i++)
        {
            Assert.True((await Validate(cache, token)).IsValid);
        }

        Assert.Equal(5, inner.Calls);
        Assert.Equal(0, cache.Count);
    }

    /// <summary>
    /// Many requests at once, for a few shoppers' tokens and their forgeries, through a cache too
    /// small for all of them (so entries come and go while others are read): every genuine token
    /// is answered with its own subject and every forgery is refused. Seeded, so a failure repeats.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Concurrent_requests_always_get_their_own_tokens_subject(int seed)
    {
        var (cache, _) = Cache(entries: 4);
        var tokens = Enumerable.Range(0, 12).Select(i => (Subject: $"shp_{i:D4}", Token: Issue($"shp_{i:D4}"))).ToArray();
        var forgeries = tokens.Select(t => Flip(t.Token, t.Token.Length - 3)).ToArray();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var workers = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            var random = new Random(seed * 1_000 + worker);
            await start.Task;
            for (var i = 0; i < 500; i++)
            {
                var pick = random.Next(tokens.Length);
                if (random.Next(4) == 0)
                {
                    Assert.False((await Validate(cache, forgeries[pick])).IsValid, $"forgery of {tokens[pick].Subject} accepted");
                    continue;
                }

                var result = await Validate(cache, tokens[pick].Token);
                Assert.True(result.IsValid);
                Assert.Equal(tokens[pick].Subject, result.ClaimsIdentity.FindFirst(JwtRegisteredClaimNames.Sub)?.Value);
            }
        })).ToArray();

        start.SetResult();
        await Task.WhenAll(workers);
        Assert.InRange(cache.Count, 0, 4);
    }

    [Fact]
    public void The_api_validates_bearer_tokens_through_the_cache()
    {
        using var services = IdentityServices(entries: null);
        var jwt = services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);

        Assert.Same(services.GetRequiredService<ValidatedTokenCache>(), Assert.Single(jwt.TokenHandlers));
        Assert.Equal(30_000, services.GetRequiredService<IOptions<ValidatedTokenCacheOptions>>().Value.Entries);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1000001")]
    public void An_out_of_range_cache_size_is_refused_when_the_options_are_validated(string entries)
    {
        using var services = IdentityServices(entries);

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ValidatedTokenCacheOptions>>().Value);
        Assert.Contains(nameof(ValidatedTokenCacheOptions.Entries), failure.Message, StringComparison.Ordinal);
    }

    /// <summary>The API's own identity set-up, on a bare host with one configured key.</summary>
    private static ServiceProvider IdentityServices(string? entries)
    {
        var builder = WebApplication.CreateSlimBuilder();
        var settings = new Dictionary<string, string?>
        {
            [$"{TokenOptions.SigningKeysSetting}:0:Id"] = "k1",
            [$"{TokenOptions.SigningKeysSetting}:0:Key"] = "this-test-installation-key-of-32-characters",
        };
        if (entries is not null)
        {
            settings[$"{ValidatedTokenCacheOptions.Section}:Entries"] = entries;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddFlashSaleIdentity();
        return builder.Services.BuildServiceProvider();
    }

    private (ValidatedTokenCache Cache, CountingHandler Inner) Cache(int entries = 1_000, TimeSpan? maxAge = null)
    {
        var inner = new CountingHandler();
        var options = Microsoft.Extensions.Options.Options.Create(new ValidatedTokenCacheOptions { Entries = entries, MaxAge = maxAge ?? TimeSpan.FromMinutes(10) });
        return (new ValidatedTokenCache(inner, options, _clock), inner);
    }

    private string Issue(string subject, TimeSpan? lifetime = null) =>
        new TokenService(Options(), _clock).Issue(subject, [Roles.Shopper], subject, lifetime ?? TimeSpan.FromMinutes(15), []).Token;

    private static Task<TokenValidationResult> Validate(ValidatedTokenCache cache, string token) =>
        cache.ValidateTokenAsync(token, TokenService.ValidationParameters(Options().Value));

    private static IOptions<TokenOptions> Options(string key = "this-test-installation-key-of-32-characters") =>
        Microsoft.Extensions.Options.Options.Create(new TokenOptions { SigningKeys = [new SigningKey { Id = "k1", Key = key }] });

    private static string[] Claims(ClaimsIdentity identity) => identity.Claims.Select(c => $"{c.Type}={c.Value}").Order(StringComparer.Ordinal).ToArray();

    private static string Flip(string token, int at) => token[..at] + (token[at] == 'A' ? 'B' : 'A') + token[(at + 1)..];

    /// <summary>The real handler, counting the full validations it is asked for.</summary>
    private sealed class CountingHandler : TokenHandler
    {
        private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Interlocked.Increment(ref _calls);
            return _handler.ValidateTokenAsync(token, validationParameters);
        }
    }
}
