using FlashSale.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace FlashSale.Cluster;

/// <summary>
/// What every FlashSale host (an API node or a silo) exposes about itself: OpenTelemetry metrics
/// for Prometheus at <c>/metrics</c> (the engine's <c>flashsale_*</c> instruments, Orleans',
/// ASP.NET Core's and the runtime's), traces from HTTP requests into grain calls (recorded and
/// exported over OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set), and health split into
/// live and ready.
/// </summary>
public static class Observability
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddFlashSaleObservability(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            .WithMetrics(metrics => metrics
                .AddMeter(FlashSaleMetrics.MeterName, "Microsoft.Orleans")
                .AddAspNetCoreInstrumentation()
                // The exceptions counter's error.type is the exception's type name (engine internals,
                // unbounded series on a scrape endpoint); its handled/unhandled result is what it tells.
                .AddView("aspnetcore.diagnostics.exceptions", new MetricStreamConfiguration { TagKeys = ["aspnetcore.diagnostics.exception.result"] })
                // ASP.NET Core 10's authentication and authorization meters tag a failure with the
                // exception's type name too (a forged token's, say); each keeps what it counts by.
                .AddView("aspnetcore.authentication.authenticate.duration", new MetricStreamConfiguration { TagKeys = ["aspnetcore.authentication.scheme", "aspnetcore.authentication.result"] })
                .AddView("aspnetcore.authentication.challenges", new MetricStreamConfiguration { TagKeys = ["aspnetcore.authentication.scheme"] })
                .AddView("aspnetcore.authentication.forbids", new MetricStreamConfiguration { TagKeys = ["aspnetcore.authentication.scheme"] })
                .AddView("aspnetcore.authorization.attempts", new MetricStreamConfiguration { TagKeys = ["user.is_authenticated", "aspnetcore.authorization.policy", "aspnetcore.authorization.result"] })
                .AddRuntimeInstrumentation()
                // The runtime's exception counter is tagged with each exception's type name; the count is kept.
                .AddView("dotnet.exceptions", new MetricStreamConfiguration { TagKeys = [] })
                .AddPrometheusExporter());

        // Spans are recorded only where they go somewhere. With no exporter, a tracer provider
        // still sampled and built a span for every request and grain call, for spans nobody could
        // read (the CPU profile in docs/benchmarks.md measures what that cost).
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter());
        }

        return services;
    }

    /// <summary><c>/metrics</c>, and <c>/health/live</c> (the process answers) beside <c>/health/ready</c> and <c>/health</c> (the cluster serves).</summary>
    public static IEndpointRouteBuilder MapFlashSaleObservability(this IEndpointRouteBuilder app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        var ready = new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResultStatusCodes = { [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable },
        };
        app.MapHealthChecks("/health", ready);
        app.MapHealthChecks("/health/ready", ready);
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        return app;
    }
}
