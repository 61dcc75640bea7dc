using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace FlashSale.Benchmarks.Catalog;

/// <summary>
/// Issue #18's catalog target: with 10,000 lots, <c>GET /api/lots?limit=50</c> should cost at
/// most twice a single lot read, measured in the same run. The whole API runs in process (the
/// embedded engine in memory, the ASP.NET Core test server, no sockets), so each case is one HTTP
/// request through routing, the catalog view or the lot grain, and JSON. The baseline is
/// <c>GET /api/lots/{lotId}</c>; the Ratio column answers the target.
/// </summary>
[Config(typeof(CatalogBenchmarkConfig))]
[MemoryDiagnoser]
public class CatalogPageBenchmarks : InProcessApiBenchmark
{
    private const int Lots = 10_000;
    private const int SellersNeeded = 100; // the live-lot quota is lifted below, but lots spread over sellers as in a marketplace

    private string _middleCursor = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        Api = InProcessApi.Create(("FlashSale:Limits:MaxLiveLotsPerSeller", Lots.ToString(CultureInfo.InvariantCulture)));
        Http = Api.CreateClient();

        var sellers = new List<string>();
        for (var s = 0; s < SellersNeeded; s++)
        {
            using var signedUp = await Http.PostAsJsonAsync("/api/sellers", new { name = $"Farm {s}" });
            sellers.Add((await signedUp.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!);
        }

        var created = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, Lots), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, cancellationToken) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/lots")
            {
                Content = JsonContent.Create(new { name = $"Lot {i}", unit = "box", priceMinor = 1000 + i, currency = "CNY", quantity = 100, perShopperLimit = 5 }),
            };
            request.Headers.Authorization = new("Bearer", sellers[i % sellers.Count]);
            using var response = await Http.SendAsync(request, cancellationToken);
            response.EnsureSuccessStatusCode();
            if (Interlocked.Increment(ref created) % 1000 == 0)
            {
                Console.WriteLine($"// {created} of {Lots} lots created");
            }
        });

        // The middle of the catalog, for a page far from the start.
        var page = await Http.GetFromJsonAsync<JsonElement>("/api/lots?limit=100");
        BaselineLotId = page.GetProperty("items")[0].GetProperty("lotId").GetString()!;
        var cursor = page.GetProperty("next").GetString()!;
        for (var p = 1; p < Lots / 100 / 2; p++)
        {
            cursor = (await Http.GetFromJsonAsync<JsonElement>($"/api/lots?limit=100&after={cursor}")).GetProperty("next").GetString()!;
        }

        _middleCursor = cursor;
    }

    [Benchmark(Description = "GET /api/lots?limit=50")]
    public Task<string> FirstPage() => Http.GetStringAsync("/api/lots?limit=50");

    [Benchmark(Description = "GET /api/lots?limit=50&after=<middle>")]
    public Task<string> MiddlePage() => Http.GetStringAsync($"/api/lots?limit=50&after={_middleCursor}");

    [Benchmark(Description = "GET /api/lots?limit=50&status=live&currency=CNY")]
    public Task<string> FilteredPage() => Http.GetStringAsync("/api/lots?limit=50&status=live&currency=CNY");
}

/// <summary>In process (no generated project to build), a few minutes on a 2-core machine.</summary>
public sealed class CatalogBenchmarkConfig : ManualConfig
{
    public CatalogBenchmarkConfig()
    {
        AddJob(Job.Default
            .WithId("InProcess")
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(5)
            .WithIterationCount(15)
            .WithGcServer(true));
        AddColumn(BenchmarkDotNet.Columns.StatisticColumn.Median, BenchmarkDotNet.Columns.StatisticColumn.Min);
    }
}
