using FlashSale.Carts;
using FlashSale.Checkout;
using FlashSale.Common;
using FlashSale.Tests.Infrastructure;
using static FlashSale.Tests.Infrastructure.Sale;

namespace FlashSale.Tests.Checkout;

[Collection(EngineCluster.Name)]
public sealed class CheckoutRequestGrainTests(EngineClusterFixture cluster)
{
    private IGrainFactory Grains => cluster.Grains;

    private async Task<string> ShopperHolding(int quantity = 2)
    {
        var (lotId, _) = await CreateLot(Grains, quantity: 10, limit: 5);
        var shopper = NewShopper();
        Value(await Grains.GetGrain<IShopperCartGrain>(shopper).SetItem(lotId, quantity));
        return shopper;
    }

    private ICheckoutRequestGrain Request(string shopper, string key) => Grains.GetGrain<ICheckoutRequestGrain>($"{shopper}/{key}");

    [Fact]
    public async Task A_retry_with_the_same_key_and_body_returns_the_first_order()
    {
        var shopper = await ShopperHolding();

        var first = await Request(shopper, "k1").Execute("fp", "wallet");
        var retry = await Request(shopper, "k1").Execute("fp", "wallet");

        Assert.Equal(CheckoutReplyKind.Answered, first.Kind);
        Assert.Equal(first.Outcome!.Value!.OrderId, retry.Outcome!.Value!.OrderId);
        Assert.Single(await Grains.GetGrain<IShopperCartGrain>(shopper).ListOrderIds());
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_refused()
    {
        var shopper = await ShopperHolding();
        await Request(shopper, "k1").Execute("fp-a", "wallet");

        var reused = await Request(shopper, "k1").Execute("fp-b", "bank-transfer");

        Assert.Equal(CheckoutReplyKind.KeyReused, reused.Kind);
        Assert.Single(await Grains.GetGrain<IShopperCartGrain>(shopper).ListOrderIds());
    }

    [Fact]
    public async Task Concurrent_duplicates_never_make_two_orders()
    {
        var shopper = await ShopperHolding();

        var replies = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Request(shopper, "k1").Execute("fp", "wallet")));

        var orderIds = replies.Where(r => r.Kind == CheckoutReplyKind.Answered).Select(r => r.Outcome!.Value!.OrderId).Distinct().ToList();
        Assert.Single(orderIds);
        Assert.All(replies, r => Assert.Contains(r.Kind, new[] { CheckoutReplyKind.Answered, CheckoutReplyKind.InFlight }));
        Assert.Equal(orderIds, await Grains.GetGrain<IShopperCartGrain>(shopper).ListOrderIds());
    }

    /// <summary>
    /// The first request is held inside its checkout (its lot's journal append waits at a closed
    /// gate), so every duplicate arrives while it is in flight by construction, not by timing.
    /// </summary>
    [Fact]
    public async Task A_duplicate_while_the_first_is_in_flight_is_told_so_and_makes_no_order()
    {
        var (lotId, _) = await CreateLot(Grains, quantity: 10, limit: 5);
        var shopper = NewShopper();
        Value(await Grains.GetGrain<IShopperCartGrain>(shopper).SetItem(lotId, 2));

        CheckoutReply[] duplicates;
        Task<CheckoutReply> first;
        cluster.Journal.CloseGate();
        try
        {
            first = Request(shopper, "k1").Execute("fp", "wallet");
            await cluster.Journal.AnAppendWaitsAtTheGate(lotId).WaitAsync(TimeSpan.FromSeconds(30));
            // Bounded: a duplicate that ran the checkout itself would queue behind the held one.
            duplicates = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Request(shopper, "k1").Execute("fp", "wallet")))
                .WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            cluster.Journal.OpenGate();
        }

        var answered = await first;
        var retry = await Request(shopper, "k1").Execute("fp", "wallet");

        Assert.All(duplicates, r => Assert.Equal(CheckoutReplyKind.InFlight, r.Kind));
        Assert.Equal(CheckoutReplyKind.Answered, answered.Kind);
        Assert.Equal(answered.Outcome!.Value!.OrderId, retry.Outcome!.Value!.OrderId);
        Assert.Equal([answered.Outcome.Value.OrderId], await Grains.GetGrain<IShopperCartGrain>(shopper).ListOrderIds());
    }

    [Fact]
    public async Task A_refusal_is_remembered_like_a_success()
    {
        var shopper = NewShopper(); // nothing held

        var first = await Request(shopper, "k1").Execute("fp", "wallet");
        var retry = await Request(shopper, "k1").Execute("fp", "wallet");

        Assert.Equal(RefusalCode.Conflict, first.Outcome!.Refusal!.Code);
        Assert.Equal(first, retry);
    }

    [Fact]
    public async Task A_key_is_remembered_for_24_hours_then_forgotten()
    {
        var shopper = await ShopperHolding();
        var first = await Request(shopper, "k1").Execute("fp", "wallet");

        cluster.Clock.Advance(TimeSpan.FromHours(23));
        Assert.Equal(first.Outcome!.Value!.OrderId, (await Request(shopper, "k1").Execute("fp", "wallet")).Outcome!.Value!.OrderId);
        Assert.Equal(CheckoutReplyKind.KeyReused, (await Request(shopper, "k1").Execute("other", "wallet")).Kind);

        cluster.Clock.Advance(TimeSpan.FromHours(2));
        var afresh = await Request(shopper, "k1").Execute("other", "wallet");
        Assert.Equal(CheckoutReplyKind.Answered, afresh.Kind);
        Assert.NotEqual(first.Outcome!.Value!.OrderId, afresh.Outcome?.Value?.OrderId);
    }
}
