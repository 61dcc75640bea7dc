using System.Security.Claims;
using System.Text.Json.Serialization;
using FlashSale.Accounts;
using FlashSale.Api.Extensions;
using FlashSale.Api.Identity;
using FlashSale.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FlashSale.Api.Accounts;

/// <summary>
/// Sign-in by phone: a one-time code by SMS, then an access token (at most 15 minutes) and a
/// refresh token that rotates on every use. The answer to a code request is the same whether or
/// not the number has an account; codes are limited per number by the engine and per address by
/// the <see cref="RateLimits.Auth"/> limiter.
/// </summary>
public static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Accounts").RequireSaleRateLimit(RateLimits.Auth);
        auth.MapPost("/codes", RequestCode).AllowAnonymous().WithSummary("Send a one-time sign-in code to a phone number");
        auth.MapPost("/tokens", SignIn).AllowAnonymous().WithSummary("Sign in with the phone number and its code");
        auth.MapPost("/refresh", Refresh).AllowAnonymous().WithSummary("A new access token and a new refresh token for the current one");
        auth.MapPost("/sign-out", SignOut).RequireAuthorization().WithSummary("Sign out: the refresh token's family is revoked");
        return app;
    }

    public static async Task<Results<Accepted<CodeSent>, ValidationProblem, ProblemHttpResult>> RequestCode(
        CodeRequestBody request, IGrainFactory grains, HttpResponse response, [FromKeyedServices(FlashSaleClock.Key)] TimeProvider time)
    {
        var errors = new RequestErrors();
        var phone = Phone(errors, request.Phone);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var sent = await grains.GetGrain<IPhoneNumberGrain>(phone!).RequestCode();
        if (sent.ExpiresAt is { } expiresAt)
        {
            return TypedResults.Accepted((string?)null, new CodeSent(expiresAt));
        }

        var wait = sent.RetryAt!.Value - time.GetUtcNow();
        response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problems.Problem(StatusCodes.Status429TooManyRequests, Problems.RateLimited, AccountApiTexts.TooManyCodes);
    }

    public static async Task<Results<Ok<SignedIn>, ValidationProblem, ProblemHttpResult>> SignIn(
        SignInBody request, IGrainFactory grains, AccessTokens tokens)
    {
        var errors = new RequestErrors();
        var phone = Phone(errors, request.Phone);
        if (request.Code is not { Length: AccountRules.CodeDigits } code || !code.All(char.IsAsciiDigit))
        {
            errors.Add("code", AccountApiTexts.NotACode.Format("code"));
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (await grains.GetGrain<IPhoneNumberGrain>(phone!).VerifyCode(request.Code!) is not { } accountId)
        {
            return Problems.Problem(StatusCodes.Status401Unauthorized, Problems.Unauthorized, AccountApiTexts.WrongCode);
        }

        return tokens.Answer(await grains.GetGrain<IAccountGrain>(accountId).StartSession());
    }

    public static async Task<Results<Ok<SignedIn>, ValidationProblem, ProblemHttpResult>> Refresh(
        RefreshBody request, IGrainFactory grains, AccessTokens tokens, AccountStandingCache standing)
    {
        if (RefreshTokens.Parse(request.RefreshToken) is not { } parsed)
        {
            return Problems.Problem(StatusCodes.Status401Unauthorized, Problems.Unauthorized, AccountApiTexts.RefreshRefused);
        }

        var outcome = await grains.GetGrain<IAccountGrain>(parsed.AccountId).Refresh(request.RefreshToken!);
        if (outcome.Refusal == SessionRefusal.Reused)
        {
            standing.Evict(parsed.AccountId); // the family's access tokens stop here at once, elsewhere within 30 s
        }

        return tokens.Answer(outcome);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> SignOut(
        RefreshBody request, ClaimsPrincipal user, IGrainFactory grains, AccountStandingCache standing)
    {
        if (user.AccountId() is not { } accountId)
        {
            return Problems.Problem(StatusCodes.Status403Forbidden, Problems.Forbidden, AccountApiTexts.AccountsOnly);
        }

        if (RefreshTokens.Parse(request.RefreshToken) is not { } parsed)
        {
            return Problems.Problem(StatusCodes.Status401Unauthorized, Problems.Unauthorized, AccountApiTexts.RefreshRefused);
        }

        if (parsed.AccountId != accountId)
        {
            return Problems.Problem(StatusCodes.Status403Forbidden, Problems.Forbidden, AccountApiTexts.NotYourToken);
        }

        // Signing out twice, or with a token of a family already revoked, is still signed out.
        await grains.GetGrain<IAccountGrain>(accountId).SignOut(request.RefreshToken!);
        standing.Evict(accountId);
        return TypedResults.NoContent();
    }

    /// <summary>Checks a phone field and returns it in E.164, or adds the field's error.</summary>
    internal static string? Phone(RequestErrors errors, string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            errors.Add("phone", ApiTexts.Required.Format("phone"));
            return null;
        }

        var normalized = E164.Normalize(phone);
        if (normalized is null)
        {
            errors.Add("phone", AccountApiTexts.NotAPhone.Format("phone"));
        }

        return normalized;
    }
}

/// <summary>Makes an account's access token from a session: its roles now, its role ids, its family.</summary>
public sealed class AccessTokens(TokenService tokens, IOptions<AccountOptions> options)
{
    public Results<Ok<SignedIn>, ValidationProblem, ProblemHttpResult> Answer(SessionOutcome outcome) => outcome switch
    {
        { Session: { } session } => TypedResults.Ok(Issue(session)),
        { Refusal: SessionRefusal.Suspended } => Problems.Problem(StatusCodes.Status403Forbidden, Problems.Forbidden, AccountApiTexts.AccountSuspended),
        _ => Problems.Problem(StatusCodes.Status401Unauthorized, Problems.Unauthorized, AccountApiTexts.RefreshRefused),
    };

    public SignedIn Issue(Session session)
    {
        var account = session.Account;
        var roles = new List<string> { Roles.Shopper };
        var claims = new List<Claim>
        {
            new(CallerIds.ShopperIdClaim, account.ShopperId),
            new(CallerIds.FamilyClaim, session.FamilyId),
        };
        if (account.SellerId is { } sellerId)
        {
            roles.Add(Roles.Seller);
            claims.Add(new Claim(CallerIds.SellerIdClaim, sellerId));
        }

        if (account.AgentId is { } agentId)
        {
            roles.Add(Roles.Agent);
            claims.Add(new Claim(CallerIds.AgentIdClaim, agentId));
        }

        if (options.Value.IsOperator(account.Phone))
        {
            roles.Add(Roles.Operator);
        }

        var access = tokens.Issue(account.AccountId, roles, account.AccountId, options.Value.AccessTokenLifetime, claims);
        return new SignedIn(
            account.AccountId, account.ShopperId, account.SellerId, account.AgentId, roles,
            access.Token, access.ExpiresAt, session.RefreshToken, session.RefreshExpiresAt);
    }
}

public sealed record CodeRequestBody(string? Phone);

public sealed record SignInBody(string? Phone, string? Code);

public sealed record RefreshBody(string? RefreshToken);

public sealed record CodeSent(DateTimeOffset ExpiresAt);

/// <summary>The answer to sign-in and refresh; <c>sellerId</c> and <c>agentId</c> appear once the role is approved.</summary>
public sealed record SignedIn(
    string AccountId,
    string ShopperId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SellerId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AgentId,
    IReadOnlyList<string> Roles,
    string AccessToken,
    DateTimeOffset AccessExpiresAt,
    string RefreshToken,
    DateTimeOffset RefreshExpiresAt);
