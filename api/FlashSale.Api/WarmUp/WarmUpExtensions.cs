using FlashSale.Cluster;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FlashSale.Api.WarmUp;

public static class WarmUpExtensions
{
    /// <summary><c>GET /health/warm-up</c>: 200 once the cluster can serve and this host's warm-up has ended.</summary>
    public const string HealthPath = "/health/warm-up";

    /// <summary>The surge-path warm-up, run once the host listens (<see cref="SurgePathWarmUp"/>).</summary>
    public static WebApplicationBuilder AddSurgePathWarmUp(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WarmUpOptions>().Bind(builder.Configuration.GetSection(WarmUpOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.MinRequests <= o.MaxRequests, "FlashSale:WarmUp: MinRequests must not exceed MaxRequests")
            .ValidateOnStart();
        builder.Services.AddSingleton<SurgePathWarmUp>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SurgePathWarmUp>());
        return builder;
    }

    /// <summary>
    /// Maps <see cref="HealthPath"/> beside <c>/health</c>, which keeps the contract's meaning (the
    /// cluster can serve). A load balancer that should hold a new host's traffic until it is warm,
    /// or a benchmark that must not overlap the warm-up, waits on this one instead. It answers as
    /// <c>/health</c> does (text <c>Healthy</c> or <c>Unhealthy</c>), but is not a health check
    /// itself: the health-check service would log every poll during the warm-up as a failure.
    /// </summary>
    public static WebApplication MapSurgePathWarmUp(this WebApplication app)
    {
        app.MapGet(HealthPath, Warm).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task<ContentHttpResult> Warm(SurgePathWarmUp warmUp, HealthCheckService health, CancellationToken cancellationToken)
    {
        var cluster = await health.CheckHealthAsync(check => check.Tags.Contains(Observability.ReadyTag), cancellationToken);
        return cluster.Status != HealthStatus.Unhealthy && warmUp.Completion.IsCompleted
            ? TypedResults.Text(nameof(HealthStatus.Healthy), "text/plain")
            : TypedResults.Text(nameof(HealthStatus.Unhealthy), "text/plain", statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
