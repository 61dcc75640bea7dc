using FlashSale.Api.Apis;
using FlashSale.Common;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FlashSale.Api.Payments;

public static class PaymentsApiExtensions
{
    /// <summary>
    /// What the payment routes need in this host besides the providers (which verify webhooks and
    /// which the hosting entry point registers in either mode, <c>AddFlashSaleEngine</c>): the
    /// sandbox gateway's sender, its HTTP client and its clock.
    /// </summary>
    public static WebApplicationBuilder AddFlashSalePaymentsApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SandboxGatewayOptions>().Bind(builder.Configuration.GetSection(SandboxGatewayOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SandboxGatewayOptions>, SandboxOnlyInDevelopment>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddKeyedSingleton<TimeProvider>(SandboxGateway.ClockKey, (sp, _) => sp.GetRequiredService<TimeProvider>());
        services.AddHttpClient(SandboxGateway.HttpClientName)
            .ConfigureHttpClient((sp, client) => client.Timeout = sp.GetRequiredService<IOptions<SandboxGatewayOptions>>().Value.AttemptTimeout);
        services.AddSingleton<SandboxWebhookSender>();
        services.AddHostedService(sp => sp.GetRequiredService<SandboxWebhookSender>());
        return builder;
    }

    /// <summary>The webhook endpoint, the sandbox gateway (when enabled), the village agents' routes and the order's payment record.</summary>
    public static WebApplication MapFlashSalePaymentsApi(this WebApplication app)
    {
        app.MapPaymentWebhooksApi();
        app.MapSandboxGatewayApi();
        app.MapAgentApi();
        app.MapOrderPaymentApi();
        return app;
    }
}

/// <summary>The sandbox can mark payments paid: switching it on outside Development is a mistake the host refuses to start with.</summary>
internal sealed class SandboxOnlyInDevelopment(IHostEnvironment environment) : IValidateOptions<SandboxGatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, SandboxGatewayOptions options) =>
        options.Enabled && !environment.IsDevelopment()
            ? ValidateOptionsResult.Fail($"{SandboxGatewayOptions.Section}:Enabled is true in {environment.EnvironmentName}: the sandbox gateway can mark payments paid and runs only in Development.")
            : ValidateOptionsResult.Success;
}
