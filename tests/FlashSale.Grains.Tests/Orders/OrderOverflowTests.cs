using System.Numerics;
using CsCheck;
using FlashSale.Carts;
using FlashSale.Common;
using FlashSale.Lots;
using FlashSale.Orders;
using FlashSale.Tests.Infrastructure;
using Xunit.Abstractions;
using static FlashSale.Tests.Infrastructure.Sale;

namespace FlashSale.Tests.Orders;

/// <summary>
/// The overflow attack of issue #12: a seller creates lots whose price × quantity add up to
/// exactly 2⁶³ − 1, a shopper holds them all and one more, then checks out. Before the fix the
/// next hold answered 500 with the lot's <c>reserved</c> risen, and checkout answered 500 with
/// units <c>sold</c>, no order, and a phantom paid order in the seller's stats. Every step is now
/// a refusal decided before any lot moves: lots, carts, orders and stats stay as they were.
/// </summary>
[Collection(EngineCluster.Name)]
public sealed class OrderOverflowTests(EngineClusterFixture cluster, ITestOutputHelper output)
{
    private const long Ceiling = 1_000_000_000; // the default FlashSale:Limits:MaxOrderTotalMinor

    /// <summary>Nine lots of 10⁶ units at 10¹² and two more: Σ price × quantity = 2⁶³ − 1 exactly.</summary>
    private static readonly (long Price, int Quantity)[] Attack =
    [
        .. Enumerable.Repeat((1_000_000_000_000L, 1_000_000), 9),
        (1_000_000_000_000L, 223_372),
        (36_854_775_807L, 1),
    ];

    private IGrainFactory Grains => cluster.Grains;

    [Fact]
    public void The_attack_adds_up_to_the_largest_64_bit_total()
    {
        Assert.Equal(long.MaxValue, Attack.Aggregate(0L, (sum, line) => checked(sum + (line.Price * line.Quantity))));
        Assert.False(Money.TryTotal([.. Attack, (1, 1)], out _));
    }

    /// <summary>The order grain does not rely on the cart: a placement whose lines sum past 2⁶³ − 1 (or the ceiling) is refused before any lot is asked.</summary>
    [Theory]
    [InlineData("wallet", true)]
    [InlineData("cash-on-delivery", true)]
    [InlineData("cash-on-delivery", false)] // a command written before lines carried prices: the order asks the lots
    public async Task An_order_past_the_largest_total_is_refused_and_no_lot_order_or_stat_changes(string method, bool pricesInCommand)
    {
        var sellerId = NewSeller();
        var shopperId = NewShopper();
        var lots = await CreateAttackLots(sellerId);
        var (extraId, extra) = await CreateLot(Grains, quantity: 10, limit: 2, price: 1, sellerId: sellerId);
        var expiresAt = cluster.Clock.GetUtcNow().AddMinutes(10);
        foreach (var (_, lot, _, quantity) in lots)
        {
            Value(await lot.SetHold(shopperId, quantity, expiresAt));
        }

        Value(await extra.SetHold(shopperId, 1, expiresAt));
        List<(string LotId, IProduceLotGrain Lot, long Price, int Quantity)> all = [.. lots, (extraId, extra, 1L, 1)];
        var before = await Snapshot(all, sellerId);

        var orderId = Ids.New(Ids.OrderPrefix);
        var order = Grains.GetGrain<IOrderGrain>(orderId);
        var lines = all.Select(l => new OrderLine(l.LotId, l.Quantity, pricesInCommand ? l.Price : 0)).ToList();
        var placed = await order.Place(new PlaceOrder(shopperId, lines, "CNY", method));

        Refused(placed, RefusalCode.LimitExceeded);
        Assert.Null(await order.Get());
        Assert.Equal(before, await Snapshot(all, sellerId));

        // The holds are still the shopper's: an order of what fits is placed from them.
        var fits = Value(await Grains.GetGrain<IOrderGrain>(Ids.New(Ids.OrderPrefix)).Place(new PlaceOrder(shopperId, [new OrderLine(extraId, 1, 1)], "CNY", method)));
        Assert.Equal(1, fits.TotalMinor);
    }

    /// <summary>The same attack through the shopper's cart: every hold past the ceiling is refused before its lot is asked, and checkout orders only what fits.</summary>
    [Fact]
    public async Task The_attack_through_the_cart_moves_nothing_past_the_ceiling()
    {
        var sellerId = NewSeller();
        var shopperId = NewShopper();
        var cart = Grains.GetGrain<IShopperCartGrain>(shopperId);
        var lots = await CreateAttackLots(sellerId);
        var (extraId, extra) = await CreateLot(Grains, quantity: 10, limit: 2, price: 1, sellerId: sellerId);
        List<(string LotId, IProduceLotGrain Lot, long Price, int Quantity)> all = [.. lots, (extraId, extra, 1L, 1)];
        var before = await Snapshot(all, sellerId);

        Value(await cart.SetItem(extraId, 1));
        foreach (var (lotId, _, _, quantity) in lots)
        {
            Refused(await cart.SetItem(lotId, quantity), RefusalCode.LimitExceeded);
        }

        var after = await Snapshot(all, sellerId);
        Assert.Equal(before.Take(lots.Count), after.Take(lots.Count));
        var held = await cart.Get();
        Assert.Equal((1L, 1), (held.TotalMinor, held.Items.Count));

        var order = Value(await cart.Checkout(Ids.New(Ids.OrderPrefix), "cash-on-delivery"));
        Assert.Equal((1L, OrderStatus.ConfirmedCod), (order.TotalMinor, order.Status));
        Assert.Equal(before.Take(lots.Count), (await Snapshot(all, sellerId)).Take(lots.Count));
    }

    private sealed record Line(int Index, int Quantity);

    /// <summary>
    /// Random holds and releases on lots priced near the ceiling, against a model that sums in
    /// arbitrary precision: a hold is taken exactly when the cart's total stays within the
    /// ceiling, the cart's total and every lot's <c>reserved</c> always match the model, and the
    /// order placed at the end carries the model's total.
    /// </summary>
    [Fact]
    public async Task Carts_near_the_ceiling_agree_with_an_arbitrary_precision_model()
    {
        var prices = Gen.OneOf(
            Gen.Long[Ceiling / 3 - 2, Ceiling / 3 + 2],
            Gen.Long[Ceiling / 2 - 2, Ceiling / 2 + 2],
            Gen.Long[Ceiling - 2, Ceiling],
            Gen.Long[1, Ceiling]);
        var scenario = Gen.Select(prices.Array[4], Gen.Select(Gen.Int[0, 3], Gen.Int[0, 3], (i, q) => new Line(i, q)).Array[4, 20]);
        await scenario.SampleAsync(async s => await RunCartModel(s.Item1, s.Item2), writeLine: output.WriteLine, iter: 20, threads: 1,
            print: s => $"prices [{string.Join(", ", s.Item1)}]; lines {string.Join(" ", s.Item2.Select(l => $"{l.Index}:{l.Quantity}"))}");
    }

    private async Task RunCartModel(long[] prices, Line[] ops)
    {
        var sellerId = NewSeller();
        var shopperId = NewShopper();
        var cart = Grains.GetGrain<IShopperCartGrain>(shopperId);
        var lots = new List<(string LotId, IProduceLotGrain Lot)>();
        foreach (var price in prices)
        {
            lots.Add(await CreateLot(Grains, quantity: 10, limit: 3, price: price, sellerId: sellerId));
        }

        var model = new int[prices.Length];
        BigInteger Total(int[] held) => held.Select((q, i) => new BigInteger(prices[i]) * q).Aggregate(BigInteger.Zero, (a, b) => a + b);
        foreach (var op in ops)
        {
            var next = (int[])model.Clone();
            next[op.Index] = op.Quantity;
            var fits = Total(next) <= Ceiling;
            var outcome = await cart.SetItem(lots[op.Index].LotId, op.Quantity);
            if (fits || op.Quantity == 0)
            {
                Assert.True(outcome.Succeeded, outcome.Refusal?.Detail);
                model = next;
            }
            else
            {
                Refused(outcome, RefusalCode.LimitExceeded);
            }

            Assert.Equal(Total(model), new BigInteger((await cart.Get()).TotalMinor));
            for (var i = 0; i < lots.Count; i++)
            {
                Assert.Equal(model[i], (await lots[i].Lot.Get())!.Reserved);
            }
        }

        var placed = await cart.Checkout(Ids.New(Ids.OrderPrefix), "wallet");
        if (model.Any(q => q > 0))
        {
            Assert.Equal(Total(model), new BigInteger(Value(placed).TotalMinor));
        }
        else
        {
            Refused(placed, RefusalCode.Conflict);
        }
    }

    private async Task<List<(string LotId, IProduceLotGrain Lot, long Price, int Quantity)>> CreateAttackLots(string sellerId)
    {
        var lots = new List<(string, IProduceLotGrain, long, int)>();
        foreach (var (price, quantity) in Attack)
        {
            var (lotId, lot) = await CreateLot(Grains, quantity: quantity, limit: quantity, price: price, sellerId: sellerId);
            lots.Add((lotId, lot, price, quantity));
        }

        return lots;
    }

    /// <summary>Each lot's counts, version and seller stats: what a refused step must leave as it was.</summary>
    private static async Task<List<(int Available, int Reserved, int Sold, long Version, long Revenue, int PaidOrders)>> Snapshot(
        IEnumerable<(string LotId, IProduceLotGrain Lot, long Price, int Quantity)> lots, string sellerId)
    {
        var rows = new List<(int, int, int, long, long, int)>();
        foreach (var (_, lot, _, _) in lots)
        {
            var now = (await lot.Get())!;
            var stats = Value(await lot.GetStats(sellerId));
            AssertInvariant(now);
            rows.Add((now.Available, now.Reserved, now.Sold, now.Version, stats.RevenueMinor, stats.PaidOrders));
        }

        return rows;
    }
}
