using CsCheck;
using FlashSale.Carts;
using FlashSale.Common;
using FlashSale.Ledger;
using FlashSale.Lots;
using FlashSale.Orders;
using FlashSale.Payments;
using FlashSale.Payments.Sandbox;
using FlashSale.Tests.Infrastructure;
using FlashSale.Tests.Payments;
using Xunit.Abstractions;
using static FlashSale.Tests.Infrastructure.Sale;
using static FlashSale.Tests.Payments.Payment;

namespace FlashSale.Tests.Orders;

/// <summary>
/// Random presales run against the real grains and checked against a plain model: shoppers who
/// pay their deposits or let them lapse, a harvest declared short, whole or large, or never,
/// shares collected once or twice, balances paid in time, late, or never, and every gateway event
/// delivered one to three times. At the end every order is in the terminal state the model says,
/// the lot keeps its invariant with exactly the units the paid orders own, each deposit share
/// and late balance went back exactly once, and the seller's ledger is deposits + balances −
/// refunds. CsCheck prints the seed of a failing presale; set <c>CsCheck_Seed</c> to replay it.
/// </summary>
[Collection(PaymentsCluster.Name)]
public sealed class PresaleModelTests(EngineClusterFixture cluster, ITestOutputHelper output)
{
    private const int BalanceWindowHours = 24;

    private IGrainFactory Grains => cluster.Grains;

    /// <summary>What one shopper does: how many units, whether the deposit is paid, and what becomes of the balance.</summary>
    public enum Balance
    {
        PaidInTime,
        PaidLate,
        NeverPaid,
    }

    public sealed record Shopper(int Quantity, bool PaysDeposit, Balance Balance, int Copies);

    /// <summary><see cref="Harvest"/> null: the window closes with nothing declared.</summary>
    public sealed record Scenario(int Forecast, long Price, int DepositPercent, PresaleAllocation Rule, Shopper[] Shoppers, int? Harvest, bool CollectTwice)
    {
        public override string ToString() =>
            $"forecast {Forecast}, price {Price}, deposit {DepositPercent} %, {Rule}, harvest {Harvest?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "never"}, collect twice {CollectTwice}: "
            + string.Join("; ", Shoppers.Select(s => s.ToString()));
    }

    private static readonly Gen<Shopper> ShopperGen = Gen.Select(Gen.Int[1, 4], Gen.Int[0, 9], Gen.Enum<Balance>(), Gen.Int[1, 3],
        (quantity, deposit, balance, copies) => new Shopper(quantity, deposit > 0, balance, copies));

    private static readonly Gen<Scenario> ScenarioGen =
        from forecast in Gen.Int[4, 16]
        from price in Gen.Int[1, 5000]
        from percent in Gen.Int[1, 50]
        from rule in Gen.Enum<PresaleAllocation>()
        from shoppers in ShopperGen.Array[1, 6]
        from harvestKind in Gen.Int[0, 9]
        from harvest in Gen.Int[0, 20]
        from twice in Gen.Bool
        select new Scenario(forecast, price, percent, rule, shoppers, harvestKind == 0 ? null : harvest, twice);

    [Fact]
    public async Task Random_presales_end_as_a_plain_model_says_with_money_and_stock_consistent()
    {
        var scenarios = int.TryParse(Environment.GetEnvironmentVariable("FLASHSALE_PRESALE_SCENARIOS"), out var n) ? n : 30;
        await ScenarioGen.SampleAsync(Run, writeLine: output.WriteLine, iter: scenarios, threads: 1, // the scenarios share the cluster's clock
            print: s => s.ToString());
    }

    private async Task Run(Scenario scenario)
    {
        var sellerId = NewSeller();
        var now = cluster.Clock.GetUtcNow();
        var terms = new PresaleTerms(scenario.DepositPercent, now.AddDays(1), now.AddDays(10), BalanceWindowHours, scenario.Rule);
        var lotId = Ids.New(Ids.LotPrefix);
        var lot = Grains.GetGrain<IProduceLotGrain>(lotId);
        Value(await lot.Create(new LotDefinition(sellerId, "Pears", "box", scenario.Price, "CNY", scenario.Forecast, 4, null, null, Presale: terms)));
        var perUnit = terms.DepositPerUnit(scenario.Price);

        // Deposits: each shopper holds and checks out in turn (one after another, so the order
        // time ranks them as listed); a shopper who finds too little left takes nothing.
        var placed = new List<(Shopper Shopper, Order Order)>();
        foreach (var shopper in scenario.Shoppers)
        {
            var cart = Grains.GetGrain<IShopperCartGrain>(NewShopper());
            if (!(await cart.SetItem(lotId, shopper.Quantity)).Succeeded)
            {
                continue;
            }

            var order = Value(await cart.Checkout(Ids.New(Ids.OrderPrefix), "wallet"));
            if (shopper.PaysDeposit)
            {
                await DeliverCopies(order, await Issue(Grains, order), shopper.Copies);
            }

            placed.Add((shopper, order));
            cluster.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        // The window opens (every unpaid deposit has lapsed by then); the seller declares, or never does.
        cluster.Clock.Advance(TimeSpan.FromDays(1));
        var claims = placed.Where(p => p.Shopper.PaysDeposit).ToList();
        var allocated = new Dictionary<string, int>(StringComparer.Ordinal);
        if (scenario.Harvest is { } harvest)
        {
            var declaration = Value(await lot.DeclareHarvest(sellerId, harvest));
            var shares = declaration.Orders.ToDictionary(s => s.OrderId, s => s.Allocated, StringComparer.Ordinal);
            Assert.Equal(claims.Select(c => c.Order.OrderId).Order(StringComparer.Ordinal), shares.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(Math.Min(harvest, claims.Sum(c => c.Shopper.Quantity)), shares.Values.Sum());
            if (scenario.Rule == PresaleAllocation.FirstCome)
            {
                var left = harvest; // the model: earliest first, each filled whole while the harvest lasts
                foreach (var (shopper, order) in claims)
                {
                    Assert.Equal(Math.Min(left, shopper.Quantity), shares[order.OrderId]);
                    left -= shares[order.OrderId];
                }
            }

            foreach (var (orderId, share) in shares)
            {
                allocated[orderId] = share;
            }

            foreach (var (_, order) in claims)
            {
                Value(await Grains.GetGrain<IOrderGrain>(order.OrderId).CollectHarvest());
                if (scenario.CollectTwice)
                {
                    Value(await Grains.GetGrain<IOrderGrain>(order.OrderId).CollectHarvest());
                }
            }
        }
        else
        {
            cluster.Clock.Advance(TimeSpan.FromDays(10)); // past harvestTo: each order learns of the lapse by itself
            foreach (var (_, order) in claims)
            {
                await Grains.GetGrain<IOrderGrain>(order.OrderId).ExpireIfDue();
            }
        }

        // Balances: paid in time, or after the deadline forfeited the order, or never.
        foreach (var (shopper, order) in claims.Where(c => c.Shopper.Balance == Balance.PaidInTime))
        {
            if (await OrderOf(Grains, order) is { Status: OrderStatus.AwaitingBalance } awaiting)
            {
                await DeliverCopies(awaiting, await Issue(Grains, awaiting), shopper.Copies);
            }
        }

        cluster.Clock.Advance(TimeSpan.FromHours(BalanceWindowHours));
        foreach (var (shopper, order) in claims)
        {
            await Grains.GetGrain<IOrderGrain>(order.OrderId).ExpireIfDue();
            if (shopper.Balance == Balance.PaidLate && await OrderOf(Grains, order) is { Status: OrderStatus.Forfeited, Presale.Deposit: not null } forfeited)
            {
                await DeliverCopies(forfeited, await Issue(Grains, forfeited), shopper.Copies);
            }
        }

        await Verify(scenario, lot, sellerId, perUnit, placed, allocated);
    }

    private async Task Verify(Scenario scenario, IProduceLotGrain lot, string sellerId, long perUnit, List<(Shopper Shopper, Order Order)> placed, Dictionary<string, int> allocated)
    {
        long credited = 0;
        var soldToPaid = 0;
        foreach (var (shopper, placedOrder) in placed)
        {
            var order = await OrderOf(Grains, placedOrder);
            var share = allocated.GetValueOrDefault(order.OrderId);
            // A deposit rounded up to the whole price (a price of a few fen) leaves no balance: the
            // collected order is paid, whatever the shopper would have done about a balance.
            var noBalance = perUnit == scenario.Price;
            var expected = !shopper.PaysDeposit ? OrderStatus.Expired
                : share == 0 ? OrderStatus.Refunded
                : shopper.Balance == Balance.PaidInTime || noBalance ? OrderStatus.Paid
                : OrderStatus.Forfeited;
            Assert.True(expected == order.Status, $"order {order.OrderId} ({shopper}, share {share}) ended {order.Status}, not {expected}");

            // Each deposit share not allocated went back once; a late balance went back whole, once.
            var deposit = (await Grains.GetGrain<ISandboxPaymentGrain>(PaymentIds.For(order.OrderId)).Get())!;
            var depositRefund = shopper.PaysDeposit ? perUnit * (shopper.Quantity - share) : 0;
            Assert.Equal(depositRefund, deposit.RefundedMinor);
            Assert.Equal(depositRefund, order.Refunds?.Sum(r => r.AmountMinor) ?? 0);
            if (expected == OrderStatus.Forfeited && shopper.Balance == Balance.PaidLate)
            {
                var balance = (await Grains.GetGrain<ISandboxPaymentGrain>(PaymentIds.BalanceFor(order.OrderId)).Get())!;
                Assert.Equal((SandboxPaymentStatus.Refunded, order.AmountOf(order.Payment)), (balance.Status, balance.RefundedMinor));
            }

            credited += expected switch
            {
                OrderStatus.Paid => scenario.Price * share,
                OrderStatus.Forfeited => perUnit * share, // the deposit stays with the seller
                _ => 0,
            };
            soldToPaid += expected == OrderStatus.Paid ? share : 0;
        }

        var current = (await lot.Get())!;
        AssertInvariant(current);
        Assert.Equal((soldToPaid, 0), (current.Sold, current.Reserved));
        var ledger = (await Grains.GetGrain<ISellerLedgerGrain>(sellerId).GetBalances()).SingleOrDefault() ?? LedgerBalance.Empty("CNY");
        Assert.True(ledger.Balances, $"unbalanced: {ledger}");
        Assert.Equal(credited, ledger.PaidMinor - ledger.RefundedMinor);
    }

    private async Task DeliverCopies(Order order, PaymentEvent e, int copies) =>
        await Task.WhenAll(Enumerable.Range(0, copies).Select(async _ => Value(await Deliver(Grains, order, e))));
}
