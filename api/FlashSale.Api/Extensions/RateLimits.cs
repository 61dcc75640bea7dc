using System.Globalization;
using System.Threading.RateLimiting;
using FlashSale.Api.Identity;
using Microsoft.Extensions.Options;

namespace FlashSale.Api.Extensions;

/// <summary>
/// Token buckets on the routes a surge hammers (holds and checkout): one per shopper, so one
/// eager client cannot crowd out the rest, and one per client address, so a script cannot mint
/// shoppers to get around it. The address bucket is generous: a village agent's shoppers and a
/// co-op's office share one address. Refusals are 429 <c>rate-limited</c> with <c>Retry-After</c>.
/// </summary>
public static class RateLimits
{
    public const string Holds = "holds";
    public const string Checkout = "checkout";

    /// <summary>Sign-in routes, per client address: codes cost an SMS each, and codes and refresh tokens invite guessing.</summary>
    public const string Auth = "auth";

    public static WebApplicationBuilder AddFlashSaleRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>().Bind(builder.Configuration.GetSection(RateLimitOptions.Section));
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http =>
                    Bucket(http, perShopper: true) is ({ } key, var options)
                        ? RateLimitPartition.GetTokenBucketLimiter(key, _ => TokenBucket(options.ShopperBurst, options.ShopperPerSecond))
                        : RateLimitPartition.GetNoLimiter(string.Empty)),
                PartitionedRateLimiter.Create<HttpContext, string>(http =>
                    Bucket(http, perShopper: false) is ({ } key, var options)
                        ? RateLimitPartition.GetTokenBucketLimiter(key, _ => TokenBucket(options.AddressBurst, options.AddressPerSecond))
                        : RateLimitPartition.GetNoLimiter(string.Empty)));
            limiter.AddPolicy(Auth, http =>
            {
                var options = http.RequestServices.GetRequiredService<IOptionsMonitor<RateLimitOptions>>().CurrentValue;
                return options.Enabled
                    ? RateLimitPartition.GetFixedWindowLimiter($"{Auth}:address:{http.Connection.RemoteIpAddress}", _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = options.AuthPerAddressPerMinute,
                        Window = TimeSpan.FromMinutes(1),
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter(string.Empty);
            });
            limiter.OnRejected = async (context, cancellation) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var response = context.HttpContext.Response;
                response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await Problems.Problem(StatusCodes.Status429TooManyRequests, Problems.RateLimited, ApiTexts.RetryAfter)
                    .ExecuteAsync(context.HttpContext);
            };
        });
        return builder;
    }

    /// <summary>Marks a route group as limited under one of the policies above.</summary>
    public static TBuilder RequireSaleRateLimit<TBuilder>(this TBuilder builder, string policy)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new SaleRateLimit(policy));

    private static (string? Key, RateLimitOptions Options) Bucket(HttpContext http, bool perShopper)
    {
        var options = http.RequestServices.GetRequiredService<IOptionsMonitor<RateLimitOptions>>().CurrentValue;
        if (!options.Enabled || http.GetEndpoint()?.Metadata.GetMetadata<SaleRateLimit>() is not { } limit)
        {
            return (null, options);
        }

        var key = perShopper
            ? http.User.Identity?.IsAuthenticated == true ? $"{limit.Policy}:user:{http.User.UserId()}" : null
            : $"{limit.Policy}:address:{http.Connection.RemoteIpAddress}";
        return (key, options);
    }

    private static TokenBucketRateLimiterOptions TokenBucket(int burst, int perSecond) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = perSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private sealed record SaleRateLimit(string Policy);
}

/// <summary>Rate limits (section <c>FlashSale:RateLimits</c>).</summary>
public sealed class RateLimitOptions
{
    public const string Section = "FlashSale:RateLimits";

    public bool Enabled { get; set; } = true;

    /// <summary>Requests one shopper may send at once to a limited route, and per second after that.</summary>
    public int ShopperBurst { get; set; } = 20;

    public int ShopperPerSecond { get; set; } = 10;

    /// <summary>Requests one client address may send at once to a limited route, and per second after that.</summary>
    public int AddressBurst { get; set; } = 5000;

    public int AddressPerSecond { get; set; } = 2500;

    /// <summary>Sign-in requests (codes, tokens, refresh, sign-out) one client address may send per minute.</summary>
    public int AuthPerAddressPerMinute { get; set; } = 30;
}
