using System.Diagnostics;
using CsCheck;
using FlashSale.Lots;
using FlashSale.Lots.Presale;
using Xunit.Abstractions;

namespace FlashSale.Tests.Lots.Presale;

/// <summary>
/// How a declared harvest is shared among a presale lot's orders, and the money that follows:
/// a few hand-worked cases to show the rule, then random cases against a model.
/// </summary>
/// <remarks>
/// CsCheck prints the seed of a failing case; set <c>CsCheck_Seed</c> to replay it.
/// <c>FLASHSALE_HARVEST_CASES</c> sets how many random cases run (more for a soak).
/// </remarks>
public sealed class HarvestAllocationTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset T0 = new(2027, 6, 1, 8, 0, 0, TimeSpan.Zero);

    private static HarvestClaim Claim(string orderId, int ordered, int minute) => new(orderId, ordered, T0.AddMinutes(minute));

    private static int[] Allocated(HarvestClaim[] claims, int declared, PresaleAllocation rule) =>
        HarvestAllocation.Allocate(claims, declared, rule).Select(s => s.Allocated).ToArray();

    private static PresaleTerms Terms(int depositPercent, PresaleAllocation rule = PresaleAllocation.ProRata) =>
        new(depositPercent, T0, T0.AddDays(30), 48, rule);

    // ---- The rule, worked by hand

    private static readonly HarvestClaim[] FourOrdersOfThree =
        [Claim("ord_a", 3, 0), Claim("ord_b", 3, 1), Claim("ord_c", 3, 2), Claim("ord_d", 3, 3)];

    [Fact]
    public void Pro_rata_gives_the_units_left_by_rounding_to_the_earliest_of_equal_remainders()
    {
        // 10 × 3 / 12 = 2.5 each: floors of 2 leave 2 units, and all four remainders are equal.
        Assert.Equal([3, 3, 2, 2], Allocated(FourOrdersOfThree, 10, PresaleAllocation.ProRata));
    }

    [Fact]
    public void First_come_fills_the_earliest_orders_whole_and_the_boundary_order_with_the_rest()
    {
        Assert.Equal([3, 3, 3, 1], Allocated(FourOrdersOfThree, 10, PresaleAllocation.FirstCome));
    }

    [Fact]
    public void A_larger_remainder_beats_an_earlier_order()
    {
        // Declared 4 of 5: the early order's exact share is 2.4, the later one's 1.6.
        HarvestClaim[] claims = [Claim("ord_early", 3, 0), Claim("ord_late", 2, 1)];

        Assert.Equal([2, 2], Allocated(claims, 4, PresaleAllocation.ProRata));
        Assert.Equal([3, 1], Allocated(claims, 4, PresaleAllocation.FirstCome));
    }

    [Theory]
    [InlineData(PresaleAllocation.ProRata)]
    [InlineData(PresaleAllocation.FirstCome)]
    public void Orders_placed_at_the_same_instant_go_by_order_id_and_shares_keep_the_claims_order(PresaleAllocation rule)
    {
        HarvestClaim[] claims = [Claim("ord_b", 1, 0), Claim("ord_a", 1, 0)];

        var shares = HarvestAllocation.Allocate(claims, 1, rule);

        Assert.Equal([new HarvestShare("ord_b", 1, 0), new HarvestShare("ord_a", 1, 1)], shares);
    }

    [Theory]
    [InlineData(PresaleAllocation.ProRata)]
    [InlineData(PresaleAllocation.FirstCome)]
    public void A_failed_harvest_allocates_nothing(PresaleAllocation rule)
    {
        Assert.Equal([0, 0, 0, 0], Allocated(FourOrdersOfThree, 0, rule));
    }

    [Theory]
    [InlineData(PresaleAllocation.ProRata, 12)]
    [InlineData(PresaleAllocation.ProRata, 13)]
    [InlineData(PresaleAllocation.FirstCome, 12)]
    [InlineData(PresaleAllocation.FirstCome, 500)]
    public void A_harvest_that_covers_demand_fills_every_order_whole(PresaleAllocation rule, int declared)
    {
        Assert.Equal([3, 3, 3, 3], Allocated(FourOrdersOfThree, declared, rule));
    }

    [Fact]
    public void One_very_large_order_beside_a_small_one()
    {
        // Declared 500,000 of 1,000,001: the large order's exact share is 499,999.5000005 and the
        // small one's 0.4999995, so the one unit left by rounding goes to the large order.
        HarvestClaim[] claims = [Claim("ord_large", LotLimits.MaxQuantity, 5), Claim("ord_small", 1, 0)];

        Assert.Equal([500_000, 0], Allocated(claims, 500_000, PresaleAllocation.ProRata));
        Assert.Equal([499_999, 1], Allocated(claims, 500_000, PresaleAllocation.FirstCome));
    }

    [Fact]
    public void A_million_orders_of_the_largest_quantity_share_without_overflow()
    {
        // A trillion units ordered, far past 32 bits; every exact share is 0.999999 of a unit, so
        // every order but the last by id (all placed at one instant) gets one.
        const int Orders = 1_000_000;
        var claims = new HarvestClaim[Orders];
        for (var i = 0; i < Orders; i++)
        {
            claims[i] = new HarvestClaim($"ord_{i:D7}", LotLimits.MaxQuantity, T0);
        }

        var shares = HarvestAllocation.Allocate(claims, Orders - 1, PresaleAllocation.ProRata);

        Assert.Equal(Orders - 1, shares.Sum(s => (long)s.Allocated));
        Assert.Equal("ord_0999999", Assert.Single(shares, s => s.Allocated == 0).OrderId);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_claim_for_no_units_is_rejected(int ordered)
    {
        HarvestClaim[] claims = [Claim("ord_a", 2, 0), Claim("ord_b", ordered, 1)];

        Assert.Throws<ArgumentException>(() => HarvestAllocation.Allocate(claims, 1, PresaleAllocation.ProRata));
    }

    [Fact]
    public void A_repeated_order_id_or_a_negative_harvest_is_rejected()
    {
        HarvestClaim[] repeated = [Claim("ord_a", 2, 0), Claim("ord_a", 1, 1)];

        Assert.Throws<ArgumentException>(() => HarvestAllocation.Allocate(repeated, 1, PresaleAllocation.FirstCome));
        Assert.Throws<ArgumentOutOfRangeException>(() => HarvestAllocation.Allocate(FourOrdersOfThree, -1, PresaleAllocation.ProRata));
    }

    [Fact]
    public void An_order_settles_its_deposit_refund_and_balance_per_unit()
    {
        // 30% of 999 is 299.7, rounded up to 300 a unit; 3 ordered, 2 allocated.
        Assert.True(PresaleMoney.TrySettle(Terms(30), 999, new HarvestShare("ord_a", 3, 2), out var settlement));

        Assert.Equal(new PresaleSettlement(DepositPaid: 900, Refund: 300, BalanceDue: 1_398), settlement);
        Assert.Equal(999 * 2, settlement.SellerCredit);
    }

    [Fact]
    public void Money_outside_the_lot_limits_is_refused_not_wrapped()
    {
        var share = new HarvestShare("ord_a", LotLimits.MaxQuantity, LotLimits.MaxQuantity);

        Assert.True(PresaleMoney.TrySettle(Terms(50), LotLimits.MaxPriceMinor, share, out _));
        Assert.False(PresaleMoney.TrySettle(Terms(50), LotLimits.MaxPriceMinor + 1, share, out _));
        Assert.False(PresaleMoney.TrySettle(Terms(50), 0, share, out _));
        Assert.False(PresaleMoney.TrySettle(Terms(50), 100, share with { Ordered = LotLimits.MaxQuantity + 1 }, out _));
        Assert.False(PresaleMoney.TrySettle(Terms(50), 100, new HarvestShare("ord_a", 2, 3), out _));
        Assert.False(PresaleMoney.TrySettle(Terms(50), 100, new HarvestShare("ord_a", 2, -1), out _));
        Assert.False(PresaleMoney.TrySettle(Terms(51), 100, new HarvestShare("ord_a", 2, 1), out _));
    }

    // ---- Random cases against a model

    internal sealed record HarvestCase(HarvestClaim[] Claims, int Declared, PresaleAllocation Rule, uint[] ShuffleKeys, long PriceMinor, int DepositPercent)
    {
        public long TotalOrdered => Claims.Sum(c => (long)c.Ordered);

        public override string ToString() =>
            $"declared {Declared} of {TotalOrdered} ordered, {Rule}, price {PriceMinor} with a {DepositPercent}% deposit; claims: "
            + string.Join(", ", Claims.Select(c => $"{c.OrderId} {c.Ordered} at +{(c.OrderedAt - T0).TotalMinutes}min"))
            + "; shuffle keys: " + string.Join(",", ShuffleKeys);
    }

    // Mostly small orders, so remainders often tie; now and then one as large as a lot allows.
    private static readonly Gen<int> OrderedGen = Gen.Frequency((39, Gen.Int[1, 50]), (1, Gen.Int[1, LotLimits.MaxQuantity]));

    // Four minutes for up to forty orders: many are placed at the same instant and go by id.
    private static readonly Gen<HarvestClaim[]> ClaimsGen =
        Gen.Select(Gen.Int[0, 999], OrderedGen, Gen.Int[0, 3], (idKey, ordered, minute) => (idKey, ordered, minute))
            .Array[1, 40]
            .Select(drawn => drawn.Select((d, i) => Claim($"ord_{d.idKey:D3}_{i}", d.ordered, d.minute)).ToArray());

    private static Gen<int> DeclaredGen(long totalOrdered)
    {
        var total = checked((int)totalOrdered);
        return Gen.Frequency(
            (1, Gen.Const(0)),
            (6, Gen.Int[0, total - 1]),
            (2, Gen.Const(total)),
            (1, Gen.Int[1, 100].Select(more => total + more)));
    }

    private static readonly Gen<HarvestCase> CaseGen = ClaimsGen.SelectMany(claims => Gen.Select(
        DeclaredGen(claims.Sum(c => (long)c.Ordered)),
        Gen.Enum<PresaleAllocation>(),
        Gen.UInt.Array[claims.Length],
        Gen.Long[1, 1_000_000_000],
        Gen.Int[PresaleTerms.MinDepositPercent, PresaleTerms.MaxDepositPercent],
        (declared, rule, keys, price, percent) => new HarvestCase(claims, declared, rule, keys, price, percent)));

    /// <summary>What the random cases must reach, or passing says little.</summary>
    private static readonly string[] Shapes =
    [
        "ProRata/none", "ProRata/short", "ProRata/exact", "ProRata/surplus",
        "FirstCome/none", "FirstCome/short", "FirstCome/exact", "FirstCome/surplus",
        "an equal remainder split by order time", "an equal remainder split by order id", "an order over 50 units",
    ];

    private readonly Dictionary<string, int> _shapes = new(StringComparer.Ordinal);

    [Fact]
    public void Every_harvest_is_shared_as_the_model_says()
    {
        var cases = int.TryParse(Environment.GetEnvironmentVariable("FLASHSALE_HARVEST_CASES"), out var n) ? n : 5_000;
        var watch = Stopwatch.StartNew();

        CaseGen.Sample(CheckCase, writeLine: output.WriteLine, iter: cases, threads: 1, print: c => c.ToString());

        output.WriteLine($"{cases} cases in {watch.ElapsedMilliseconds} ms; shapes: "
            + string.Join(", ", _shapes.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key} {s.Value}")));
        var unreached = Shapes.Where(s => !_shapes.ContainsKey(s)).ToList();
        Assert.True(cases < 5_000 || unreached.Count == 0, $"no case had {string.Join(" or ", unreached)}");
    }

    private void Saw(string shape) => _shapes[shape] = _shapes.GetValueOrDefault(shape) + 1;

    private void CheckCase(HarvestCase c)
    {
        var total = c.TotalOrdered;
        Saw($"{c.Rule}/" + (c.Declared == 0 ? "none" : c.Declared < total ? "short" : c.Declared == total ? "exact" : "surplus"));
        if (c.Claims.Any(claim => claim.Ordered > 50))
        {
            Saw("an order over 50 units");
        }

        var shares = HarvestAllocation.Allocate(c.Claims, c.Declared, c.Rule);

        Assert.Equal(c.Claims.Length, shares.Count);
        long allocated = 0;
        for (var i = 0; i < c.Claims.Length; i++)
        {
            Assert.Equal(c.Claims[i].OrderId, shares[i].OrderId);
            Assert.Equal(c.Claims[i].Ordered, shares[i].Ordered);
            Assert.InRange(shares[i].Allocated, 0, c.Claims[i].Ordered);
            allocated += shares[i].Allocated;
        }

        Assert.True(allocated <= c.Declared, $"{allocated} allocated of {c.Declared} declared");
        if (c.Declared >= total)
        {
            Assert.All(shares, s => Assert.Equal(s.Ordered, s.Allocated));
        }
        else
        {
            Assert.Equal(c.Declared, allocated);
        }

        if (c.Rule == PresaleAllocation.ProRata && c.Declared < total)
        {
            CheckLargestRemainder(c, shares);
        }

        if (c.Rule == PresaleAllocation.FirstCome)
        {
            Assert.Equal(FirstComeModel(c), shares.Select(s => s.Allocated));
        }

        CheckSameForAnyInputOrder(c, shares);
        CheckMoney(c, shares, allocated);
    }

    /// <summary>
    /// Each order is within one unit of its exact share, declared × ordered / total (compared
    /// exactly, scaled by the total), and the units above the floors went first to the largest
    /// remainders, then to earlier orders, then to lower order ids.
    /// </summary>
    private void CheckLargestRemainder(HarvestCase c, IReadOnlyList<HarvestShare> shares)
    {
        var total = c.TotalOrdered;
        var n = c.Claims.Length;
        var remainders = new long[n];
        var extras = new long[n];
        var (splitByTime, splitById) = (false, false);
        for (var i = 0; i < n; i++)
        {
            var exact = (long)c.Declared * c.Claims[i].Ordered;
            var scaled = (long)shares[i].Allocated * total;
            Assert.True(Math.Abs(scaled - exact) < total, $"{c.Claims[i].OrderId} got {shares[i].Allocated}, its exact share is {exact}/{total}");
            remainders[i] = exact % total;
            extras[i] = shares[i].Allocated - (exact / total);
            Assert.InRange(extras[i], 0, 1);
        }

        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var (a, b) = (c.Claims[i], c.Claims[j]);
                var precedes = remainders[i] > remainders[j]
                    || (remainders[i] == remainders[j] && (a.OrderedAt < b.OrderedAt
                        || (a.OrderedAt == b.OrderedAt && string.CompareOrdinal(a.OrderId, b.OrderId) < 0)));
                if (!precedes)
                {
                    continue;
                }

                Assert.True(extras[i] >= extras[j], $"{b.OrderId} got a unit left by rounding before {a.OrderId}, which comes first");
                if (remainders[i] == remainders[j] && extras[i] > extras[j])
                {
                    splitByTime |= a.OrderedAt < b.OrderedAt;
                    splitById |= a.OrderedAt == b.OrderedAt;
                }
            }
        }

        if (splitByTime)
        {
            Saw("an equal remainder split by order time");
        }

        if (splitById)
        {
            Saw("an equal remainder split by order id");
        }
    }

    /// <summary>The first-come rule written plainly: earliest first, then by id, each filled from what is left.</summary>
    private static int[] FirstComeModel(HarvestCase c)
    {
        var allocated = new int[c.Claims.Length];
        var left = c.Declared;
        var earliestFirst = Enumerable.Range(0, c.Claims.Length)
            .OrderBy(i => c.Claims[i].OrderedAt)
            .ThenBy(i => c.Claims[i].OrderId, StringComparer.Ordinal);
        foreach (var i in earliestFirst)
        {
            allocated[i] = Math.Min(left, c.Claims[i].Ordered);
            left -= allocated[i];
        }

        return allocated;
    }

    private static void CheckSameForAnyInputOrder(HarvestCase c, IReadOnlyList<HarvestShare> shares)
    {
        var shuffled = c.Claims
            .Select((claim, i) => (claim, key: c.ShuffleKeys[i], i))
            .OrderBy(x => x.key)
            .ThenBy(x => x.i)
            .Select(x => x.claim)
            .ToArray();

        var byOrder = HarvestAllocation.Allocate(shuffled, c.Declared, c.Rule).ToDictionary(s => s.OrderId, StringComparer.Ordinal);

        Assert.All(shares, s => Assert.Equal(s, byOrder[s.OrderId]));
    }

    /// <summary>The seller is credited price × allocated units, whatever the deposit's rounding; no order is refunded more than it paid.</summary>
    private static void CheckMoney(HarvestCase c, IReadOnlyList<HarvestShare> shares, long allocated)
    {
        var terms = Terms(c.DepositPercent, c.Rule);
        long deposits = 0, balances = 0, refunds = 0;
        foreach (var share in shares)
        {
            Assert.True(PresaleMoney.TrySettle(terms, c.PriceMinor, share, out var settlement), $"{share} was refused");
            Assert.InRange(settlement.Refund, 0, settlement.DepositPaid);
            Assert.True(settlement.BalanceDue >= 0, $"{share} owes {settlement.BalanceDue}");
            deposits += settlement.DepositPaid;
            balances += settlement.BalanceDue;
            refunds += settlement.Refund;
        }

        Assert.Equal(c.PriceMinor * allocated, deposits + balances - refunds);
    }
}
