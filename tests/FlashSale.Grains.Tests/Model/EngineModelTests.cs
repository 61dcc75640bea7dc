using CsCheck;
using FlashSale.Carts;
using FlashSale.Common;
using FlashSale.Lots;
using FlashSale.Orders;
using FlashSale.Payments;
using FlashSale.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FlashSale.Tests.Model;

/// <summary>
/// Random concurrent interleavings of hold, release, checkout, cancel, payment, expiry, restock,
/// pause, resume and a cart losing its activation, checked step by step against <see cref="SaleModel"/>. Each step is either a
/// batch of shopper operations sent at once (one per shopper, so they race on the lots), one
/// seller operation, or a move of the clock. After every step the lots, carts and orders must
/// equal the model's, and the invariants must hold.
/// </summary>
/// <remarks>
/// CsCheck generates the scenarios and prints the seed of a failing one; set the environment
/// variable <c>CsCheck_Seed</c> to that seed to replay it. <c>FLASHSALE_MODEL_SCENARIOS</c> sets
/// how many scenarios run (more for a soak).
/// </remarks>
[Collection(EngineCluster.Name)]
public sealed class EngineModelTests(EngineClusterFixture cluster, ITestOutputHelper output)
{
    private const int Shoppers = 5;
    private const int MinimumOperations = 10_000;

    private static readonly (string Currency, int Quantity, int Limit)[] LotShapes = [("CNY", 6, 3), ("CNY", 4, 2), ("KES", 5, 3)];
    private static readonly string[] Methods = ["wallet", "bank-transfer", "cash-on-delivery", "mobile-money", "village-agent"];
    private static readonly int[] ClockSteps = [1, 4, 9, 10, 11, 15, 16, 60];

    private static readonly PaymentOptions Payments = PaymentOptions.CreateDefault();
    private static readonly int OpenCashOnDeliveryCap = new CashOnDeliveryOptions().MaxOpenOrdersPerShopper;

    [Fact]
    public async Task The_engine_agrees_with_the_model_under_random_concurrent_operations()
    {
        var scenarios = int.TryParse(Environment.GetEnvironmentVariable("FLASHSALE_MODEL_SCENARIOS"), out var n) ? n : 50;
        long operations = 0;

        await ScenarioGen.SampleAsync(
            async steps => Interlocked.Add(ref operations, await Run(steps)),
            writeLine: output.WriteLine,
            iter: scenarios,
            threads: 1, // scenarios share the cluster's fake clock, so they run one after another
            print: steps => string.Join(Environment.NewLine, steps.Select((s, i) => $"{i,3}: {s}")));

        output.WriteLine($"{operations} operations in {scenarios} scenarios");
        Assert.True(operations >= MinimumOperations || scenarios < 50, $"only {operations} operations ran");
    }

    // ---- Generation

    private static Gen<Op> ShopperOp(int shopper) => Gen.Frequency(
        (6, Gen.Select(Gen.Int[0, LotShapes.Length - 1], Gen.Int[0, 4], (lot, quantity) => (Op)new Hold(shopper, lot, quantity))),
        (1, Gen.Int[0, LotShapes.Length - 1].Select(lot => (Op)new Release(shopper, lot))),
        (2, Gen.Int[0, Methods.Length - 1].Select(m => (Op)new Checkout(shopper, Methods[m]))),
        (1, Gen.Int[0, 3].Select(k => (Op)new Cancel(shopper, k))),
        (2, Gen.Int[0, 3].Select(k => (Op)new Pay(shopper, k))),
        (1, Gen.Const((Op)new RestartCart(shopper))));

    private static readonly Gen<Step> ShopperBatch =
        Gen.Select(Gen.Int[1, Shoppers], Gen.Int[0, Shoppers - 1], (count, first) => (count, first))
            .SelectMany(p => Enumerable.Range(0, p.count)
                .Select(i => ShopperOp((p.first + i) % Shoppers))
                .Aggregate(Gen.Const(new List<Op>()), (acc, op) => Gen.Select(acc, op, (list, o) => new List<Op>(list) { o }))
                .Select(ops => new Step(ops.ToArray())));

    private static readonly Gen<Step> SellerStep = Gen.Frequency(
        (2, Gen.Select(Gen.Int[0, LotShapes.Length - 1], Gen.Int[1, 3], (lot, q) => (Op)new Restock(lot, q))),
        (1, Gen.Int[0, LotShapes.Length - 1].Select(lot => (Op)new Pause(lot))),
        (1, Gen.Int[0, LotShapes.Length - 1].Select(lot => (Op)new Resume(lot))))
        .Select(op => new Step([op]));

    private static readonly Gen<Step> ClockStep = Gen.Int[0, ClockSteps.Length - 1].Select(i => new Step([new Advance(ClockSteps[i])]));

    private static readonly Gen<Step[]> ScenarioGen = Gen.Frequency((14, ShopperBatch), (2, SellerStep), (3, ClockStep)).Array[80, 110];

    // ---- Running a scenario against the engine and the model together

    private async Task<int> Run(Step[] steps)
    {
        var seller = Sale.NewSeller();
        var lotIds = new List<string>();
        var lots = new List<ModelLot>();
        foreach (var (currency, quantity, limit) in LotShapes)
        {
            var (lotId, _) = await Sale.CreateLot(cluster.Grains, quantity, limit, price: 100 + lots.Count, currency: currency, sellerId: seller);
            lotIds.Add(lotId);
            lots.Add(new ModelLot(currency, quantity, limit));
        }

        var run = new ScenarioRun(cluster, new SaleModel(cluster.Clock.GetUtcNow(), lots), lotIds, seller,
            Enumerable.Range(0, Shoppers).Select(_ => Sale.NewShopper()).ToArray());
        var operations = 0;
        for (var i = 0; i < steps.Length; i++)
        {
            try
            {
                await run.Execute(steps[i]);
                await run.Verify();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new InvalidOperationException($"Step {i} ({steps[i]}) broke the model: {ex.Message}", ex);
            }

            operations += steps[i].Ops.Length;
        }

        return operations;
    }

    private sealed class ScenarioRun(EngineClusterFixture cluster, SaleModel model, List<string> lotIds, string seller, string[] shopperIds)
    {
        private readonly long[] _versions = new long[lotIds.Count];

        private IGrainFactory Grains => cluster.Grains;

        public async Task Execute(Step step)
        {
            if (step.Ops is [Advance advance])
            {
                cluster.Clock.Advance(TimeSpan.FromMinutes(advance.Minutes));
                model.Advance(TimeSpan.FromMinutes(advance.Minutes));
                return;
            }

            // Every op of a batch is judged against the state before the batch; effects are applied
            // to the model only after all have answered, since their order is the engine's choice.
            var results = await Task.WhenAll(step.Ops.Select(Send));
            var moves = StockMoves(step.Ops.Zip(results).ToList());
            var effects = step.Ops.Zip(results).Select(p => Judge(p.First, p.Second, moves)).ToList();
            foreach (var effect in effects)
            {
                effect();
            }

            for (var lot = 0; lot < lotIds.Count; lot++)
            {
                Assert.True(model.Available(lot) >= 0, $"lot {lot} was oversold");
            }
        }

        private Task<Answer> Send(Op op) => op switch
        {
            Hold h => Answer.Of(Cart(h.Shopper).SetItem(lotIds[h.Lot], h.Quantity)),
            Release r => Answer.Of(Cart(r.Shopper).RemoveItem(lotIds[r.Lot])),
            Checkout c => Answer.Of(Cart(c.Shopper).Checkout(Ids.New(Ids.OrderPrefix), c.Method)),
            Cancel c => Pick(c.Shopper, c.Pick) is { } order
                ? Answer.Of(Grains.GetGrain<IOrderGrain>(order.OrderId).Cancel(shopperIds[c.Shopper]))
                : Task.FromResult(Answer.NotSent),
            Pay p => Pick(p.Shopper, p.Pick) is { } order
                ? Answer.Of(Grains.GetGrain<IPaymentGrain>(order.PaymentId).Apply(order.Method,
                    new PaymentEvent(Ids.New(Ids.EventPrefix), order.PaymentId, PaymentEventType.Succeeded, order.Total, order.Currency)))
                : Task.FromResult(Answer.NotSent),
            RestartCart r => Restarted(Cart(r.Shopper)),
            Restock r => Answer.Of(Lot(r.Lot).Restock(seller, r.Quantity)),
            Pause p => Answer.Of(Lot(p.Lot).Pause(seller)),
            Resume r => Answer.Of(Lot(r.Lot).Resume(seller)),
            _ => throw new InvalidOperationException($"Unknown op {op}"),
        };

        /// <summary>The cart loses its activation as in a crash (it writes nothing on its way out); the next call rebuilds it.</summary>
        private static async Task<Answer> Restarted(IShopperCartGrain cart)
        {
            await cart.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
            return new Answer(null, null);
        }

        /// <summary>
        /// How each successful op of a batch moved a lot's available stock: a hold that grew or a
        /// late payment that took its stock again took some, a hold that shrank or a cancellation
        /// gave some back. An op racing with these may see any order of them.
        /// </summary>
        private List<StockMove> StockMoves(List<(Op Op, Answer Answer)> batch)
        {
            var moves = new List<StockMove>();
            foreach (var (op, answer) in batch.Where(p => p.Answer is { Skipped: false, Refusal: null }))
            {
                switch (op)
                {
                    case Hold h:
                        moves.Add(new StockMove(op, h.Lot, h.Quantity - model.Held(h.Shopper, h.Lot)));
                        break;
                    case Release r:
                        moves.Add(new StockMove(op, r.Lot, -model.Held(r.Shopper, r.Lot)));
                        break;
                    case Cancel c when Pick(c.Shopper, c.Pick) is { Status: OrderStatus.AwaitingPayment } cancelled:
                        moves.AddRange(cancelled.Items.Select(i => new StockMove(op, i.Key, -i.Value)));
                        break;
                    case Pay p when Pick(p.Shopper, p.Pick) is { Status: OrderStatus.Expired } late
                        && ((PaymentEventReceipt)answer.Value!).Order.Status == OrderStatus.Paid:
                        moves.AddRange(late.Items.Select(i => new StockMove(op, i.Key, i.Value)));
                        break;
                }
            }

            return moves;
        }

        /// <summary>Checks one answer against the model and returns the change it makes to the model.</summary>
        private Action Judge(Op op, Answer answer, List<StockMove> moves)
        {
            if (answer.Skipped)
            {
                return () => { };
            }

            switch (op)
            {
                case Hold h:
                    return JudgeHold(h, answer, moves);

                case Release r:
                    AssertSucceeded(answer, op);
                    return () => model.Holds.Remove((r.Shopper, r.Lot));

                case Checkout c:
                    return JudgeCheckout(c, answer);

                case Cancel c:
                {
                    var order = Pick(c.Shopper, c.Pick)!;
                    if (order.Status != OrderStatus.AwaitingPayment)
                    {
                        AssertRefused(answer, RefusalCode.Conflict, op);
                        return () => { };
                    }

                    AssertSucceeded(answer, op);
                    return () => order.Status = OrderStatus.Cancelled;
                }

                case Pay p:
                    return JudgePay(p, answer, moves);

                case RestartCart:
                    return () => { }; // invisible: the cart must come back as the model has it

                case Restock r:
                    AssertSucceeded(answer, op);
                    return () => model.Lots[r.Lot].Quantity += r.Quantity;

                case Pause p:
                    AssertSucceeded(answer, op);
                    return () => model.Lots[p.Lot].Paused = true;

                case Resume r:
                    AssertSucceeded(answer, op);
                    return () => model.Lots[r.Lot].Paused = false;

                default:
                    throw new InvalidOperationException($"Unknown op {op}");
            }
        }

        /// <summary>
        /// A payment pays an order awaiting payment (or closes a cash-on-delivery one) and refunds
        /// a cancelled one. For an expired one it takes the stock again when the shopper's limit
        /// allows and the stock is there, else refunds; when other ops of the batch raced for the
        /// same stock, either answer is right as long as some order of the batch explains it.
        /// </summary>
        private Action JudgePay(Pay p, Answer answer, List<StockMove> moves)
        {
            var order = Pick(p.Shopper, p.Pick)!;
            AssertSucceeded(answer, p);
            var actual = ((PaymentEventReceipt)answer.Value!).Order.Status;
            switch (order.Status)
            {
                case OrderStatus.AwaitingPayment or OrderStatus.ConfirmedCod:
                    Assert.Equal(OrderStatus.Paid, actual);
                    break;
                case OrderStatus.Cancelled:
                    Assert.Equal(OrderStatus.Refunded, actual);
                    break;
                case OrderStatus.Expired:
                {
                    var fitsLimit = order.Items.All(i => model.Held(p.Shopper, i.Key) + model.Committed(p.Shopper, i.Key) + i.Value <= model.Lots[i.Key].Limit);
                    var surelyThere = order.Items.All(i => i.Value <= model.Available(i.Key) - Taken(moves, i.Key, p));
                    var maybeThere = order.Items.All(i => i.Value <= model.Available(i.Key) + Returned(moves, i.Key, p));
                    if (!fitsLimit || !maybeThere)
                    {
                        Assert.True(actual == OrderStatus.Refunded, $"{p}: a late payment for {order.OrderId} retook stock it could not have ({(fitsLimit ? "stock gone" : "over the limit")})");
                    }
                    else if (surelyThere)
                    {
                        Assert.True(actual == OrderStatus.Paid, $"{p}: a late payment for {order.OrderId} was refunded though its stock was there");
                    }
                    else
                    {
                        Assert.Contains(actual, new[] { OrderStatus.Paid, OrderStatus.Refunded });
                    }

                    break;
                }

                default:
                    Assert.Equal(order.Status, actual); // paid or refunded already: a second payment changes nothing
                    break;
            }

            return () => order.Status = actual;
        }

        private static int Taken(List<StockMove> moves, int lot, Op except) => moves.Where(m => m.Lot == lot && m.Op != except && m.Delta > 0).Sum(m => m.Delta);

        private static int Returned(List<StockMove> moves, int lot, Op except) => moves.Where(m => m.Lot == lot && m.Op != except && m.Delta < 0).Sum(m => -m.Delta);

        private Action JudgeHold(Hold h, Answer answer, List<StockMove> moves)
        {
            var lot = model.Lots[h.Lot];
            var more = h.Quantity - model.Held(h.Shopper, h.Lot);
            var otherCurrency = model.Holds.Any(x => x.Key.Shopper == h.Shopper && x.Key.Lot != h.Lot && model.Lots[x.Key.Lot].Currency != lot.Currency);
            RefusalCode? expected = h.Quantity == 0 ? null
                : otherCurrency ? RefusalCode.CurrencyMismatch
                : h.Quantity + model.Committed(h.Shopper, h.Lot) > lot.Limit ? RefusalCode.LimitExceeded
                : more > 0 && lot.Paused ? RefusalCode.SaleNotLive
                : null;

            if (expected is { } code)
            {
                AssertRefused(answer, code, h);
                return () => { };
            }

            if (answer.Refusal is { Code: RefusalCode.SoldOut })
            {
                // Sold out is the engine's call under a race, but only if stock could really have
                // run short: even after every other successful take of this batch had gone first.
                var othersTook = Taken(moves, h.Lot, h);
                Assert.True(more > model.Available(h.Lot) - othersTook,
                    $"{h} was refused as sold out with {model.Available(h.Lot)} available and {othersTook} taken by others");
                return () => { };
            }

            AssertSucceeded(answer, h);
            return () =>
            {
                if (h.Quantity == 0)
                {
                    model.Holds.Remove((h.Shopper, h.Lot));
                }
                else
                {
                    model.Holds[(h.Shopper, h.Lot)] = (h.Quantity, model.Now + SaleModel.HoldDuration);
                }
            };
        }

        private Action JudgeCheckout(Checkout c, Answer answer)
        {
            var holds = model.Holds.Where(x => x.Key.Shopper == c.Shopper).ToDictionary(x => x.Key.Lot, x => x.Value.Quantity);
            if (holds.Count == 0)
            {
                AssertRefused(answer, RefusalCode.Conflict, c);
                return () => { };
            }

            var currency = model.CartCurrency(c.Shopper)!;
            if (Payments.Find(currency, c.Method) is not { } method)
            {
                AssertRefused(answer, RefusalCode.InvalidRequest, c);
                return () => { };
            }

            var onDelivery = method.Flow == PaymentFlow.OnDelivery;
            if (onDelivery && model.OpenCashOnDelivery(c.Shopper) >= OpenCashOnDeliveryCap)
            {
                AssertRefused(answer, RefusalCode.LimitExceeded, c);
                return () => { };
            }

            AssertSucceeded(answer, c);
            var order = (Order)answer.Value!;
            Assert.Equal(holds.OrderBy(x => x.Key).Select(x => (lotIds[x.Key], x.Value)), order.Items.OrderBy(i => lotIds.IndexOf(i.LotId)).Select(i => (i.LotId, i.Quantity)));
            Assert.Equal(onDelivery ? OrderStatus.ConfirmedCod : OrderStatus.AwaitingPayment, order.Status);
            return () =>
            {
                foreach (var lot in holds.Keys)
                {
                    model.Holds.Remove((c.Shopper, lot));
                }

                model.Orders.Add(new ModelOrder(order.OrderId, order.Payment.PaymentId, c.Shopper, holds, order.Status, model.Now + method.PaymentWindow, order.TotalMinor, order.Currency) { Method = c.Method });
            };
        }

        public async Task Verify()
        {
            foreach (var order in model.Orders)
            {
                var actual = (await Grains.GetGrain<IOrderGrain>(order.OrderId).Get())!;
                Assert.True(order.Status == actual.Status, $"order {order.OrderId} of shopper {order.Shopper} is {actual.Status}, the model says {order.Status}");
            }

            for (var s = 0; s < shopperIds.Length; s++)
            {
                var cart = await Cart(s).Get();
                var expected = model.Holds.Where(h => h.Key.Shopper == s).Select(h => (lotIds[h.Key.Lot], h.Value.Quantity)).Order();
                Assert.Equal(expected, cart.Items.Select(i => (i.LotId, i.Quantity)).Order());
                for (var l = 0; l < lotIds.Count; l++)
                {
                    Assert.True(model.Held(s, l) + model.Committed(s, l) <= model.Lots[l].Limit, $"shopper {s} is over the limit of lot {l}");
                }
            }

            for (var i = 0; i < lotIds.Count; i++)
            {
                var lot = (await Lot(i).Get())!;
                Sale.AssertInvariant(lot);
                var expectedStatus = model.Lots[i].Paused ? LotStatus.Paused : model.Available(i) == 0 ? LotStatus.SoldOut : LotStatus.Live;
                var expected = (model.Lots[i].Quantity, model.Available(i), model.Reserved(i), model.Sold(i), expectedStatus);
                var actual = (lot.Quantity, lot.Available, lot.Reserved, lot.Sold, lot.Status);
                if (expected != actual)
                {
                    var journal = await cluster.Journal.Inner.ReadAsync(lotIds[i]);
                    Assert.Fail($"lot {i} is {actual}, the model says {expected}; model holds: "
                        + string.Join(", ", model.Holds.Where(h => h.Key.Lot == i).Select(h => $"s{h.Key.Shopper}={h.Value}"))
                        + "; model orders: " + string.Join(", ", model.Orders.Where(o => o.Items.ContainsKey(i)).Select(o => $"{o.OrderId}/s{o.Shopper}={o.Items[i]}:{o.Status}"))
                        + "; shoppers: " + string.Join(", ", shopperIds.Select((id, n) => $"s{n}={id}"))
                        + "; journal:" + Environment.NewLine + string.Join(Environment.NewLine, journal.Events));
                }

                Assert.True(lot.Version >= _versions[i], $"lot {i} version went back from {_versions[i]} to {lot.Version}");
                _versions[i] = lot.Version;
            }
        }

        private ModelOrder? Pick(int shopper, int pick)
        {
            var orders = model.OrdersOf(shopper).ToList();
            return orders.Count == 0 ? null : orders[pick % orders.Count];
        }

        private IShopperCartGrain Cart(int shopper) => Grains.GetGrain<IShopperCartGrain>(shopperIds[shopper]);

        private IProduceLotGrain Lot(int lot) => Grains.GetGrain<IProduceLotGrain>(lotIds[lot]);

        private static void AssertSucceeded(Answer answer, Op op) =>
            Assert.True(answer.Refusal is null, $"{op} was refused: {answer.Refusal?.Code} {answer.Refusal?.Detail}");

        private static void AssertRefused(Answer answer, RefusalCode code, Op op) =>
            Assert.True(answer.Refusal?.Code == code, $"{op} should be refused with {code}, got {answer.Refusal?.Code.ToString() ?? "success"}");
    }

    /// <summary>An engine answer with its type erased, so one batch can mix operations.</summary>
    private sealed record Answer(object? Value, Refusal? Refusal, bool Skipped = false)
    {
        public static readonly Answer NotSent = new(null, null, true);

        public static async Task<Answer> Of<T>(Task<Outcome<T>> call)
        {
            var outcome = await call;
            return new Answer(outcome.Value, outcome.Refusal);
        }
    }

    public abstract record Op;

    public sealed record Hold(int Shopper, int Lot, int Quantity) : Op;

    public sealed record Release(int Shopper, int Lot) : Op;

    public sealed record Checkout(int Shopper, string Method) : Op;

    public sealed record Cancel(int Shopper, int Pick) : Op;

    public sealed record Pay(int Shopper, int Pick) : Op;

    public sealed record RestartCart(int Shopper) : Op;

    public sealed record Restock(int Lot, int Quantity) : Op;

    public sealed record Pause(int Lot) : Op;

    public sealed record Resume(int Lot) : Op;

    public sealed record Advance(int Minutes) : Op;

    /// <summary>One op's move of a lot's available stock: positive took, negative gave back.</summary>
    private sealed record StockMove(Op Op, int Lot, int Delta);

    public sealed record Step(Op[] Ops)
    {
        public override string ToString() => string.Join(" | ", Ops.Select(o => o.ToString()));
    }
}
