using System.Security.Claims;
using FlashSale.Api.Security;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FlashSale.Api.Identity;

public static class IdentityExtensions
{
    public static WebApplicationBuilder AddFlashSaleIdentity(this WebApplicationBuilder builder)
    {
        builder.AddInstallationSecrets();
        builder.Services.AddOptions<TokenOptions>().Bind(builder.Configuration.GetSection(TokenOptions.Section));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<TokenService>();
        builder.Services.AddOptions<ValidatedTokenCacheOptions>().Bind(builder.Configuration.GetSection(ValidatedTokenCacheOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(services => new ValidatedTokenCache(
            new JsonWebTokenHandler { MapInboundClaims = false },
            services.GetRequiredService<IOptions<ValidatedTokenCacheOptions>>(),
            services.GetRequiredService<TimeProvider>()));
        builder.Services
            .AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(jwt =>
            {
                jwt.MapInboundClaims = false;
                jwt.Events = new JwtBearerEvents
                {
                    // SignalR clients cannot set headers on WebSockets: the token rides in the query.
                    OnMessageReceived = ctx =>
                    {
                        if (ctx.Request.Query.TryGetValue("access_token", out var token) && ctx.HttpContext.Request.Path.StartsWithSegments("/hubs", StringComparison.Ordinal))
                        {
                            ctx.Token = token;
                        }

                        return Task.CompletedTask;
                    },
                };
            });

        // The keys come from the validated options (configured, or generated in Development),
        // so they are read when the first token is checked, not while the host is being built.
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<TokenOptions>, ValidatedTokenCache>((jwt, tokens, cache) =>
            {
                // One handler, which remembers the tokens it has validated (see ValidatedTokenCache).
                jwt.TokenHandlers.Clear();
                jwt.TokenHandlers.Add(cache);
                jwt.TokenValidationParameters = TokenService.ValidationParameters(tokens.Value);
            });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Seller, p => p.RequireRole(Roles.Seller))
            .AddPolicy(Roles.Shopper, p => p.RequireRole(Roles.Shopper))
            .AddPolicy(Roles.Agent, p => p.RequireRole(Roles.Agent))
            .AddPolicy(Apis.SandboxGatewayApi.SandboxPayer, p => p.RequireRole(Roles.Shopper, Roles.Agent))
            .AddPolicy(Roles.Operator, p => p.RequireRole(Roles.Operator));
        return builder;
    }

    /// <summary>The caller's id (seller, shopper or agent), from the token's subject.</summary>
    public static string UserId(this ClaimsPrincipal user) =>
        user.FindFirstValue(JwtRegisteredClaimNames.Sub) ?? throw new InvalidOperationException("An authenticated caller has a subject.");
}
