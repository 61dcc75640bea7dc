using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using FlashSale.Common;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FlashSale.Api.Identity;

public sealed class ValidatedTokenCacheOptions
{
    public const string Section = TokenOptions.Section + ":ValidatedTokenCache";

    /// <summary>
    /// How many validated tokens each API node remembers; 0 validates every request in full. An
    /// entry measured about 2.5 KB (the token's text, its claims and its times), so the default
    /// bounds the cache near 75 MB however many accounts sign in.
    /// </summary>
    [Range(0, 1_000_000)]
    public int Entries { get; set; } = 30_000;

    /// <summary>
    /// The longest an entry is kept, whatever the token's own expiry: a token used again after
    /// this is validated in full once more.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// Validates bearer tokens with <see cref="JsonWebTokenHandler"/> and remembers the ones that
/// passed, so a shopper's next request within the sale skips the parse, the HMAC and the claims
/// it already earned.
/// <para>
/// Why it is as safe as validating every time: everything the full validation checks except the
/// lifetime (signature, key id, algorithm, issuer, audience, the presence of an expiry) depends
/// only on the token's exact text and on the validation parameters, and those are fixed when the
/// host starts (the signing keys are read once from validated options). So an entry is keyed by
/// the whole token text, compared in full, and a hit re-checks the lifetime exactly as the
/// handler does, clock skew included. A refused token is never remembered, so a forgery costs a
/// full validation every time and cannot push anything out of the cache that it could not push
/// out with valid tokens. Suspension and revoked sign-ins are not this cache's business: they are
/// checked after it, on every request (<c>AccountStandingCache</c> in the token-validated event).
/// </para>
/// <para>
/// Each hit hands out its own copy of the identity, so nothing a request does to its principal
/// reaches another request. The cache is bounded in entries (<see cref="ValidatedTokenCacheOptions.Entries"/>),
/// so a flood of fresh sign-ups costs memory up to that bound and then only cache misses.
/// </para>
/// </summary>
public sealed class ValidatedTokenCache : TokenHandler, IDisposable
{
    /// <summary>Longer texts are validated without being remembered (a real token is a few hundred characters).</summary>
    public const int MaxCachedTokenLength = 4_096;

    private static readonly KeyValuePair<string, object?> Hit = new("cache", "hit");
    private static readonly KeyValuePair<string, object?> Miss = new("cache", "miss");

    private readonly TokenHandler _inner;
    private readonly TimeProvider _time;
    private readonly TimeSpan _maxAge;
    private readonly MemoryCache? _entries;

    public ValidatedTokenCache(TokenHandler inner, IOptions<ValidatedTokenCacheOptions> options, TimeProvider time)
    {
        _inner = inner;
        _time = time;
        _maxAge = options.Value.MaxAge;
        _entries = options.Value.Entries == 0 ? null : new MemoryCache(new MemoryCacheOptions
        {
            SizeLimit = options.Value.Entries,
            // Compacting removes the least recently used tenth once the bound is reached.
            CompactionPercentage = 0.1,
        });
    }

    /// <summary>Entries held now (for tests and diagnostics).</summary>
    public long Count => _entries?.Count ?? 0;

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        ArgumentNullException.ThrowIfNull(validationParameters);
        if (_entries is null || token is null || token.Length > MaxCachedTokenLength)
        {
            return await _inner.ValidateTokenAsync(token, validationParameters);
        }

        var now = _time.GetUtcNow().UtcDateTime;
        if (_entries.TryGetValue(token, out Entry? entry) && entry!.IsCurrentAt(now, validationParameters.ClockSkew))
        {
            FlashSaleMetrics.TokenValidations.Add(1, Hit);
            return entry.ToResult();
        }

        FlashSaleMetrics.TokenValidations.Add(1, Miss);
        return await ValidateAndKeep(token, validationParameters, now);
    }

    /// <summary>
    /// A token this node has just issued (a sign-up, a sign-in or a refresh), validated in full
    /// now, so that its first request, often in the sale's opening second, is a hit. It goes
    /// through the same validation as any other token, so nothing is remembered that a request
    /// could not have earned.
    /// </summary>
    public void RememberIssued(string token, TokenValidationParameters validationParameters)
    {
        if (_entries is null || token.Length > MaxCachedTokenLength)
        {
            return;
        }

        // With the installation's static keys the validation completes before it returns; were it
        // ever to go asynchronous, it would finish on its own, and a failure is simply not kept.
        var validation = ValidateAndKeep(token, validationParameters, _time.GetUtcNow().UtcDateTime);
        if (!validation.IsCompleted)
        {
            validation.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task<TokenValidationResult> ValidateAndKeep(string token, TokenValidationParameters validationParameters, DateTime now)
    {
        var result = await _inner.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is { } securityToken && result.ClaimsIdentity is { } identity)
        {
            var until = Min(securityToken.ValidTo + validationParameters.ClockSkew, now + _maxAge);
            var kept = new Entry(new ValidatedToken(securityToken), identity.Clone(), result.TokenType, result.Issuer, until);
            _entries!.Set(token, kept, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpiration = new DateTimeOffset(until, TimeSpan.Zero) });
        }

        return result;
    }

    public override SecurityToken ReadToken(string token) => _inner.ReadToken(token);

    public void Dispose() => _entries?.Dispose();

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    /// <summary>
    /// What the authentication handler reads of a validated token (its times, issuer and key),
    /// without the parsed header and payload a <see cref="JsonWebToken"/> keeps: an entry holding
    /// the parsed token measured 4.8 KB beside the token's text, one with this 1.8 KB.
    /// </summary>
    private sealed class ValidatedToken(SecurityToken validated) : SecurityToken
    {
        public override string Id { get; } = validated.Id;

        public override string Issuer { get; } = validated.Issuer;

        public override SecurityKey SecurityKey { get; } = validated.SecurityKey;

        public override SecurityKey SigningKey { get; set; } = validated.SigningKey;

        public override DateTime ValidFrom { get; } = validated.ValidFrom;

        public override DateTime ValidTo { get; } = validated.ValidTo;

        /// <summary>Never the token's text: this is what a log line would show.</summary>
        public override string UnsafeToString() => $"validated token {Id} of {Issuer}, valid to {ValidTo:O}";
    }

    /// <summary>What a full validation proved about one token text.</summary>
    private sealed record Entry(SecurityToken Token, ClaimsIdentity Identity, string? TokenType, string? Issuer, DateTime KeptUntil)
    {
        /// <summary>
        /// The lifetime rule of the full validation (not before <c>nbf</c> and not after
        /// <c>exp</c>, each widened by the clock skew; its other checks hold for the token's text),
        /// and the entry's own age limit. Both are checked here on <see cref="TimeProvider"/>'s
        /// clock, not left to the memory cache's eviction, which runs on its own.
        /// </summary>
        public bool IsCurrentAt(DateTime utcNow, TimeSpan clockSkew) =>
            utcNow <= KeptUntil
            && (Token.ValidFrom == DateTime.MinValue || utcNow >= Token.ValidFrom - clockSkew)
            && utcNow <= Token.ValidTo + clockSkew;

        public TokenValidationResult ToResult() => new()
        {
            IsValid = true,
            SecurityToken = Token,
            ClaimsIdentity = Identity.Clone(),
            TokenType = TokenType,
            Issuer = Issuer,
        };
    }
}
