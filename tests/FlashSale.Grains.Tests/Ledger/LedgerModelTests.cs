using CsCheck;
using FlashSale.Carts;
using FlashSale.Common;
using FlashSale.Fulfilment;
using FlashSale.Ledger;
using FlashSale.Orders;
using FlashSale.Tests.Infrastructure;
using FlashSale.Tests.Payments;
using Xunit.Abstractions;
using static FlashSale.Tests.Infrastructure.Sale;

namespace FlashSale.Tests.Ledger;

/// <summary>
/// Random sequences of orders (paid by wallet, or cash on delivery at a point or at home), moves,
/// seller cancels (with their refunds), handovers, remittances and confirmations, run against
/// the real grains, with a plain model of where every minor unit should be. After each step the
/// seller's ledger equals the model, balances (paid − refunded == gateway + agents + seller +
/// remitted), and the agent's held and pending cash equal the model's. CsCheck prints the seed
/// of a failing sequence; set <c>CsCheck_Seed</c> to replay it.
/// </summary>
[Collection(EngineCluster.Name)]
public sealed class LedgerModelTests(EngineClusterFixture cluster, ITestOutputHelper output)
{
    private IGrainFactory Grains => cluster.Grains;

    private abstract record Op;
    private sealed record Place(int Method, int Quantity) : Op;
    private sealed record Advance(int Order) : Op;
    private sealed record Cancel(int Order) : Op;
    private sealed record Remit(int Percent) : Op;
    private sealed record Confirm(int Remittance) : Op;

    private static readonly Gen<Op> OpGen = Gen.Frequency(
        (3, Gen.Select(Gen.Int[0, 2], Gen.Int[1, 3], (m, q) => (Op)new Place(m, q))),
        (6, Gen.Int[0, 7].Select(k => (Op)new Advance(k))),
        (1, Gen.Int[0, 7].Select(k => (Op)new Cancel(k))),
        (2, Gen.Int[1, 100].Select(p => (Op)new Remit(p))),
        (2, Gen.Int[0, 3].Select(k => (Op)new Confirm(k))));

    private sealed class ModelOrder(Order order, int method)
    {
        public Order Order { get; } = order;
        public int Method { get; } = method; // 0 wallet (pickup), 1 cash at a point, 2 cash at home
        public int Stage { get; set; } // 0 awaiting packing, 1 packed, 2 shipped, 3 at point / delivered, 4 collected
        public bool Cancelled { get; set; }
        public int LastStage => Method == 2 ? 3 : 4;
    }

    private sealed class Model
    {
        public long Paid, Refunded, Gateway, Agents, Seller, Remitted, AgentPending;
        public List<ModelOrder> Orders { get; } = [];
        public List<(Remittance Remittance, bool Confirmed)> Remittances { get; } = [];

        public LedgerBalance Balance => new("CNY", Paid, Refunded, Gateway, Agents, Seller, Remitted);
    }

    [Fact]
    public async Task The_ledger_agrees_with_a_simple_model_after_random_sequences_of_money_moves()
    {
        await OpGen.Array[5, 30].SampleAsync(Run, writeLine: output.WriteLine, iter: 25, threads: 1,
            print: ops => string.Join(Environment.NewLine, ops.Select((o, i) => $"{i,3}: {o}")));
    }

    private async Task Run(Op[] ops)
    {
        var sellerId = NewSeller();
        var (lotId, _) = await CreateLot(Grains, quantity: 10_000, limit: 5, price: 700, sellerId: sellerId);
        var point = await Grains.GetGrain<IPickupPointDirectoryGrain>(0).Register(Ids.New(Ids.AgentPrefix), "Point", "Village");
        var ledger = Grains.GetGrain<ISellerLedgerGrain>(sellerId);
        var cash = Grains.GetGrain<IAgentCashGrain>(point.AgentId);
        var model = new Model();

        foreach (var op in ops)
        {
            await Step(op, model, sellerId, lotId, point, ledger, cash);
            var balances = await ledger.GetBalances();
            var balance = balances.SingleOrDefault() ?? LedgerBalance.Empty("CNY");
            Assert.True(balance.Balances, $"unbalanced after {op}: {balance}");
            Assert.Equal(model.Balance, balance);
            var held = (await cash.GetHeld()).SingleOrDefault();
            Assert.Equal((model.Agents, model.AgentPending), (held?.HeldMinor ?? 0, held?.PendingRemittanceMinor ?? 0));
        }
    }

    private async Task Step(Op op, Model model, string sellerId, string lotId, PickupPoint point, ISellerLedgerGrain ledger, IAgentCashGrain cash)
    {
        switch (op)
        {
            case Place(var method, var quantity):
            {
                var cart = Grains.GetGrain<IShopperCartGrain>(NewShopper());
                Value(await cart.SetItem(lotId, quantity));
                var order = Value(await cart.Checkout(Ids.New(Ids.OrderPrefix), method == 0 ? "wallet" : "cash-on-delivery"));
                var grain = Grains.GetGrain<IOrderFulfilmentGrain>(order.OrderId);
                Value(await grain.SetDelivery(order.ShopperId, method == 2
                    ? OrderDelivery.ToHome(new DeliveryAddress("Li", "123456", "1 Road", "Village", "Region"))
                    : OrderDelivery.AtPoint(point)));
                if (method == 0)
                {
                    await Payment.Delivered(Grains, order, await Payment.Issue(Grains, order));
                    model.Paid += order.TotalMinor;
                    model.Gateway += order.TotalMinor;
                }

                model.Orders.Add(new ModelOrder(order, method));
                break;
            }

            case Advance(var k) when k < model.Orders.Count:
            {
                var o = model.Orders[k];
                var grain = Grains.GetGrain<IOrderFulfilmentGrain>(o.Order.OrderId);
                if (o.Cancelled || o.Stage == o.LastStage)
                {
                    var refused = o.Stage switch
                    {
                        4 => await grain.Handover(point.AgentId, (await Current(o)).Fulfilment!.PickupCode!),
                        _ when o.Method == 2 => await grain.Deliver(sellerId),
                        _ => await grain.Pack(sellerId),
                    };
                    Refused(refused, RefusalCode.Conflict);
                    break;
                }

                var moved = o.Stage switch
                {
                    0 => await grain.Pack(sellerId),
                    1 => await grain.Ship(sellerId, null),
                    2 when o.Method == 2 => await grain.Deliver(sellerId),
                    2 => await grain.Arrived(point.AgentId),
                    _ => await grain.Handover(point.AgentId, (await Current(o)).Fulfilment!.PickupCode!),
                };
                Value(moved);
                o.Stage++;
                if (o.Stage == o.LastStage && o.Method == 1)
                {
                    model.Paid += o.Order.TotalMinor;
                    model.Agents += o.Order.TotalMinor;
                }
                else if (o.Stage == o.LastStage && o.Method == 2)
                {
                    model.Paid += o.Order.TotalMinor;
                    model.Seller += o.Order.TotalMinor;
                }

                break;
            }

            case Cancel(var k) when k < model.Orders.Count:
            {
                var o = model.Orders[k];
                var cancelled = await Grains.GetGrain<IOrderFulfilmentGrain>(o.Order.OrderId).CancelBySeller(sellerId, "short harvest");
                if (o.Cancelled || o.Stage > 1)
                {
                    Refused(cancelled, RefusalCode.Conflict);
                    break;
                }

                Value(cancelled);
                o.Cancelled = true;
                if (o.Method == 0)
                {
                    model.Refunded += o.Order.TotalMinor;
                    model.Gateway -= o.Order.TotalMinor;
                }

                break;
            }

            case Remit(var percent):
            {
                var free = model.Agents - model.AgentPending;
                var amount = free * percent / 100;
                if (amount < 1)
                {
                    Refused(await cash.Remit(sellerId, "CNY", free + 1), RefusalCode.Conflict);
                    break;
                }

                model.Remittances.Add((Value(await cash.Remit(sellerId, "CNY", amount)), false));
                model.AgentPending += amount;
                break;
            }

            case Confirm(var k) when k < model.Remittances.Count:
            {
                var (remittance, confirmed) = model.Remittances[k];
                var outcome = await ledger.ConfirmRemittance(remittance.RemittanceId);
                if (confirmed)
                {
                    Refused(outcome, RefusalCode.Conflict);
                    break;
                }

                Value(outcome);
                model.Remittances[k] = (remittance, true);
                model.AgentPending -= remittance.AmountMinor;
                model.Agents -= remittance.AmountMinor;
                model.Remitted += remittance.AmountMinor;
                break;
            }
        }
    }

    private async Task<Order> Current(ModelOrder o) => (await Grains.GetGrain<IOrderGrain>(o.Order.OrderId).Get())!;
}
