using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Dashboard;

namespace FlashSale.Cluster;

/// <summary>
/// The Orleans dashboard on every host, with its settings bound from <c>FlashSale:Dashboard</c>
/// (the dashboard's own <see cref="DashboardOptions"/>) and checked at start. The one FlashSale
/// sets is how often the dashboard samples its counters: each sample walks every activation on
/// the silo (Orleans' request-count gauge), every second by the dashboard's default, whether or
/// not anyone has the page open. At a sale's opening a silo holds tens of thousands of
/// activations (a USSD session, a phone number and a cart per handset), and sampling every second
/// measured as several percent of the host's CPU (docs/benchmarks.md). Every 10 s is often enough
/// for a page a person reads.
/// </summary>
public static class DashboardSettings
{
    public const string Section = "FlashSale:Dashboard";

    public const int DefaultCounterUpdateIntervalMs = 10_000;

    public static ISiloBuilder AddFlashSaleDashboard(this ISiloBuilder silo, IConfiguration configuration)
    {
        Validate(silo.Services);
        return silo.AddDashboard(options => Bind(configuration, options));
    }

    public static IClientBuilder AddFlashSaleDashboard(this IClientBuilder client, IConfiguration configuration)
    {
        Validate(client.Services);
        return client.AddDashboard(options => Bind(configuration, options));
    }

    private static void Bind(IConfiguration configuration, DashboardOptions options)
    {
        options.CounterUpdateIntervalMs = DefaultCounterUpdateIntervalMs;
        configuration.GetSection(Section).Bind(options);
    }

    private static void Validate(IServiceCollection services) =>
        services.AddOptions<DashboardOptions>()
            .Validate(o => o.CounterUpdateIntervalMs is >= 1_000 and <= 600_000, $"{Section}:CounterUpdateIntervalMs must be 1000 to 600000 (the dashboard samples at most once a second).")
            .ValidateOnStart();
}
