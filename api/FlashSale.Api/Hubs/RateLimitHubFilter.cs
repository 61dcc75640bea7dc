using System.Globalization;
using FlashSale.Api.Extensions;
using FlashSale.Api.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace FlashSale.Api.Hubs;

/// <summary>
/// Hub method calls take a token like limited HTTP requests do: one bucket per signed-in caller
/// (per connection when anonymous) and one per client address, shared by every API node where
/// the buckets live in Redis. A refused call gets a <see cref="HubException"/> whose message
/// starts <c>rate-limited:</c> (the HTTP problem code) and says when to call again; the
/// connection stays up and nothing is done.
/// </summary>
public sealed class RateLimitHubFilter(SaleRateLimiter limiter, IOptionsMonitor<RateLimitOptions> options) : IHubFilter
{
    public const string RateLimitedPrefix = "rate-limited: ";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var o = options.CurrentValue;
        if (o.Enabled)
        {
            var hub = invocationContext.Context;
            var caller = hub.User?.Identity?.IsAuthenticated == true ? "user:" + hub.User.UserId() : "connection:" + hub.ConnectionId;
            var address = hub.GetHttpContext()?.Connection.RemoteIpAddress?.ToString();
            var verdict = await limiter.TakeAsync(RateLimits.BucketsFor(RateLimits.Hub, caller, address, o));
            if (!verdict.Allowed)
            {
                var seconds = RateLimits.RetryAfterSeconds(verdict.RetryAfter).ToString(CultureInfo.InvariantCulture);
                throw new HubException($"{RateLimitedPrefix}too many calls; call again in {seconds} s.");
            }
        }

        return await next(invocationContext);
    }
}
