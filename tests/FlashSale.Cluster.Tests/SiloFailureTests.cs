using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using FlashSale.Cluster.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FlashSale.Cluster.Tests;

/// <summary>
/// Fault tests against a real local cluster (Redis, three silo processes, an API process): a surge
/// of holds, checkouts and cancellations while a silo is SIGKILLed and restarted, then a restart of
/// every silo. Afterwards every lot keeps its invariant, every acknowledged hold and order is there,
/// and the counts agree with the carts and orders. The fault schedule comes from a seed that is
/// printed; <c>FLASHSALE_FAULT_SEED</c> replays it.
/// </summary>
public sealed class SiloFailureTests(ITestOutputHelper output)
{
    private const int LotCount = 3;
    private const int Shoppers = 30;
    private const int MaxPerShopper = 3;
    private static readonly TimeSpan SurgeLength = TimeSpan.FromSeconds(12);
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_surge_survives_a_silo_killed_and_restarted_and_then_a_restart_of_all_silos()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("FLASHSALE_FAULT_SEED"), out var s) ? s : Random.Shared.Next();
        output.WriteLine($"fault seed {seed} (FLASHSALE_FAULT_SEED={seed} replays this schedule)");
        var random = new Random(seed);

        await using var cluster = await LocalCluster.StartAsync(silos: 3, apis: 1);
        using var api = new SaleClient(cluster.Apis[0].BaseAddress);
        var (_, sellerToken) = await api.SignUp("seller", "Orchard co-op");
        var lots = new List<string>();
        for (var i = 0; i < LotCount; i++)
        {
            var created = await api.Send(HttpMethod.Post, "/api/lots", sellerToken,
                new { name = $"Pears {i}", unit = "box", priceMinor = 500, currency = "CNY", quantity = 150, perShopperLimit = MaxPerShopper });
            Assert.Equal(Outcome.Done, created.Outcome);
            lots.Add(created.Body!["lotId"]!.GetValue<string>());
        }

        var shoppers = new List<ShopperLedger>();
        for (var i = 0; i < Shoppers; i++)
        {
            var (id, token) = await api.SignUp("shopper", $"Shopper {i}");
            shoppers.Add(new ShopperLedger(id, token, random.Next(), MaxPerShopper));
        }

        // The fault: one silo, chosen by the seed, dies part-way through the surge and comes back.
        var victim = cluster.Silos[random.Next(cluster.Silos.Count)];
        var killAfter = TimeSpan.FromMilliseconds(random.Next(2000, 4000));
        var downFor = TimeSpan.FromMilliseconds(random.Next(2000, 5000));
        output.WriteLine($"schedule: SIGKILL {victim.Name} after {killAfter.TotalSeconds:0.0}s, restart it {downFor.TotalSeconds:0.0}s later");

        var clock = Stopwatch.StartNew();
        var surge = Task.WhenAll(shoppers.Select(shopper => Surge.Shop(api, shopper, lots, () => clock.Elapsed < SurgeLength)));
        await Task.Delay(killAfter);
        await victim.Kill();
        var killedAt = clock.Elapsed;
        await Task.Delay(downFor);
        victim.Start();
        await victim.WaitHealthy(RecoveryBound);
        await surge;

        var unknown = shoppers.Sum(x => x.Unknown);
        var done = shoppers.Sum(x => x.Done);
        output.WriteLine($"surge: {done} acknowledged, {shoppers.Sum(x => x.Refused)} refused, {unknown} unanswered (during the failure)");
        var recovered = await Surge.RecoveryTime(api, lots, clock, RecoveryBound);
        output.WriteLine($"every lot answered again {(recovered - killedAt).TotalSeconds:0.0}s after the kill");

        var before = await Surge.Settled(api, lots, shoppers);

        // Every silo dies at once and comes back: nothing acknowledged may be lost.
        await Task.WhenAll(cluster.Silos.Select(n => n.Kill()));
        foreach (var silo in cluster.Silos)
        {
            silo.Start();
        }

        await Task.WhenAll(cluster.Silos.Select(n => n.WaitHealthy(RecoveryBound)));
        await Surge.RecoveryTime(api, lots, clock, RecoveryBound);
        var after = await Surge.Verify(api, lots, shoppers);
        Assert.Equal(before, after);
    }
}
