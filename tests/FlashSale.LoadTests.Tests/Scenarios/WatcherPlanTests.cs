using FlashSale.LoadTests.Scenarios;
using FlashSale.LoadTests.Workload;

namespace FlashSale.LoadTests.Tests.Scenarios;

/// <summary>Where the marketplace's watchers go: over the lots by the shoppers' Zipf popularity, over the nodes in turn.</summary>
public sealed class WatcherPlanTests
{
    private static readonly Uri[] Nodes = [new("http://127.0.0.1:5081"), new("http://127.0.0.1:5082"), new("http://127.0.0.1:5083")];

    private static readonly string[] Lots = Enumerable.Range(0, 10).Select(i => $"lot_{i}").ToArray();

    [Fact]
    public void Watchers_spread_over_the_lots_by_the_zipf_popularity()
    {
        var zipf = new ZipfDistribution(Lots.Length, 1.1);

        var placements = WatcherPlan.Spread(60_000, Lots, zipf, Nodes, new Random(20261201));

        Assert.Equal(60_000, placements.Count);
        var shares = placements.GroupBy(p => p.LotId).ToDictionary(g => g.Key, g => g.Count() / 60_000.0);
        Assert.All(Enumerable.Range(0, Lots.Length), k => Assert.Equal(zipf.Probability(k), shares.GetValueOrDefault(Lots[k]), tolerance: 0.01));
        Assert.True(shares[Lots[0]] > shares[Lots[1]] && shares[Lots[1]] > shares[Lots[9]]); // popular lots have more watchers
    }

    [Fact]
    public void Watchers_take_the_nodes_in_turn_and_each_node_sees_the_same_popularity()
    {
        var zipf = new ZipfDistribution(Lots.Length, 1.1);

        var placements = WatcherPlan.Spread(30_001, Lots, zipf, Nodes, new Random(7));

        Assert.All(placements.Select((p, i) => (p, i)), x => Assert.Equal(Nodes[x.i % Nodes.Length], x.p.Node));
        Assert.Equal([10_001, 10_000, 10_000], Nodes.Select(n => placements.Count(p => p.Node == n)));
        foreach (var node in Nodes)
        {
            var onNode = placements.Where(p => p.Node == node).ToList();
            Assert.Equal(zipf.Probability(0), onNode.Count(p => p.LotId == Lots[0]) / (double)onNode.Count, tolerance: 0.02);
        }
    }

    [Fact]
    public void No_watchers_is_an_empty_plan_and_the_popularity_must_cover_the_lots()
    {
        Assert.Empty(WatcherPlan.Spread(0, Lots, new ZipfDistribution(Lots.Length, 1.1), Nodes, new Random(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => WatcherPlan.Spread(5, Lots, new ZipfDistribution(3, 1.1), Nodes, new Random(1)));
    }
}
