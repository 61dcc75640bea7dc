using FlashSale.LoadTests.Sale;

namespace FlashSale.LoadTests.Tests.Sale;

/// <summary>A client of several API nodes keeps each caller on one node and spreads the callers.</summary>
public sealed class SaleClientNodesTests
{
    private static readonly Uri[] Nodes = [new("http://127.0.0.1:5081/"), new("http://127.0.0.1:5082/")];

    [Fact]
    public void A_caller_always_goes_to_the_same_node_and_callers_spread_over_every_node()
    {
        using var client = new SaleClient(Nodes);
        var tokens = Enumerable.Range(0, 200).Select(i => $"token-{i}").ToList();

        var first = tokens.ToDictionary(t => t, client.NodeFor);
        Assert.All(tokens, t => Assert.Equal(first[t], client.NodeFor(t)));
        var perNode = first.Values.CountBy(node => node).ToDictionary();
        Assert.Equal(Nodes.ToHashSet(), perNode.Keys.ToHashSet());
        Assert.All(perNode.Values, count => Assert.InRange(count, 50, 150));
    }

    [Fact]
    public void Calls_without_a_caller_take_turns()
    {
        using var client = new SaleClient(Nodes);

        var turns = Enumerable.Range(0, 4).Select(_ => client.NodeFor(null)).ToList();

        Assert.Equal([turns[0], turns[1], turns[0], turns[1]], turns);
        Assert.NotEqual(turns[0], turns[1]);
    }
}
