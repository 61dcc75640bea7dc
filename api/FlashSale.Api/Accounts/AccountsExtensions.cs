using FlashSale.Api.Identity;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace FlashSale.Api.Accounts;

public static class AccountsExtensions
{
    /// <summary>
    /// Sign-in by phone: options (validated at start) and the check that
    /// refuses an account's access token once its account is suspended or its family revoked.
    /// </summary>
    public static WebApplicationBuilder AddFlashSaleAccounts(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AccountOptions>().Bind(builder.Configuration.GetSection(AccountOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<AccountOptions>, AccountOptionsValidation>();
        services.AddSingleton<AccountStandingCache>();
        services.AddSingleton<AccessTokens>();

        // Added to whatever the identity setup does on a validated token, not in place of it.
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt =>
        {
            jwt.Events ??= new JwtBearerEvents();
            var before = jwt.Events.OnTokenValidated;
            jwt.Events.OnTokenValidated = async ctx =>
            {
                await before(ctx);
                if (ctx.Result is null && ctx.Principal?.FindFirst(CallerIds.FamilyClaim)?.Value is { } familyId
                    && ctx.Principal.AccountId() is { } accountId)
                {
                    var standing = await ctx.HttpContext.RequestServices.GetRequiredService<AccountStandingCache>().Get(accountId);
                    if (!standing.Admits(familyId))
                    {
                        ctx.Fail(AccountApiTexts.TokenRevoked.En);
                    }
                }
            };
        });
        return builder;
    }

    public static WebApplication MapFlashSaleAccounts(this WebApplication app)
    {
        app.MapAuthApi();
        app.MapApplicationsApi();
        app.MapOperatorApi();
        app.MapSandboxSmsApi();
        return app;
    }
}
