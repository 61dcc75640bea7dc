using FlashSale.Agents;
using FlashSale.Carts;
using FlashSale.Common;
using FlashSale.Ledger;
using FlashSale.Lots;
using FlashSale.Orders;
using FlashSale.Payments;
using FlashSale.Payments.Sandbox;
using FlashSale.Tests.Infrastructure;
using FlashSale.Tests.Payments;
using static FlashSale.Tests.Infrastructure.Sale;
using static FlashSale.Tests.Payments.Payment;

namespace FlashSale.Tests.Orders;

/// <summary>
/// Presale orders end to end in the engine: deposits, a short harvest shared by the lot's rule,
/// the unallocated deposit shares refunded once, balances paid, one forfeited and paid late, and a
/// harvest that lapses. Runs on the payments cluster, whose clock the tests move by days.
/// </summary>
[Collection(PaymentsCluster.Name)]
public sealed class PresaleOrderTests(EngineClusterFixture cluster)
{
    private const long Price = 1000;
    private const int DepositPercent = 30;
    private const long DepositPerUnit = 300;
    private const int BalanceWindowHours = 48;

    private IGrainFactory Grains => cluster.Grains;

    [Fact]
    public async Task A_short_harvest_is_shared_pro_rata_with_unallocated_deposits_refunded_once_and_an_unpaid_balance_forfeited()
    {
        var sellerId = NewSeller();
        var (lotId, lot) = await CreatePresale(sellerId, forecast: 10, PresaleAllocation.ProRata);

        // Four shoppers commit 3, 3, 3 and 1 units and pay their deposits.
        var orders = new List<Order>();
        foreach (var quantity in new[] { 3, 3, 3, 1 })
        {
            var placed = await PlaceOrder(Grains, "wallet", (lotId, quantity));
            Assert.Equal((DepositPerUnit * quantity, Price * quantity), (placed.AmountOf(placed.Payment), placed.TotalMinor));
            await Delivered(Grains, placed, await Issue(Grains, placed));
            orders.Add(await OrderOf(Grains, placed));
        }

        Assert.All(orders, o => Assert.Equal(OrderStatus.DepositPaid, o.Status));
        Assert.Equal((0, 0, 10), await Counts(lot));

        // Not before the window, and only by the lot's seller.
        Refused(await lot.DeclareHarvest(sellerId, 6), RefusalCode.Conflict);
        cluster.Clock.Advance(TimeSpan.FromDays(2));
        Refused(await lot.DeclareHarvest(NewSeller(), 6), RefusalCode.Forbidden);

        // 6 of the 10 forecast units: 1.8 each for the three-unit orders (1 + the three largest remainders), 0.6 for the last.
        var declaration = Value(await lot.DeclareHarvest(sellerId, 6));
        Assert.Equal(6, declaration.Declared);
        Assert.Equal(
            orders.Select(o => (o.OrderId, o.Presale!.Ordered, o == orders[3] ? 0 : 2)).OrderBy(s => s.OrderId, StringComparer.Ordinal),
            declaration.Orders.Select(s => (s.OrderId, s.Ordered, s.Allocated)));
        var retried = Value(await lot.DeclareHarvest(sellerId, 6)); // a retry answers the same
        Assert.Equal((declaration.Declared, declaration.DeclaredAt), (retried.Declared, retried.DeclaredAt));
        Assert.Equal(declaration.Orders, retried.Orders);
        Refused(await lot.DeclareHarvest(sellerId, 7), RefusalCode.Conflict); // declared once
        var afterHarvest = (await lot.Get())!;
        Assert.Equal((6, 0, 0, 6, LotStatus.Ended), (afterHarvest.Quantity, afterHarvest.Available, afterHarvest.Reserved, afterHarvest.Sold, afterHarvest.Status));

        // Each order collects its share; a second collection changes nothing.
        foreach (var order in orders)
        {
            Value(await OrderGrain(order).CollectHarvest());
            Value(await OrderGrain(order).CollectHarvest());
        }

        orders = [.. await Task.WhenAll(orders.Select(o => OrderOf(Grains, o)))];
        var cut = orders[3];
        Assert.Equal((OrderStatus.Refunded, 0), (cut.Status, cut.Presale!.Allocated));
        Assert.Equal(DepositPerUnit, Assert.Single(cut.Refunds!).AmountMinor);
        await AssertRefundedOnce(cut.Payment.PaymentId, DepositPerUnit);

        foreach (var order in orders.Take(3))
        {
            Assert.Equal(OrderStatus.AwaitingBalance, order.Status);
            Assert.Equal(PaymentIds.BalanceFor(order.OrderId), order.Payment.PaymentId);
            Assert.Equal((2, (Price - DepositPerUnit) * 2, Price * 2), (order.Presale!.Allocated, order.AmountOf(order.Payment), order.TotalMinor));
            Assert.Equal(DepositPerUnit, Assert.Single(order.Refunds!).AmountMinor);
            await AssertRefundedOnce(order.Presale.Deposit!.PaymentId, DepositPerUnit);
        }

        // Two balances are paid (one delivered twice); a stale copy of a deposit's event changes nothing.
        var second = await Issue(Grains, orders[1]);
        await Delivered(Grains, orders[0], await Issue(Grains, orders[0]));
        await Delivered(Grains, orders[1], second);
        await Delivered(Grains, orders[1], second);
        Assert.Equal(OrderStatus.Paid, (await OrderOf(Grains, orders[0])).Status);
        Assert.Equal(OrderStatus.Paid, (await OrderOf(Grains, orders[1])).Status);

        // The third balance is not paid in time: forfeited, its two units go back to the lot.
        cluster.Clock.Advance(TimeSpan.FromHours(BalanceWindowHours + 1));
        await OrderGrain(orders[2]).ExpireIfDue();
        var forfeited = await OrderOf(Grains, orders[2]);
        Assert.Equal(OrderStatus.Forfeited, forfeited.Status);
        Assert.Equal((2, 0, 4), await Counts(lot));

        // Paid late anyway: that money goes back whole, once, however often the gateway repeats it.
        var late = await Issue(Grains, forfeited);
        await Delivered(Grains, forfeited, late);
        await Delivered(Grains, forfeited, late);
        Assert.Equal(OrderStatus.Forfeited, (await OrderOf(Grains, orders[2])).Status);
        await AssertRefundedOnce(forfeited.Payment.PaymentId, (Price - DepositPerUnit) * 2);

        // The seller is credited price × units delivered, plus the forfeited deposit: deposits + balances − refunds.
        var expected = (2 * Price * 2) + (DepositPerUnit * 2);
        // (The orders deliver their ledger entries within the calls above, before answering.)
        var balance = Assert.Single(await Grains.GetGrain<ISellerLedgerGrain>(sellerId).GetBalances());
        Assert.True(balance.Balances);
        Assert.Equal(expected, balance.PaidMinor - balance.RefundedMinor);
        Assert.Equal((DepositPerUnit * 10) + ((Price - DepositPerUnit) * 4), balance.PaidMinor);
    }

    [Fact]
    public async Task First_come_fills_the_earliest_deposits_whole()
    {
        var sellerId = NewSeller();
        var (lotId, lot) = await CreatePresale(sellerId, forecast: 9, PresaleAllocation.FirstCome);
        var orders = new List<Order>();
        foreach (var quantity in new[] { 3, 3, 3 })
        {
            var placed = await PlaceOrder(Grains, "bank-transfer", (lotId, quantity));
            await Delivered(Grains, placed, await Issue(Grains, placed));
            orders.Add(placed);
            cluster.Clock.Advance(TimeSpan.FromSeconds(1)); // ordered one after another
        }

        cluster.Clock.Advance(TimeSpan.FromDays(2));
        var declaration = Value(await lot.DeclareHarvest(sellerId, 4));
        Assert.Equal([3, 1, 0], orders.Select(o => declaration.Orders.Single(s => s.OrderId == o.OrderId).Allocated));
    }

    [Fact]
    public async Task A_harvest_not_declared_within_its_window_refunds_every_deposit_and_returns_the_units()
    {
        var sellerId = NewSeller();
        var (lotId, lot) = await CreatePresale(sellerId, forecast: 5, PresaleAllocation.ProRata);
        var placed = await PlaceOrder(Grains, "wallet", (lotId, 2));
        await Delivered(Grains, placed, await Issue(Grains, placed));

        cluster.Clock.Advance(TimeSpan.FromDays(11)); // past harvestTo
        await OrderGrain(placed).ExpireIfDue();
        var lapsed = await OrderOf(Grains, placed);
        Assert.Equal(OrderStatus.Refunded, lapsed.Status);
        Assert.Equal(DepositPerUnit * 2, Assert.Single(lapsed.Refunds!).AmountMinor);
        await AssertRefundedOnce(placed.Payment.PaymentId, DepositPerUnit * 2);
        Assert.Equal((5, 0, 0), await Counts(lot));
        Refused(await lot.DeclareHarvest(sellerId, 5), RefusalCode.Conflict); // the window has closed
    }

    [Fact]
    public async Task A_presale_is_checked_out_alone_and_never_paid_on_delivery_and_a_refusal_moves_no_stock()
    {
        var (presaleId, presale) = await CreatePresale(NewSeller(), forecast: 5, PresaleAllocation.ProRata, harvestFromIn: TimeSpan.FromMinutes(1));
        var (standardId, standard) = await CreateLot(Grains, quantity: 5);
        var cart = Grains.GetGrain<IShopperCartGrain>(NewShopper());
        Value(await cart.SetItem(presaleId, 1));
        Value(await cart.SetItem(standardId, 1));

        Refused(await cart.Checkout(Ids.New(Ids.OrderPrefix), "wallet"), RefusalCode.Conflict);
        Value(await cart.RemoveItem(standardId));
        Refused(await cart.Checkout(Ids.New(Ids.OrderPrefix), "cash-on-delivery"), RefusalCode.InvalidRequest);
        Assert.Equal((4, 1, 0), await Counts(presale)); // still only the shopper's hold
        Assert.Equal((5, 0, 0), await Counts(standard));

        // A deposit cannot be waiting when the harvest is declared: the order would have no share.
        var order = Value(await cart.Checkout(Ids.New(Ids.OrderPrefix), "wallet"));
        var sellerId = (await presale.Get())!.SellerId;
        cluster.Clock.Advance(TimeSpan.FromMinutes(2)); // the window is open, the deposit is still due
        Refused(await presale.DeclareHarvest(sellerId, 1), RefusalCode.Conflict);

        // Once the deposit's deadline has passed, the order has no claim and the harvest can be declared.
        cluster.Clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Empty(Value(await presale.DeclareHarvest(sellerId, 1)).Orders);
        Assert.Equal(OrderStatus.Expired, (await OrderOf(Grains, order)).Status);
        Assert.Equal((1, 0, 0), await Counts(presale));
    }

    [Fact]
    public async Task A_deposit_in_cash_through_a_village_agent_is_handed_back_for_the_unallocated_units_once()
    {
        var sellerId = NewSeller();
        var (lotId, lot) = await CreatePresale(sellerId, forecast: 40, PresaleAllocation.ProRata); // an agent may take a quarter: 10
        var agentId = Ids.New(Ids.AgentPrefix);
        var agent = Grains.GetGrain<IAgentGrain>(agentId);
        var orders = new List<Order>();
        foreach (var name in new[] { "Ma Li", "Zhou Hua" })
        {
            var villager = (await agent.RegisterVillager(name)).ShopperId;
            Value(await agent.SetItem(villager, lotId, 2));
            var order = Value(await Grains.GetGrain<IShopperCartGrain>(villager).Checkout(Ids.New(Ids.OrderPrefix), "village-agent"));
            Assert.Equal(OrderStatus.DepositPaid, Value(await agent.MarkCollected(order.OrderId)).Status);
            Assert.Equal(OrderStatus.DepositPaid, Value(await agent.MarkCollected(order.OrderId)).Status); // once
            orders.Add(order);
            cluster.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var cash = Grains.GetGrain<IAgentCashGrain>(agentId);
        Assert.Equal(DepositPerUnit * 4, Assert.Single(await cash.GetHeld()).HeldMinor);

        // 3 of the 4 ordered: 1.5 each, and the unit left over goes to the earlier order (equal remainders).
        cluster.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal([2, 1], Value(await lot.DeclareHarvest(sellerId, 3)).Orders.OrderBy(s => orders.FindIndex(o => o.OrderId == s.OrderId)).Select(s => s.Allocated));
        foreach (var order in orders)
        {
            Value(await OrderGrain(order).CollectHarvest());
            Value(await OrderGrain(order).CollectHarvest());
        }

        var cut = await OrderOf(Grains, orders[1]);
        Assert.Equal(DepositPerUnit, Assert.Single(cut.Refunds!).AmountMinor);
        Assert.Null((await OrderOf(Grains, orders[0])).Refunds);
        Assert.Equal(DepositPerUnit * 3, Assert.Single(await cash.GetHeld()).HeldMinor); // the agent handed one unit's deposit back

        // The agent collects both balances in cash.
        foreach (var order in orders)
        {
            Assert.Equal(OrderStatus.Paid, Value(await agent.MarkCollected(order.OrderId)).Status);
        }

        var held = Assert.Single(await cash.GetHeld()).HeldMinor;
        Assert.Equal(Price * 3, held); // deposits + balances − the refund: the price of the 3 units delivered
        var balance = Assert.Single(await Grains.GetGrain<ISellerLedgerGrain>(sellerId).GetBalances());
        Assert.Equal((Price * 3, held), (balance.PaidMinor - balance.RefundedMinor, balance.HeldByAgentsMinor));
    }

    [Fact]
    public async Task A_surge_at_a_presales_opening_never_commits_more_than_the_forecast_and_the_harvest_is_shared_whole()
    {
        const int forecast = 60, shoppers = 300, limit = 3;
        var sellerId = NewSeller();
        var (lotId, lot) = await CreatePresale(sellerId, forecast, PresaleAllocation.ProRata, perShopperLimit: limit);
        var random = new Random(20261201); // seeded: the same surge every run
        var wanted = Enumerable.Range(0, shoppers).Select(_ => random.Next(1, limit + 1)).ToArray();

        // Every shopper holds, checks out and pays the deposit at once; most find it sold out.
        var placed = await Task.WhenAll(wanted.Select(async quantity =>
        {
            var cart = Grains.GetGrain<IShopperCartGrain>(NewShopper());
            if (!(await cart.SetItem(lotId, quantity)).Succeeded)
            {
                return null;
            }

            var order = await cart.Checkout(Ids.New(Ids.OrderPrefix), "wallet");
            if (!order.Succeeded)
            {
                return null;
            }

            await Delivered(Grains, order.Value!, await Issue(Grains, order.Value!));
            return order.Value;
        }));

        var orders = placed.OfType<Order>().ToList();
        var current = (await lot.Get())!;
        AssertInvariant(current);
        // 300 shoppers want about 600 units: while 3 are left every hold succeeds, so at most 2 stay unsold, and none is oversold.
        Assert.Equal(0, current.Reserved);
        Assert.InRange(current.Sold, forecast - (limit - 1), forecast);
        Assert.Equal(current.Sold, orders.Sum(o => o.Items.Single().Quantity));
        Assert.All(await Task.WhenAll(orders.Select(o => OrderOf(Grains, o))), o => Assert.Equal(OrderStatus.DepositPaid, o.Status));

        cluster.Clock.Advance(TimeSpan.FromDays(2));
        var declaration = Value(await lot.DeclareHarvest(sellerId, 41));
        Assert.Equal(orders.Count, declaration.Orders.Count);
        Assert.Equal(41, declaration.Orders.Sum(s => s.Allocated));
        Assert.All(declaration.Orders, s => Assert.InRange(s.Allocated, 0, s.Ordered));
        await Task.WhenAll(orders.Select(o => OrderGrain(o).CollectHarvest()));
        var after = await Task.WhenAll(orders.Select(o => OrderOf(Grains, o)));
        Assert.Equal(41, after.Where(o => o.Status == OrderStatus.AwaitingBalance).Sum(o => o.Presale!.Allocated));
        Assert.Equal(DepositPerUnit * (current.Sold - 41), after.Sum(o => o.Refunds?.Sum(r => r.AmountMinor) ?? 0));
    }

    [Fact]
    public async Task What_nobody_took_leaves_the_presale_once_and_a_failed_move_comes_back()
    {
        var sellerId = NewSeller();
        var (lotId, lot) = await CreatePresale(sellerId, forecast: 10, PresaleAllocation.ProRata);
        var placed = await PlaceOrder(Grains, "wallet", (lotId, 4));
        await Delivered(Grains, placed, await Issue(Grains, placed));
        Refused(await lot.ReleaseSurplus(sellerId, Ids.New(Ids.LotPrefix)), RefusalCode.Conflict); // no harvest yet

        cluster.Clock.Advance(TimeSpan.FromDays(2));
        Value(await lot.DeclareHarvest(sellerId, 12)); // a good year: 8 more than the orders
        Assert.Equal((8, 0, 4), await Counts(lot));
        Refused(await lot.ReleaseSurplus(NewSeller(), Ids.New(Ids.LotPrefix)), RefusalCode.Forbidden);

        // A move that cannot finish gives the units back.
        var first = Ids.New(Ids.LotPrefix);
        Assert.Equal(new SurplusRelease(first, 8), Value(await lot.ReleaseSurplus(sellerId, first)));
        Assert.Equal((0, 0, 4), await Counts(lot));
        Assert.Equal(new SurplusRelease(first, 8), Value(await lot.ReleaseSurplus(sellerId, Ids.New(Ids.LotPrefix)))); // pending: answered again
        await lot.ReclaimSurplus(first);
        await lot.ReclaimSurplus(first);
        Assert.Equal((8, 0, 4), await Counts(lot));

        var second = Ids.New(Ids.LotPrefix);
        Assert.Equal(8, Value(await lot.ReleaseSurplus(sellerId, second)).Quantity);
        await lot.ConfirmSurplus(second);
        await lot.ReclaimSurplus(second); // confirmed: nothing comes back
        var after = (await lot.Get())!;
        Assert.Equal((4, 0, 0, 4), (after.Quantity, after.Available, after.Reserved, after.Sold));
        Refused(await lot.ReleaseSurplus(sellerId, Ids.New(Ids.LotPrefix)), RefusalCode.Conflict); // nothing left

        // A forfeited balance returns its units, which can then go on sale too.
        Value(await OrderGrain(placed).CollectHarvest());
        cluster.Clock.Advance(TimeSpan.FromHours(BalanceWindowHours + 1));
        await OrderGrain(placed).ExpireIfDue();
        Assert.Equal(4, Value(await lot.ReleaseSurplus(sellerId, Ids.New(Ids.LotPrefix))).Quantity);
    }

    [Fact]
    public async Task Units_sold_by_weight_settle_on_what_was_packed_within_the_tolerance()
    {
        var sellerId = NewSeller();
        var now = cluster.Clock.GetUtcNow();
        var terms = new PresaleTerms(DepositPercent, now + TimeSpan.FromDays(1), now + TimeSpan.FromDays(10), BalanceWindowHours, PresaleAllocation.ProRata,
            "A", UnitWeightGrams: 5000, WeightTolerancePercent: 5);
        var lotId = Ids.New(Ids.LotPrefix);
        var lot = Grains.GetGrain<IProduceLotGrain>(lotId);
        Value(await lot.Create(new LotDefinition(sellerId, "Honey pears, 5 kg boxes", "box", Price, "CNY", 10, 5, null, null, Presale: terms)));
        var heavy = await PlaceOrder(Grains, "wallet", (lotId, 2));
        var light = await PlaceOrder(Grains, "wallet", (lotId, 2));
        foreach (var order in new[] { heavy, light })
        {
            await Delivered(Grains, order, await Issue(Grains, order));
        }

        cluster.Clock.Advance(TimeSpan.FromDays(2));
        var preview = Value(await lot.PreviewHarvest(sellerId, 4));
        Assert.All(preview.Orders, s => Assert.Equal(2, s.Allocated));
        Assert.Equal((6, 0, 4), await Counts(lot)); // a preview changes nothing

        // Each share weighs 10 kg nominal, ±5 %: 10.6 kg is too much, an order with no share cannot be weighed.
        Refused(await lot.DeclareHarvest(sellerId, 4, new Dictionary<string, long> { [heavy.OrderId] = 10_600 }), RefusalCode.InvalidRequest);
        Refused(await lot.DeclareHarvest(sellerId, 4, new Dictionary<string, long> { [Ids.New(Ids.OrderPrefix)] = 10_000 }), RefusalCode.InvalidRequest);
        Assert.Null((await lot.Get())!.Harvest);

        var declared = Value(await lot.DeclareHarvest(sellerId, 4, new Dictionary<string, long> { [heavy.OrderId] = 10_300, [light.OrderId] = 9_900 }));
        Assert.Equal((10_300L, 60L), declared.Orders.Where(s => s.OrderId == heavy.OrderId).Select(s => (s.PackedGrams!.Value, s.AdjustmentMinor)).Single()); // 1000 × 300 g ÷ 5000 g
        foreach (var order in new[] { heavy, light })
        {
            Value(await OrderGrain(order).CollectHarvest());
        }

        var heavier = await OrderOf(Grains, heavy);
        var lighter = await OrderOf(Grains, light);
        Assert.Equal((2060L, 1460L, 60L), (heavier.TotalMinor, heavier.AmountOf(heavier.Payment), heavier.Presale!.WeightAdjustmentMinor));
        Assert.Equal((1980L, 1380L, -20L), (lighter.TotalMinor, lighter.AmountOf(lighter.Payment), lighter.Presale!.WeightAdjustmentMinor));

        foreach (var order in new[] { heavier, lighter })
        {
            await Delivered(Grains, order, await Issue(Grains, order));
        }

        var balance = Assert.Single(await Grains.GetGrain<ISellerLedgerGrain>(sellerId).GetBalances());
        Assert.Equal(2060 + 1980, balance.PaidMinor - balance.RefundedMinor); // deposits + balances: what was packed, priced
    }

    [Fact]
    public async Task A_cut_order_is_offered_another_grade_which_the_shopper_declines_or_takes_up_as_a_new_order_paid_in_full()
    {
        var sellerId = NewSeller();
        var (gradeA, lotA) = await CreatePresale(sellerId, forecast: 4, PresaleAllocation.ProRata);
        var (gradeB, lotB) = await CreatePresale(sellerId, forecast: 10, PresaleAllocation.ProRata);
        var cutOrder = await PlaceOrder(Grains, "wallet", (gradeA, 4));
        await Delivered(Grains, cutOrder, await Issue(Grains, cutOrder));
        var other = await PlaceOrder(Grains, "wallet", (gradeB, 2));
        await Delivered(Grains, other, await Issue(Grains, other));
        var orderA = OrderGrain(cutOrder);
        Refused(await orderA.OfferSubstitute(sellerId, gradeB, 1), RefusalCode.Conflict); // not cut: no harvest yet

        cluster.Clock.Advance(TimeSpan.FromDays(2));
        Value(await lotA.DeclareHarvest(sellerId, 1)); // grade A fell short: 1 of 4
        Value(await lotB.DeclareHarvest(sellerId, 10)); // grade B did well: 8 beyond its orders
        Value(await orderA.CollectHarvest());
        Assert.Equal((8, 0, 2), await Counts(lotB));

        // Only the order's seller, from another of their harvests, at most what the harvest did not give.
        Refused(await orderA.OfferSubstitute(NewSeller(), gradeB, 3), RefusalCode.NotFound);
        Refused(await orderA.OfferSubstitute(sellerId, gradeA, 3), RefusalCode.InvalidRequest);
        Refused(await orderA.OfferSubstitute(sellerId, gradeB, 4), RefusalCode.InvalidRequest);
        var offered = Value(await orderA.OfferSubstitute(sellerId, gradeB, 3));
        Assert.Equal((gradeB, 3, Price, SubstituteStatus.Offered), (offered.Substitute!.LotId, offered.Substitute.Quantity, offered.Substitute.PriceMinor, offered.Substitute.Status));
        Assert.Equal(offered.Payment.ExpiresAt, offered.Substitute.ExpiresAt); // held until the balance is due
        Assert.Equal((5, 3, 2), await Counts(lotB));
        Assert.Equal(offered.Substitute, Value(await orderA.OfferSubstitute(sellerId, gradeB, 3)).Substitute); // the same offer again
        Refused(await orderA.OfferSubstitute(sellerId, gradeB, 2), RefusalCode.Conflict); // one at a time

        // Declined: the units go back, and the seller may offer again.
        var cart = Grains.GetGrain<IShopperCartGrain>(cutOrder.ShopperId);
        Assert.Equal(SubstituteStatus.Declined, Value(await orderA.DeclineSubstitute(cutOrder.ShopperId)).Substitute!.Status);
        Value(await orderA.DeclineSubstitute(cutOrder.ShopperId));
        Assert.Equal((8, 0, 2), await Counts(lotB));
        Refused(await cart.AcceptSubstitute(cutOrder.OrderId, "wallet"), RefusalCode.Conflict); // nothing on offer

        Value(await orderA.OfferSubstitute(sellerId, gradeB, 2));
        Refused(await cart.AcceptSubstitute(cutOrder.OrderId, "cash-on-delivery"), RefusalCode.InvalidRequest);
        Refused(await Grains.GetGrain<IShopperCartGrain>(NewShopper()).AcceptSubstitute(cutOrder.OrderId, "wallet"), RefusalCode.NotFound);
        var substitute = Value(await cart.AcceptSubstitute(cutOrder.OrderId, "wallet"));
        Assert.Equal(substitute.OrderId, Value(await cart.AcceptSubstitute(cutOrder.OrderId, "wallet")).OrderId); // a retry answers the same order
        Assert.Equal((OrderStatus.AwaitingPayment, Price * 2, 2, (long?)null), (substitute.Status, substitute.TotalMinor, substitute.Items.Single().Quantity, substitute.Presale?.DepositMinor));
        Assert.Equal(SubstituteStatus.Accepted, (await OrderOf(Grains, cutOrder)).Substitute!.Status);
        Assert.Equal((6, 2, 2), await Counts(lotB));

        await Delivered(Grains, substitute, await Issue(Grains, substitute));
        Assert.Equal(OrderStatus.Paid, (await OrderOf(Grains, substitute)).Status);
        Assert.Equal((6, 0, 4), await Counts(lotB));
    }

    [Fact]
    public async Task An_unanswered_substitute_lapses_with_its_time_and_its_units_go_back()
    {
        var sellerId = NewSeller();
        var (gradeA, lotA) = await CreatePresale(sellerId, forecast: 4, PresaleAllocation.ProRata);
        var (gradeB, lotB) = await CreatePresale(sellerId, forecast: 5, PresaleAllocation.ProRata);
        var cutOrder = await PlaceOrder(Grains, "wallet", (gradeA, 2));
        await Delivered(Grains, cutOrder, await Issue(Grains, cutOrder));
        cluster.Clock.Advance(TimeSpan.FromDays(2));
        Value(await lotA.DeclareHarvest(sellerId, 0)); // nothing at all: the order is refunded whole
        Value(await lotB.DeclareHarvest(sellerId, 5));
        Assert.Equal(OrderStatus.Refunded, Value(await OrderGrain(cutOrder).CollectHarvest()).Status);

        var offered = Value(await OrderGrain(cutOrder).OfferSubstitute(sellerId, gradeB, 2));
        Assert.Equal(cluster.Clock.GetUtcNow().AddHours(BalanceWindowHours), offered.Substitute!.ExpiresAt); // a refunded order: the lot's balance window
        Assert.Equal((3, 2, 0), await Counts(lotB));

        cluster.Clock.Advance(TimeSpan.FromHours(BalanceWindowHours));
        await lotB.ReturnExpired();
        Assert.Equal((5, 0, 0), await Counts(lotB));
        Assert.Equal(SubstituteStatus.Expired, (await OrderOf(Grains, cutOrder)).Substitute!.Status);
        Refused(await Grains.GetGrain<IShopperCartGrain>(cutOrder.ShopperId).AcceptSubstitute(cutOrder.OrderId, "wallet"), RefusalCode.Conflict);
    }

    private IOrderGrain OrderGrain(Order order) => Grains.GetGrain<IOrderGrain>(order.OrderId);

    private async Task<(string LotId, IProduceLotGrain Lot)> CreatePresale(string sellerId, int forecast, PresaleAllocation rule, TimeSpan? harvestFromIn = null, int? perShopperLimit = null)
    {
        var now = cluster.Clock.GetUtcNow();
        var terms = new PresaleTerms(DepositPercent, now + (harvestFromIn ?? TimeSpan.FromDays(1)), now + TimeSpan.FromDays(10), BalanceWindowHours, rule);
        var lotId = Ids.New(Ids.LotPrefix);
        var lot = Grains.GetGrain<IProduceLotGrain>(lotId);
        Value(await lot.Create(new LotDefinition(sellerId, "Navel oranges, grade A", "box", Price, "CNY", forecast, perShopperLimit ?? forecast, null, null, Presale: terms)));
        return (lotId, lot);
    }

    private async Task AssertRefundedOnce(string paymentId, long amountMinor)
    {
        var gateway = (await Grains.GetGrain<ISandboxPaymentGrain>(paymentId).Get())!;
        Assert.Equal((SandboxPaymentStatus.Refunded, amountMinor), (gateway.Status, gateway.RefundedMinor));
    }
}
