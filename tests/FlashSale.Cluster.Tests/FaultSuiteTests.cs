using System.Globalization;
using System.Net;
using FlashSale.Cluster.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FlashSale.Cluster.Tests;

/// <summary>
/// The fault suite: one fault at a time, mid-surge, against a real local cluster (a private Redis
/// with <c>appendfsync always</c>, silo and API processes), as an operator would meet it. Each
/// scenario ends with the full audit (nothing acknowledged lost, every lot's invariant, carts and
/// orders equal to the lots' counts), prints the count of each status the clients saw and the
/// longest time with no successful hold after the fault, and fails on any 500 or on a 503 without
/// <c>Retry-After</c>. The schedule comes from a printed seed (<c>FLASHSALE_FAULT_SEED</c> replays
/// it); <c>FLASHSALE_FAULT_SCALE=N</c> runs N times the shoppers, on demand.
/// </summary>
public sealed class FaultSuiteTests(ITestOutputHelper output)
{
    private const int LotCount = 2;
    private const int MaxPerShopper = 3;
    private static readonly int Scale = int.TryParse(Environment.GetEnvironmentVariable("FLASHSALE_FAULT_SCALE"), out var s) && s > 0 ? s : 1;
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(60);

    /// <summary>How long the surge goes on after the fault is over, so recovery shows in the figures.</summary>
    private static readonly TimeSpan SurgeAfterFault = TimeSpan.FromSeconds(6);

    [Fact]
    public Task Redis_killed_mid_surge_and_restarted() => Run("SIGKILL Redis, restart it after 4 s", silos: 2, apis: 1, async fault =>
    {
        await fault.Cluster.Redis.Kill();
        await Task.Delay(TimeSpan.FromSeconds(4));
        await fault.Cluster.Redis.Restart();
    });

    /// <summary>
    /// The issue's worst case: the silo that hosts a lot stops answering. Its lot is served again
    /// once membership declares the silo dead (a missed direct probe, then a failed indirect one
    /// through a third silo) and the lot activates on another silo; the report gives that lot's
    /// longest time with no hold decided.
    /// </summary>
    [Fact]
    public Task The_silo_of_a_lot_paused_and_resumed() => Run("SIGSTOP the silo of a lot for 8 s, then SIGCONT", silos: 3, apis: 1, async fault =>
    {
        var lot = fault.Lots[0];
        var victim = fault.Cluster.Silos.SingleOrDefault(n => n.Logged($"Lot {lot} is active on silo"));
        Assert.True(victim is not null, $"exactly one silo logged that it hosts {lot}");
        output.WriteLine($"pausing {victim.Name}, the silo of {lot}");
        fault.Watch(lot);
        victim.Pause();
        await Task.Delay(TimeSpan.FromSeconds(8));
        victim.Resume();
    });

    [Fact]
    public Task Every_silo_killed_and_restarted() => Run("SIGKILL every silo, restart them after 4 s", silos: 2, apis: 1, async fault =>
    {
        await Task.WhenAll(fault.Cluster.Silos.Select(n => n.Kill()));
        await Task.Delay(TimeSpan.FromSeconds(4));
        foreach (var silo in fault.Cluster.Silos)
        {
            silo.Start();
        }

        await Task.WhenAll(fault.Cluster.Silos.Select(n => n.WaitHealthy(RecoveryBound)));
    });

    [Fact]
    public Task An_api_node_terminated_under_load() => Run("SIGTERM one of two API nodes behind a balancer", silos: 2, apis: 2, async fault =>
    {
        var victim = fault.Cluster.Apis[fault.Random.Next(fault.Cluster.Apis.Count)];
        output.WriteLine($"terminating {victim.Name}");
        await victim.Terminate(); // returns when the process has exited: its in-flight requests were answered first
    });

    private async Task Run(string fault, int silos, int apis, Func<Fault, Task> inject)
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("FLASHSALE_FAULT_SEED"), out var given) ? given : Random.Shared.Next();
        output.WriteLine($"{fault}: seed {seed} (FLASHSALE_FAULT_SEED={seed} replays it), scale {Scale}");
        var random = new Random(seed);

        await using var cluster = await LocalCluster.StartAsync(silos, apis);
        await using var balancer = new TcpBalancer(cluster.Apis.Select(a => a.HttpPort).ToList());
        using var api = new SaleClient(balancer.BaseAddress);
        var (_, sellerToken) = await api.SignUp("seller", "Orchard co-op");
        var lots = new List<string>();
        for (var i = 0; i < LotCount; i++)
        {
            var created = await api.Send(HttpMethod.Post, "/api/lots", sellerToken,
                new { name = $"Pears {i}", unit = "box", priceMinor = 500, currency = "CNY", quantity = 100 * Scale, perShopperLimit = MaxPerShopper });
            Assert.Equal(Outcome.Done, created.Outcome);
            lots.Add(created.Body!["lotId"]!.GetValue<string>());
        }

        var shoppers = new List<ShopperLedger>();
        for (var i = 0; i < 12 * Scale; i++)
        {
            var (id, token) = await api.SignUp("shopper", $"Shopper {i}");
            shoppers.Add(new ShopperLedger(id, token, random.Next(), MaxPerShopper));
        }

        var faultAfter = TimeSpan.FromMilliseconds(random.Next(2000, 4000));
        var stopAtTicks = long.MaxValue;
        var surgeStart = api.Clock.Elapsed;
        var surge = Task.WhenAll(shoppers.Select(shopper => Surge.Shop(api, shopper, lots, () => api.Clock.Elapsed.Ticks < Volatile.Read(ref stopAtTicks))));
        await Task.Delay(faultAfter);
        var faultAt = api.Clock.Elapsed;
        var scene = new Fault(cluster, random, lots);
        await inject(scene);
        var faultOver = api.Clock.Elapsed;
        Volatile.Write(ref stopAtTicks, (faultOver + SurgeAfterFault).Ticks);
        await surge;
        output.WriteLine($"schedule: fault at {(faultAt - surgeStart).TotalSeconds:0.0}s into the surge, over {(faultOver - faultAt).TotalSeconds:0.0}s later; surge ended {SurgeAfterFault.TotalSeconds:0}s after that");

        await RestoreEveryNode(cluster);
        await Surge.RecoveryTime(api, lots, api.Clock, RecoveryBound);
        await Surge.Settled(api, lots, shoppers); // the audit, until two checks in a row agree

        Report(api, shoppers, faultAt, faultOver + SurgeAfterFault, scene.Watched);
    }

    /// <summary>
    /// A paused silo is declared dead while it is stopped and stops itself once resumed; an operator
    /// then starts it again. Every node is running and healthy before the audit.
    /// </summary>
    private static async Task RestoreEveryNode(LocalCluster cluster)
    {
        foreach (var node in cluster.Silos)
        {
            try
            {
                if (node.Running)
                {
                    await node.WaitHealthy(TimeSpan.FromSeconds(15));
                    continue;
                }
            }
            catch (TimeoutException)
            {
                // still up but no longer serving: restarted below
            }

            await cluster.Restart(node);
        }
    }

    private void Report(SaleClient api, List<ShopperLedger> shoppers, TimeSpan faultAt, TimeSpan surgeEnd, string? watchedLot)
    {
        var seen = api.Seen.ToList();
        var statuses = seen.GroupBy(a => a.Status).OrderBy(g => g.Key)
            .Select(g => $"{(g.Key == 0 ? "no answer" : g.Key.ToString(CultureInfo.InvariantCulture))} × {g.Count()}");
        output.WriteLine($"statuses: {string.Join(", ", statuses)}");
        output.WriteLine($"surge: {shoppers.Sum(x => x.Done)} acknowledged, {shoppers.Sum(x => x.Refused)} refused, {shoppers.Sum(x => x.Unknown)} unanswered or 503");

        var timeline = seen.Where(a => a.At >= faultAt - TimeSpan.FromSeconds(2) && a.At <= surgeEnd)
            .GroupBy(a => (int)Math.Floor((a.At - faultAt).TotalSeconds)).OrderBy(g => g.Key)
            .Select(g => $"{g.Key:+0;-0}s: {string.Join(" ", g.GroupBy(a => a.Status).OrderBy(x => x.Key).Select(x => $"{x.Key}×{x.Count()}"))}");
        output.WriteLine("per second from the fault: " + string.Join(" | ", timeline));

        // A measure that cannot see a decided hold reports the whole window as a gap: make sure it
        // sees the ones before the fault.
        Assert.Contains(seen, a => IsDecidedHold(a, lotId: null) && a.At < faultAt);
        output.WriteLine($"longest time with no hold decided (200 or 409) after the fault: {LongestWithoutDecidedHold(seen, faultAt, surgeEnd, lotId: null).TotalSeconds:0.0}s");
        if (watchedLot is not null)
        {
            output.WriteLine($"longest time with no hold of {watchedLot} decided after the fault: {LongestWithoutDecidedHold(seen, faultAt, surgeEnd, watchedLot).TotalSeconds:0.0}s");
        }

        Assert.DoesNotContain(seen, a => a.Status >= 500 && a.Status != (int)HttpStatusCode.ServiceUnavailable);
        Assert.DoesNotContain(seen, a => a.Status == (int)HttpStatusCode.ServiceUnavailable && !a.RetryAfter);
    }

    /// <summary>
    /// A hold the engine decided: held (200), or refused on its merits (409: over the limit, sold
    /// out). Late in a surge most shoppers are at their limit, so refusals count as service too.
    /// </summary>
    private static bool IsDecidedHold(Seen answer, string? lotId) =>
        answer.Method == HttpMethod.Put
        && answer.Path.StartsWith("/api/cart/items/", StringComparison.Ordinal)
        && (lotId is null || answer.Path.EndsWith("/" + lotId, StringComparison.Ordinal))
        && answer.Status is (int)HttpStatusCode.OK or (int)HttpStatusCode.Conflict;

    private static TimeSpan LongestWithoutDecidedHold(List<Seen> seen, TimeSpan from, TimeSpan to, string? lotId)
    {
        var decided = seen.Where(a => IsDecidedHold(a, lotId)).Select(a => a.At).Where(t => t >= from && t <= to)
            .Order().Prepend(from).Append(to).ToList();
        return decided.Zip(decided.Skip(1), (a, b) => b - a).Max();
    }

    /// <summary>What a fault is given: the cluster, the seeded random, the sale's lots; it may name the lot it aims at.</summary>
    private sealed class Fault(LocalCluster cluster, Random random, IReadOnlyList<string> lots)
    {
        public LocalCluster Cluster { get; } = cluster;

        public Random Random { get; } = random;

        public IReadOnlyList<string> Lots { get; } = lots;

        /// <summary>The lot the fault aims at, reported on its own.</summary>
        public string? Watched { get; private set; }

        public void Watch(string lotId) => Watched = lotId;
    }
}
