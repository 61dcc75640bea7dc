using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FlashSale.Benchmarks;

/// <summary>
/// The whole API in this process, for a benchmark of its requests: the embedded engine in memory,
/// the ASP.NET Core test server (no sockets), Development (the sandbox routes), no demo sale, no
/// rate limits, warnings only in the log.
/// </summary>
internal static class InProcessApi
{
    public static WebApplicationFactory<Program> Create(params (string Key, string Value)[] settings)
    {
        // The factory looks for the API's folder beside a solution file above this assembly, which
        // --artifacts-path puts elsewhere; it is named instead (the benchmarks run from the repository).
        var apiFolder = Path.Combine(Directory.GetCurrentDirectory(), "api", "FlashSale.Api");
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_FLASHSALE_API", Directory.Exists(apiFolder) ? apiFolder : Directory.GetCurrentDirectory());
        return new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("FlashSale:Data:InMemory", "true");
            builder.UseSetting("FlashSale:Demo:Seed", "false");
            builder.UseSetting("FlashSale:RateLimits:Enabled", "false");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });
    }
}

/// <summary>
/// A benchmark of the in-process API's requests, against the same baseline in every class: one
/// lot read (<c>GET /api/lots/{lotId}</c>, one grain call), so each class's Ratio column reads as
/// "so many lot reads".
/// </summary>
public abstract class InProcessApiBenchmark
{
    protected WebApplicationFactory<Program> Api { get; set; } = null!;

    protected HttpClient Http { get; set; } = null!;

    /// <summary>The lot the baseline reads; a class's setup creates it.</summary>
    protected string BaselineLotId { get; set; } = null!;

    [GlobalCleanup]
    public async Task Cleanup()
    {
        Http.Dispose();
        await Api.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "GET /api/lots/{lotId}")]
    public Task<string> OneLot() => Http.GetStringAsync($"/api/lots/{BaselineLotId}");
}
