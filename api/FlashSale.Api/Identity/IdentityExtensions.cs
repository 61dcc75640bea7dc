using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FlashSale.Api.Identity;

public static class IdentityExtensions
{
    public static WebApplicationBuilder AddFlashSaleIdentity(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(TokenOptions.Section).Get<TokenOptions>() ?? new TokenOptions();
        if (options.SigningKey.Length < 32)
        {
            throw new InvalidOperationException($"{TokenOptions.Section}:SigningKey must be at least 32 characters.");
        }

        builder.Services.Configure<TokenOptions>(builder.Configuration.GetSection(TokenOptions.Section));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<TokenService>();
        builder.Services
            .AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(jwt =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = options.Issuer,
                    ValidAudience = options.Issuer,
                    IssuerSigningKey = TokenService.KeyFrom(options),
                    NameClaimType = JwtRegisteredClaimNames.Name,
                    RoleClaimType = ClaimTypes.Role,
                    ClockSkew = TimeSpan.FromMinutes(1),
                };
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
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Seller, p => p.RequireRole(Roles.Seller))
            .AddPolicy(Roles.Shopper, p => p.RequireRole(Roles.Shopper))
            .AddPolicy(Roles.Agent, p => p.RequireRole(Roles.Agent));
        return builder;
    }

    /// <summary>The caller's id (seller, shopper or agent), from the token's subject.</summary>
    public static string UserId(this ClaimsPrincipal user) =>
        user.FindFirstValue(JwtRegisteredClaimNames.Sub) ?? throw new InvalidOperationException("An authenticated caller has a subject.");
}
