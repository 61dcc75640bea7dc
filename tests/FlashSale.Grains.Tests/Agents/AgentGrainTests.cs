using FlashSale.Agents;
using FlashSale.Carts;
using FlashSale.Common;
using FlashSale.Orders;
using FlashSale.Payments;
using FlashSale.Tests.Infrastructure;
using FlashSale.Tests.Payments;
using static FlashSale.Tests.Infrastructure.Sale;
using static FlashSale.Tests.Payments.Payment;

namespace FlashSale.Tests.Agents;

/// <summary>A village agent orders for the villagers it registered, within a cap per lot, and confirms the cash it collects.</summary>
[Collection(PaymentsCluster.Name)]
public sealed class AgentGrainTests(EngineClusterFixture cluster)
{
    private IGrainFactory Grains => cluster.Grains;

    private IAgentGrain NewAgent() => Grains.GetGrain<IAgentGrain>(Ids.New(Ids.AgentPrefix));

    private async Task<Order> CheckOut(string villager, string method = "village-agent") =>
        Value(await Grains.GetGrain<IShopperCartGrain>(villager).Checkout(Ids.New(Ids.OrderPrefix), method));

    [Fact]
    public async Task The_cap_counts_every_villagers_holds_and_orders_and_the_villager_limit_still_applies()
    {
        var (lotId, lot) = await CreateLot(Grains, quantity: 40, limit: 6); // cap: a quarter of 40 = 10
        var agent = NewAgent();
        var ma = (await agent.RegisterVillager("Ma Li")).ShopperId;
        var zhou = (await agent.RegisterVillager("Zhou Hua")).ShopperId;
        var wu = (await agent.RegisterVillager("Wu Gang")).ShopperId;

        Value(await agent.SetItem(ma, lotId, 6));
        await CheckOut(ma);
        Refused(await agent.SetItem(zhou, lotId, 7), RefusalCode.LimitExceeded); // over the villager's own limit
        Value(await agent.SetItem(zhou, lotId, 4));
        Refused(await agent.SetItem(wu, lotId, 1), RefusalCode.LimitExceeded); // 6 ordered + 4 held = the agent's 10

        Assert.Empty((await Grains.GetGrain<IShopperCartGrain>(wu).Get()).Items);
        Assert.Equal((30, 10, 0), await Counts(lot));

        // A hold that lapses gives the agent's share back.
        cluster.Clock.Advance(TimeSpan.FromMinutes(10));
        Value(await agent.SetItem(wu, lotId, 4));
        Assert.Equal((30, 10, 0), await Counts(lot));
    }

    [Fact]
    public async Task Concurrent_holds_for_many_villagers_never_pass_the_cap()
    {
        var (lotId, lot) = await CreateLot(Grains, quantity: 100, limit: 5); // cap 25
        var agent = NewAgent();
        var villagers = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            villagers.Add((await agent.RegisterVillager($"Villager {i}")).ShopperId);
        }

        var answers = await Task.WhenAll(villagers.Select(v => agent.SetItem(v, lotId, 3)));

        Assert.Equal(8, answers.Count(a => a.Succeeded)); // 8 × 3 = 24; a ninth would make 27
        Assert.All(answers.Where(a => !a.Succeeded), a => Assert.Equal(RefusalCode.LimitExceeded, a.Refusal!.Code));
        Assert.Equal((76, 24, 0), await Counts(lot));
        var other = NewAgent();
        Value(await other.SetItem((await other.RegisterVillager("Next village")).ShopperId, lotId, 5)); // the cap is per agent
    }

    [Fact]
    public async Task Only_the_registering_agent_acts_for_a_villager()
    {
        var (lotId, lot) = await CreateLot(Grains, quantity: 40, limit: 5);
        var agent = NewAgent();
        var stranger = NewAgent();
        var villager = (await agent.RegisterVillager("Ma Li")).ShopperId;
        Value(await agent.SetItem(villager, lotId, 2));
        var order = await CheckOut(villager);

        Refused(await stranger.SetItem(villager, lotId, 3), RefusalCode.NotFound);
        Refused(await stranger.MarkCollected(order.OrderId), RefusalCode.NotFound);
        Assert.False(await stranger.Represents(villager));
        Assert.True(await agent.Represents(villager));
        Assert.Equal(OrderStatus.AwaitingPayment, (await OrderOf(Grains, order)).Status);
        Assert.Equal((38, 2, 0), await Counts(lot));
    }

    [Fact]
    public async Task Collected_cash_pays_the_order_once()
    {
        var (lotId, lot) = await CreateLot(Grains, quantity: 40, limit: 5, price: 1200);
        var agent = NewAgent();
        var villager = (await agent.RegisterVillager("Ma Li")).ShopperId;
        Value(await agent.SetItem(villager, lotId, 3));
        var order = await CheckOut(villager);

        var paid = Value(await agent.MarkCollected(order.OrderId));
        var again = Value(await agent.MarkCollected(order.OrderId));

        Assert.Equal((OrderStatus.Paid, PaymentStatus.Succeeded), (paid.Status, paid.Payment.Status));
        Assert.Equal(OrderStatus.Paid, again.Status);
        Assert.Equal((37, 0, 3), await Counts(lot));
        var record = await Grains.GetGrain<IPaymentGrain>(order.Payment.PaymentId).Get();
        Assert.Equal(("village-agent", PaymentEventStatus.Applied), (Assert.Single(record.Events).Provider, record.Events[0].Status));
    }

    [Fact]
    public async Task An_agent_cannot_confirm_cash_for_a_gateway_payment()
    {
        var (lotId, _) = await CreateLot(Grains, quantity: 40, limit: 5);
        var agent = NewAgent();
        var villager = (await agent.RegisterVillager("Ma Li")).ShopperId;
        Value(await agent.SetItem(villager, lotId, 1));
        var order = await CheckOut(villager, "wallet");

        Refused(await agent.MarkCollected(order.OrderId), RefusalCode.Conflict);

        Assert.Equal(OrderStatus.AwaitingPayment, (await OrderOf(Grains, order)).Status);
        Assert.Empty((await Grains.GetGrain<IPaymentGrain>(order.Payment.PaymentId).Get()).Events);
    }

    [Fact]
    public async Task Cash_collected_after_the_window_retakes_the_stock_only_within_the_agents_cap()
    {
        var (lotId, lot) = await CreateLot(Grains, quantity: 40, limit: 6); // cap 10
        var agent = NewAgent();
        var ma = (await agent.RegisterVillager("Ma Li")).ShopperId;
        var zhou = (await agent.RegisterVillager("Zhou Hua")).ShopperId;
        Value(await agent.SetItem(ma, lotId, 4));
        var late = await CheckOut(ma);
        cluster.Clock.Advance(TimeSpan.FromHours(48)); // the collection window closes; the 4 go back

        Value(await agent.SetItem(zhou, lotId, 6));
        await CheckOut(zhou, "cash-on-delivery");
        var retaken = Value(await agent.MarkCollected(late.OrderId)); // 6 bought by Zhou + 4 taken again: exactly the cap of 10
        Assert.Equal(OrderStatus.Paid, retaken.Status);
        Assert.Equal(SettlementPath.StockRetaken, (await Grains.GetGrain<IOrderGrain>(late.OrderId).GetSettlement())!.Path);

        // A second expired order that would pass the cap is refused, and nothing changes.
        var wu = (await agent.RegisterVillager("Wu Gang")).ShopperId;
        cluster.Clock.Advance(TimeSpan.FromMinutes(1));
        var (otherLotId, _) = await CreateLot(Grains, quantity: 8, limit: 2); // cap 2
        Value(await agent.SetItem(wu, otherLotId, 2));
        var expired = await CheckOut(wu);
        cluster.Clock.Advance(TimeSpan.FromHours(48));
        Value(await agent.SetItem(zhou, otherLotId, 2));
        Refused(await agent.MarkCollected(expired.OrderId), RefusalCode.LimitExceeded);
        Assert.Equal(OrderStatus.Expired, (await OrderOf(Grains, expired)).Status);
        Assert.Empty((await Grains.GetGrain<IPaymentGrain>(expired.Payment.PaymentId).Get()).Events);
        Assert.Equal((30, 0, 10), await Counts(lot));
    }
}
