using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using FlashSale.Accounts;
using FlashSale.Api.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace FlashSale.Api.Tests.Infrastructure;

/// <summary>Sign-in by phone for tests: fresh numbers, the code read from the sandbox outbox, an account's caller.</summary>
public static partial class PhoneAccounts
{
    /// <summary>The operator every test factory configures (<c>FlashSale:Identity:Operators:0</c>).</summary>
    public const string OperatorPhone = "+8613900000000";

    private static long _next = Random.Shared.NextInt64(10_000_000, 90_000_000);

    /// <summary>A valid Chinese mobile number no other test has used (the per-number code limit is per hour).</summary>
    public static string NewPhone() => $"+86138{Interlocked.Increment(ref _next):D8}";

    /// <summary>The newest code texted to <paramref name="phone"/>, read from the outbox grain (the route is Development-only).</summary>
    public static async Task<string> LatestCode(this FlashSaleApiFactory api, string phone)
    {
        var messages = await api.Services.GetRequiredService<IGrainFactory>().GetGrain<ISandboxSmsOutboxGrain>(phone).List();
        Assert.NotEmpty(messages);
        return SixDigits().Match(messages[^1].Text).Value;
    }

    public static async Task<HttpResponseMessage> RequestCode(this FlashSaleApiFactory api, string phone)
    {
        using var anonymous = api.CreateAnonymousClient();
        return await anonymous.PostAsJsonAsync("/api/auth/codes", new { phone }, ApiJson.Options);
    }

    public static async Task<HttpResponseMessage> PostTokens(this FlashSaleApiFactory api, string phone, string code)
    {
        using var anonymous = api.CreateAnonymousClient();
        return await anonymous.PostAsJsonAsync("/api/auth/tokens", new { phone, code }, ApiJson.Options);
    }

    public static async Task<HttpResponseMessage> PostRefresh(this FlashSaleApiFactory api, string refreshToken)
    {
        using var anonymous = api.CreateAnonymousClient();
        return await anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken }, ApiJson.Options);
    }

    /// <summary>Signs <paramref name="phone"/> in (making its account on first sign-in).</summary>
    public static async Task<SignedIn> SignInByPhone(this FlashSaleApiFactory api, string? phone = null)
    {
        phone ??= NewPhone();
        using var sent = await api.RequestCode(phone);
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        using var signedIn = await api.PostTokens(phone, await api.LatestCode(phone));
        return await signedIn.ReadAs<SignedIn>();
    }

    public static Caller AsCaller(this FlashSaleApiFactory api, SignedIn session) =>
        new(session.AccountId, string.Join(',', session.Roles), session.AccessToken, api.CreateClientWithToken(session.AccessToken));

    /// <summary>
    /// The operator, signed in once per factory (its number has the same hourly code limit as any
    /// other) and refreshed when its access token nears its end.
    /// </summary>
    public static async Task<SignedIn> Operator(this FlashSaleApiFactory api)
    {
        var holder = OperatorSessions.GetValue(api, _ => new OperatorSession());
        await holder.Gate.WaitAsync();
        try
        {
            if (holder.Current is null)
            {
                holder.Current = await api.SignInByPhone(OperatorPhone);
            }
            else if (holder.Current.AccessExpiresAt - TimeProvider.System.GetUtcNow() < TimeSpan.FromMinutes(3))
            {
                using var refreshed = await api.PostRefresh(holder.Current.RefreshToken);
                holder.Current = await refreshed.ReadAs<SignedIn>();
            }

            return holder.Current;
        }
        finally
        {
            holder.Gate.Release();
        }
    }

    /// <summary>An account with a pending application for <paramref name="role"/>.</summary>
    public static async Task<(SignedIn Session, Application Application)> Applicant(this FlashSaleApiFactory api, string role = "seller")
    {
        var session = await api.SignInByPhone();
        using var client = api.CreateClientWithToken(session.AccessToken);
        using var applied = await client.PostAsJsonAsync("/api/applications", new { role, name = "Orchard of Wang", village = "Dangshan" }, ApiJson.Options);
        return (session, await applied.ReadAs<Application>(HttpStatusCode.Accepted));
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<FlashSaleApiFactory, OperatorSession> OperatorSessions = [];

    private sealed class OperatorSession
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public SignedIn? Current { get; set; }
    }

    [GeneratedRegex(@"\d{6}")]
    private static partial Regex SixDigits();
}
