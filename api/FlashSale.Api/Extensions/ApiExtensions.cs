using System.Text.Json.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using FlashSale.Api.Seeding;
using FlashSale.Cluster;
using FlashSale.Common;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Dashboard;

namespace FlashSale.Api.Extensions;

public static class ApiExtensions
{
    /// <summary>JSON as the contract wants it: camelCase, enums in kebab case (<c>sold-out</c>).</summary>
    public static void ConfigureContractJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.Converters.Add(new UtcTimeConverter());

        // {"quantity":1,"quantity":1000}: one reader sees 1, another 1000. A body whose meaning
        // depends on the parser is refused (400) rather than read as its last key.
        options.AllowDuplicateProperties = false;

        // The web defaults read "5" as 5; the contract's numbers are JSON numbers, and a string
        // where one belongs is a client's bug to be told of (400), not guessed at.
        options.NumberHandling = JsonNumberHandling.Strict;
    }

    /// <summary>
    /// An order's <c>payment.instructions</c> is written in the request's language: the payment
    /// keeps its English and Chinese texts side by side, and the JSON shows the reader's one
    /// under the contract's single field name (the Chinese field itself is never written, nor the
    /// Swahili one, which only the phone channel reads).
    /// </summary>
    public static void PaymentInstructionsInReadersLanguage(JsonTypeInfo info)
    {
        if (info.Type != typeof(Orders.OrderPayment))
        {
            return;
        }

        foreach (var property in info.Properties)
        {
            var name = (property.AttributeProvider as System.Reflection.MemberInfo)?.Name;
            if (name is nameof(Orders.OrderPayment.InstructionsZhCn) or nameof(Orders.OrderPayment.InstructionsSw))
            {
                property.ShouldSerialize = (_, _) => false;
            }
            else if (name == nameof(Orders.OrderPayment.Instructions))
            {
                property.Get = payment => ((Orders.OrderPayment)payment).InstructionsIn(System.Globalization.CultureInfo.CurrentUICulture);
            }
        }
    }

    public static WebApplicationBuilder AddFlashSaleApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.ConfigureHttpJsonOptions(o =>
        {
            ConfigureContractJson(o.SerializerOptions);
            o.SerializerOptions.TypeInfoResolver = (o.SerializerOptions.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver())
                .WithAddedModifier(PaymentInstructionsInReadersLanguage);
        });
        builder.AddFlashSaleRequestLanguages();
        services.AddSingleton<IProblemDetailsWriter, ContractProblemWriter>(); // ahead of the default writer
        services.TryAddKeyedSingleton(FlashSaleClock.Key, TimeProvider.System);
        services.AddOptions<MoneyLimitOptions>().Bind(builder.Configuration.GetSection(MoneyLimitOptions.Section)); // lot creation judges it here too
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            // Framework-made problems (a bad body, an unknown route, a failed challenge) get the
            // contract's type for their status; problems we made already carry one.
            var problem = ctx.ProblemDetails;
            var status = problem.Status ?? ctx.HttpContext.Response.StatusCode;
            if (problem.Type is null || !problem.Type.StartsWith(Problems.TypePrefix, StringComparison.Ordinal))
            {
                var code = Problems.CodeForStatus(status);
                problem.Type = Problems.TypeOf(code);
                problem.Title = Problems.TitleOf(code);
            }

            problem.Instance ??= ctx.HttpContext.Request.Path;
        });
        services.AddExceptionHandler<EngineExceptionHandler>();
        services.AddOpenApi();
        services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster", tags: [Observability.ReadyTag]);
        services.AddFlashSaleObservability(builder.Configuration, "flashsale-api");
        builder.AddFlashSaleRateLimits();
        builder.AddTrustedProxies();
        builder.AddOperationsEndpoints();
        builder.AddEngineDeadline();
        services.AddSingleton<DemoSaleSeeder>();
        services.AddHostedService(sp => sp.GetRequiredService<DemoSaleSeeder>());
        services.AddHostedService<StartupBanner>();
        return builder;
    }

    public static WebApplication UseFlashSaleApi(this WebApplication app)
    {
        app.UseTrustedProxies(); // before anything reads the client's address or scheme
        app.UseSecurityHeaders(); // on every answer, refusals included
        app.UseOperationsGate(); // its 404 is in the default language: no reader of /metrics needs another

        // The culture it sets flows only inward, and every problem written further in, by the
        // exception handler and the status-code pages too, is in the request's language.
        app.UseRequestLocalization();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<JsonBodiesOnly>();
        app.UseMiddleware<LogScopes>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseFlashSaleRateLimits(); // after authentication: callers are limited by who they are
        app.UseRequestTimeouts(); // the engine deadline: asking the rate limits' store does not count
        return app;
    }

    public static WebApplication MapOperationsApi(this WebApplication app)
    {
        app.MapFlashSaleObservability();
        app.MapOrleansDashboard(routePrefix: "/dashboard");

        // The HTTP ceiling for the load tests: the same host and middleware as every route, and
        // no engine call, so "hot-lot holds per second ÷ pings per second" shows what the engine costs.
        app.MapGet("/ping", () => TypedResults.Text("pong")).AllowAnonymous().WithTags("Operations").WithSummary("A trivial answer, for load-test baselines");
        app.MapOpenApi();
        Scalar.AspNetCore.ScalarEndpointRouteBuilderExtensions.MapScalarApiReference(app, "/api-docs");
        return app;
    }
}
