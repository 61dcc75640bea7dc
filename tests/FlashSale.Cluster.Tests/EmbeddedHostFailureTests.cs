using System.Diagnostics;
using System.Globalization;
using FlashSale.Cluster.Embedded;
using FlashSale.Cluster.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FlashSale.Cluster.Tests;

/// <summary>
/// The run command's host (the API with its embedded silo and Garnet) on a data folder, SIGKILLed
/// at random moments of a hold and checkout surge and restarted on the same folder, several times.
/// After each restart: every lot keeps its invariant, every acknowledged hold and order is there
/// with its acknowledged status, and nothing refused is (the audit of <see cref="Surge.Verify"/>).
/// The kill points come from a seed that is printed; <c>FLASHSALE_FAULT_SEED</c> replays them.
/// </summary>
public sealed class EmbeddedHostFailureTests(ITestOutputHelper output) : IDisposable
{
    private const int KillPoints = 5;
    private const int LotCount = 3;
    private const int Shoppers = 20;
    private const int MaxPerShopper = 3;
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(60);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "flashsale-embedded-fault-" + Guid.NewGuid().ToString("N"));
    private bool _passed;

    public void Dispose()
    {
        // A failed run keeps its data folder (its path is in the test's output): the store's
        // files are the evidence of what was lost and where.
        if (_passed && Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task Nothing_acknowledged_is_lost_across_SIGKILLs_at_random_moments_of_a_surge()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("FLASHSALE_FAULT_SEED"), out var s) ? s : Random.Shared.Next();
        output.WriteLine($"fault seed {seed} (FLASHSALE_FAULT_SEED={seed} replays this schedule); data folder {_folder}, kept if the test fails");
        var random = new Random(seed);

        var api = NodeProcess.Locate("api/FlashSale.Api", "FlashSale.Api");
        var http = LoopbackPorts.Unused();
        await using var host = new NodeProcess("embedded", api.Assembly, api.ProjectDirectory,
            ["--data", _folder, $"--urls=http://127.0.0.1:{http.ToString(CultureInfo.InvariantCulture)}", "--no-demo"], http);
        host.Start();
        await host.WaitHealthy(StartBound);

        using var client = new SaleClient(host.BaseAddress);
        var (_, sellerToken) = await client.SignUp("seller", "Orchard co-op");
        var lots = new List<string>();
        for (var i = 0; i < LotCount; i++)
        {
            var created = await client.Send(HttpMethod.Post, "/api/lots", sellerToken,
                new { name = $"Pears {i}", unit = "box", priceMinor = 500, currency = "CNY", quantity = 400, perShopperLimit = MaxPerShopper });
            Assert.Equal(Outcome.Done, created.Outcome);
            lots.Add(created.Body!["lotId"]!.GetValue<string>());
        }

        var shoppers = new List<ShopperLedger>();
        for (var i = 0; i < Shoppers; i++)
        {
            var (id, token) = await client.SignUp("shopper", $"Shopper {i}");
            shoppers.Add(new ShopperLedger(id, token, random.Next(), MaxPerShopper));
        }

        for (var round = 1; round <= KillPoints; round++)
        {
            // A short surge, and a kill at a moment inside it: the shoppers' requests after it go
            // unanswered until the surge ends, as they would for a crashed machine.
            var surgeLength = TimeSpan.FromMilliseconds(random.Next(1500, 3000));
            var killAfter = TimeSpan.FromMilliseconds(random.Next(200, (int)surgeLength.TotalMilliseconds));
            var clock = Stopwatch.StartNew();
            var surge = Task.WhenAll(shoppers.Select(shopper => Surge.Shop(client, shopper, lots, () => clock.Elapsed < surgeLength)));
            await Task.Delay(killAfter);
            await host.Kill();
            await surge;
            output.WriteLine($"round {round}: SIGKILL after {killAfter.TotalSeconds:0.00}s of a {surgeLength.TotalSeconds:0.00}s surge; so far {shoppers.Sum(x => x.Done)} acknowledged, {shoppers.Sum(x => x.Refused)} refused, {shoppers.Sum(x => x.Unknown)} unanswered");

            host.Start();
            await host.WaitHealthy(StartBound);
            await Surge.RecoveryTime(client, lots, clock, StartBound);
            await Surge.Verify(client, lots, shoppers);
        }

        _passed = true;
    }
}
