using FlashSale.Api.Extensions;
using FlashSale.Api.Identity;
using FlashSale.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FlashSale.Api.Apis;

/// <summary>
/// The demo sign-up: each call creates an identity and returns its bearer token. Anyone may call
/// it, so it is mapped only in Development; in Production its routes answer 404 and identities
/// come from the installation's own sign-in.
/// </summary>
public static class IdentityApi
{
    public static WebApplication MapIdentityApi(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            return app;
        }

        var api = app.MapGroup("/api").WithTags("Identity").AllowAnonymous().RequireSaleRateLimit(RateLimits.SignUp);
        api.MapPost("/sellers", SignUpSeller).WithSummary("Sign up as a seller");
        api.MapPost("/shoppers", SignUpShopper).WithSummary("Sign up as a shopper");
        api.MapPost("/agents", SignUpAgent).WithSummary("Sign up as a village agent");
        return app;
    }

    public static Results<Created<SellerSignedUp>, ValidationProblem> SignUpSeller(SignUpSellerRequest request, TokenService tokens)
    {
        var errors = new RequestErrors().Text("name", request.Name).Text("village", request.Village, required: false);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var sellerId = Ids.New(Ids.SellerPrefix);
        return TypedResults.Created((string?)null, new SellerSignedUp(sellerId, tokens.Issue(sellerId, Roles.Seller, request.Name!)));
    }

    public static Results<Created<ShopperSignedUp>, ValidationProblem> SignUpShopper(SignUpShopperRequest request, TokenService tokens)
    {
        var errors = new RequestErrors().Text("name", request.Name).Text("region", request.Region, required: false);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var shopperId = Ids.New(Ids.ShopperPrefix);
        return TypedResults.Created((string?)null, new ShopperSignedUp(shopperId, tokens.Issue(shopperId, Roles.Shopper, request.Name!)));
    }

    public static async Task<Results<Created<AgentSignedUp>, ValidationProblem>> SignUpAgent(SignUpAgentRequest request, TokenService tokens, IGrainFactory grains)
    {
        var errors = new RequestErrors().Text("name", request.Name).Text("village", request.Village);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var agentId = Ids.New(Ids.AgentPrefix);
        // A demo agent is approved at once, and its service point exists from sign-up.
        await grains.GetGrain<global::FlashSale.Fulfilment.IPickupPointDirectoryGrain>(0).Register(agentId, request.Name!.Trim(), request.Village!.Trim());
        return TypedResults.Created((string?)null, new AgentSignedUp(agentId, tokens.Issue(agentId, Roles.Agent, request.Name!)));
    }
}

public sealed record SignUpSellerRequest(string? Name, string? Village);

public sealed record SignUpShopperRequest(string? Name, string? Region);

public sealed record SignUpAgentRequest(string? Name, string? Village);

public sealed record SellerSignedUp(string SellerId, string Token);

public sealed record ShopperSignedUp(string ShopperId, string Token);

public sealed record AgentSignedUp(string AgentId, string Token);
