using System.Globalization;
using FlashSale.Api.Identity;
using FlashSale.Cluster;
using FlashSale.Cluster.Embedded;
using Microsoft.Extensions.Options;

namespace FlashSale.Api.Extensions;

/// <summary>
/// Rate limits on the routes a surge or a script hammers, and on hub calls. Each request takes
/// one token from every bucket its policy names (all or nothing): one per caller (a shopper, an
/// agent, a hub connection), so one eager client cannot crowd out the rest, and one per client
/// address, so a script cannot mint identities to get around it. The address buckets are
/// generous: a village agent's shoppers and a co-op's office share one address. Where the host
/// has a Redis (a cluster's <c>FlashSale:Redis</c>, the embedded durable host's Garnet) the
/// buckets live there and every API node draws on the same budget; a Redis that does not answer
/// makes each node fall back to its own in-process buckets (<see cref="SaleRateLimiter"/>).
/// Refusals are 429 <c>rate-limited</c> with <c>Retry-After</c>; a hub call gets a
/// <c>HubException</c> starting <c>rate-limited:</c>.
/// </summary>
public static class RateLimits
{
    public const string Holds = "holds";
    public const string Checkout = "checkout";

    /// <summary>Joining a lot's waiting room (the shopper's own, or an agent's for a villager).</summary>
    public const string Queue = "queue";

    /// <summary>Sign-in routes, per client address: codes cost an SMS each, and codes and refresh tokens invite guessing.</summary>
    public const string Auth = "auth";

    /// <summary>The demo sign-up routes (Development), per client address.</summary>
    public const string SignUp = "signup";

    /// <summary>Hub method calls, per connection's caller and per address.</summary>
    public const string Hub = "hub";

    /// <summary>
    /// USSD steps per phone number (<c>POST /api/phone/ussd</c>). The gateway signs for every
    /// number from one address, so the address buckets cannot tell one number's flood from a
    /// crowd; the number inside the signed body can. The caller of <see cref="BucketsFor"/> is the number.
    /// </summary>
    public const string PhoneUssd = "phone-ussd";

    /// <summary>Inbound SMS per phone number (<c>POST /api/phone/sms</c>), keyed as <see cref="PhoneUssd"/>.</summary>
    public const string PhoneSms = "phone-sms";

    /// <summary>
    /// The "too many requests" reply to a number past <see cref="PhoneSms"/>: one a minute, so a
    /// flood of texts never turns the engine into a flood of texts back.
    /// </summary>
    public const string PhoneSmsRefusalReply = "phone-sms-refusal-reply";

    public static WebApplicationBuilder AddFlashSaleRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>()
            .Bind(builder.Configuration.GetSection(RateLimitOptions.Section))
            .Validate(o => o.InvalidSettings().Count == 0, "FlashSale:RateLimits: every burst, rate and per-minute budget (the phone numbers' too) must be at least 1, RedisTimeout and RedisRetryAfter positive")
            .ValidateOnStart();
        var clusterRedis = builder.Configuration.IsClusterMode() ? builder.Configuration.RedisConnectionString() : null;
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RateLimitOptions>>().Value;
            var redis = SharedStore(options, clusterRedis, sp.GetService<EmbeddedRedisServer>());
            return new SaleRateLimiter(redis, options, TimeProvider.System, sp.GetRequiredService<ILogger<SaleRateLimiter>>());
        });
        return builder;
    }

    /// <summary>Where the buckets live: the Redis connection string, or null for in-process buckets.</summary>
    public static string? SharedStore(RateLimitOptions options, string? clusterRedis, EmbeddedRedisServer? embedded) => options.Store switch
    {
        RateLimitStore.Memory => null,
        RateLimitStore.Redis => options.Redis ?? clusterRedis ?? embedded?.ConnectionString,
        _ => options.Redis ?? clusterRedis ?? (embedded is { Durable: true } ? embedded.ConnectionString : null),
    };

    /// <summary>Limits requests to the routes marked with <see cref="RequireSaleRateLimit"/>; after authentication, so callers are known.</summary>
    public static IApplicationBuilder UseFlashSaleRateLimits(this IApplicationBuilder app) => app.UseMiddleware<SaleRateLimitMiddleware>();

    /// <summary>Marks a route or group as limited under one of the policies above.</summary>
    public static TBuilder RequireSaleRateLimit<TBuilder>(this TBuilder builder, string policy)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new SaleRateLimit(policy));

    /// <summary>The buckets one request or hub call of <paramref name="policy"/> takes a token from.</summary>
    public static IReadOnlyList<RateBucket> BucketsFor(string policy, string? caller, string? address, RateLimitOptions o)
    {
        var perSecond = TimeSpan.FromSeconds(1);
        var perMinute = TimeSpan.FromMinutes(1);
        var at = $"{policy}:address:{address ?? "unknown"}";
        var number = $"{policy}:number:{caller}";
        return policy switch
        {
            PhoneUssd => [new RateBucket(number, new BucketSpec(o.PhoneUssdStepsPerNumberPerMinute, o.PhoneUssdStepsPerNumberPerMinute, perMinute))],
            PhoneSms => [new RateBucket(number, new BucketSpec(o.PhoneSmsPerNumberPerMinute, o.PhoneSmsPerNumberPerMinute, perMinute))],
            PhoneSmsRefusalReply => [new RateBucket(number, new BucketSpec(1, 1, perMinute))],
            Auth => [new RateBucket(at, new BucketSpec(o.AuthPerAddressPerMinute, o.AuthPerAddressPerMinute, perMinute))],
            SignUp => [new RateBucket(at, new BucketSpec(o.SignUpPerAddressPerMinute, o.SignUpPerAddressPerMinute, perMinute))],
            Hub => [
                new RateBucket($"{Hub}:caller:{caller}", new BucketSpec(o.HubCallBurst, o.HubCallsPerSecond, perSecond)),
                new RateBucket(at, new BucketSpec(o.AddressBurst, o.AddressPerSecond, perSecond)),
            ],
            _ when caller is null => [new RateBucket(at, new BucketSpec(o.AddressBurst, o.AddressPerSecond, perSecond))],
            _ => [
                new RateBucket($"{policy}:user:{caller}", new BucketSpec(o.ShopperBurst, o.ShopperPerSecond, perSecond)),
                new RateBucket(at, new BucketSpec(o.AddressBurst, o.AddressPerSecond, perSecond)),
            ],
        };
    }

    /// <summary>The Retry-After header's whole seconds: at least one.</summary>
    public static int RetryAfterSeconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));

    internal sealed record SaleRateLimit(string Policy);
}

/// <summary>Takes a token per marked request; a refusal is 429 <c>rate-limited</c> with <c>Retry-After</c>.</summary>
internal sealed class SaleRateLimitMiddleware(RequestDelegate next, SaleRateLimiter limiter, IOptionsMonitor<RateLimitOptions> options)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var o = options.CurrentValue;
        if (o.Enabled && http.GetEndpoint()?.Metadata.GetMetadata<RateLimits.SaleRateLimit>() is { } limit)
        {
            var caller = http.User.Identity?.IsAuthenticated == true ? http.User.UserId() : null;
            var verdict = await limiter.TakeAsync(RateLimits.BucketsFor(limit.Policy, caller, http.Connection.RemoteIpAddress?.ToString(), o));
            if (!verdict.Allowed)
            {
                http.Response.Headers.RetryAfter = RateLimits.RetryAfterSeconds(verdict.RetryAfter).ToString(CultureInfo.InvariantCulture);
                await Problems.Problem(StatusCodes.Status429TooManyRequests, Problems.RateLimited, ApiTexts.RetryAfter).ExecuteAsync(http);
                return;
            }
        }

        await next(http);
    }
}

/// <summary>Where the rate-limit buckets live (<c>FlashSale:RateLimits:Store</c>).</summary>
public enum RateLimitStore
{
    /// <summary>In Redis when the host has one that outlives this process (a cluster's, the durable embedded host's); in process with <c>--in-memory</c>.</summary>
    Auto,

    /// <summary>Always in Redis (the embedded in-memory host uses its Garnet).</summary>
    Redis,

    /// <summary>Always in process: each API node has its own budget.</summary>
    Memory,
}

/// <summary>Rate limits (section <c>FlashSale:RateLimits</c>).</summary>
public sealed class RateLimitOptions
{
    public const string Section = "FlashSale:RateLimits";

    public bool Enabled { get; set; } = true;

    /// <summary>Requests one shopper (or agent) may send at once to a limited route, and per second after that; per route family (holds, checkout, queue).</summary>
    public int ShopperBurst { get; set; } = 20;

    public int ShopperPerSecond { get; set; } = 10;

    /// <summary>Requests one client address may send at once to a limited route, and per second after that.</summary>
    public int AddressBurst { get; set; } = 5000;

    public int AddressPerSecond { get; set; } = 2500;

    /// <summary>Sign-in requests (codes, tokens, refresh, sign-out) one client address may send per minute.</summary>
    public int AuthPerAddressPerMinute { get; set; } = 30;

    /// <summary>Demo sign-ups (sellers, shoppers, agents together) one client address may make per minute.</summary>
    public int SignUpPerAddressPerMinute { get; set; } = 120;

    /// <summary>Hub method calls one signed-in caller (or one anonymous connection) may make at once, and per second after that. A sale list watches every lot it shows at once.</summary>
    public int HubCallBurst { get; set; } = 300;

    public int HubCallsPerSecond { get; set; } = 30;

    /// <summary>
    /// USSD steps one phone number may send per minute, all at once if it likes. Each step is a
    /// round trip of a second or two through the operator's network plus reading a 160-character
    /// screen and typing, so a person manages about one every two seconds, a village agent
    /// ordering for villager after villager included; a gateway's retried step counts too.
    /// </summary>
    public int PhoneUssdStepsPerNumberPerMinute { get; set; } = 30;

    /// <summary>
    /// Inbound SMS one phone number may send per minute. Typing a command takes a person longer
    /// than six seconds; the room above it is for a gateway delivering a phone's backlog at once.
    /// Each one past it is dropped, and the number is told so by SMS at most once a minute.
    /// </summary>
    public int PhoneSmsPerNumberPerMinute { get; set; } = 10;

    public RateLimitStore Store { get; set; } = RateLimitStore.Auto;

    /// <summary>A Redis for the buckets other than the host's own (a StackExchange.Redis connection string); optional.</summary>
    public string? Redis { get; set; }

    /// <summary>How long a bucket may wait for Redis before this node decides with its own buckets.</summary>
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>After a Redis failure, how long this node uses its own buckets before asking Redis again.</summary>
    public TimeSpan RedisRetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The names of settings out of range; empty when all are valid.</summary>
    public IReadOnlyList<string> InvalidSettings()
    {
        var problems = new List<string>();
        foreach (var (name, value) in new[]
        {
            (nameof(ShopperBurst), ShopperBurst), (nameof(ShopperPerSecond), ShopperPerSecond), (nameof(AddressBurst), AddressBurst),
            (nameof(AddressPerSecond), AddressPerSecond), (nameof(AuthPerAddressPerMinute), AuthPerAddressPerMinute),
            (nameof(SignUpPerAddressPerMinute), SignUpPerAddressPerMinute), (nameof(HubCallBurst), HubCallBurst), (nameof(HubCallsPerSecond), HubCallsPerSecond),
            (nameof(PhoneUssdStepsPerNumberPerMinute), PhoneUssdStepsPerNumberPerMinute), (nameof(PhoneSmsPerNumberPerMinute), PhoneSmsPerNumberPerMinute),
        })
        {
            if (value < 1)
            {
                problems.Add(name);
            }
        }

        if (RedisTimeout <= TimeSpan.Zero)
        {
            problems.Add(nameof(RedisTimeout));
        }

        if (RedisRetryAfter <= TimeSpan.Zero)
        {
            problems.Add(nameof(RedisRetryAfter));
        }

        return problems;
    }
}
