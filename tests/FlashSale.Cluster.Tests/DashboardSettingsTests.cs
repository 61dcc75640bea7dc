using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;

namespace FlashSale.Cluster.Tests;

/// <summary>The dashboard's sampling interval: 10 s unless configured, and a value it cannot honour refused at start.</summary>
public sealed class DashboardSettingsTests
{
    private static DashboardOptions Options(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        builder.UseOrleans(silo => silo.UseLocalhostClustering().AddFlashSaleDashboard(builder.Configuration));
        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptions<DashboardOptions>>().Value;
    }

    [Fact]
    public void The_dashboard_samples_every_ten_seconds_unless_configured()
    {
        Assert.Equal(10_000, Options().CounterUpdateIntervalMs);
        Assert.Equal(2_000, Options(("FlashSale:Dashboard:CounterUpdateIntervalMs", "2000")).CounterUpdateIntervalMs);
    }

    [Theory]
    [InlineData("999")]
    [InlineData("600001")]
    public void An_interval_the_dashboard_cannot_honour_is_refused(string interval)
    {
        var refused = Assert.Throws<OptionsValidationException>(() => Options(("FlashSale:Dashboard:CounterUpdateIntervalMs", interval)));
        Assert.Contains("FlashSale:Dashboard:CounterUpdateIntervalMs", refused.Message, StringComparison.Ordinal);
    }
}
