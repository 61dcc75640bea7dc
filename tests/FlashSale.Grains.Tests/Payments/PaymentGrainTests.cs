using FlashSale.Common;
using FlashSale.Lots;
using FlashSale.Orders;
using FlashSale.Payments;
using FlashSale.Payments.Sandbox;
using FlashSale.Tests.Infrastructure;
using Orleans.Core.Internal;
using static FlashSale.Tests.Infrastructure.Sale;
using static FlashSale.Tests.Payments.Payment;

namespace FlashSale.Tests.Payments;

/// <summary>Notifications are deduplicated, checked against the order, and applied exactly once.</summary>
[Collection(PaymentsCluster.Name)]
public sealed class PaymentGrainTests(EngineClusterFixture cluster)
{
    private IGrainFactory Grains => cluster.Grains;

    private async Task<(Order Order, IProduceLotGrain Lot)> WalletOrder(int quantity = 2, int stock = 10)
    {
        var (lotId, lot) = await CreateLot(Grains, quantity: stock, limit: 5, price: 650);
        return (await PlaceOrder(Grains, "wallet", (lotId, quantity)), lot);
    }

    [Fact]
    public async Task A_success_pays_the_order_and_the_same_event_again_changes_nothing()
    {
        var (order, lot) = await WalletOrder();
        var succeeded = await Issue(Grains, order);

        var first = await Delivered(Grains, order, succeeded);
        var again = await Delivered(Grains, order, succeeded);

        Assert.Equal((PaymentEventDisposition.Applied, OrderStatus.Paid), (first.Disposition, first.Order.Status));
        Assert.Equal((PaymentEventDisposition.Duplicate, OrderStatus.Paid), (again.Disposition, again.Order.Status));
        Assert.Equal((8, 0, 2), await Counts(lot));
        var record = await Grains.GetGrain<IPaymentGrain>(order.Payment.PaymentId).Get();
        Assert.Equal(PaymentEventStatus.Applied, Assert.Single(record.Events).Status);
        Assert.Null(record.Refund);
        Assert.Equal(SettlementPath.Paid, (await Grains.GetGrain<IOrderGrain>(order.OrderId).GetSettlement())!.Path);
    }

    [Fact]
    public async Task An_event_id_already_received_for_another_payment_has_no_effect()
    {
        var (first, _) = await WalletOrder();
        var (second, secondLot) = await WalletOrder();
        var e = await Issue(Grains, first);
        await Delivered(Grains, first, e);

        var reused = await Delivered(Grains, second, e with { PaymentId = second.Payment.PaymentId, AmountMinor = second.TotalMinor });

        Assert.Equal(PaymentEventDisposition.Duplicate, reused.Disposition);
        Assert.Equal(OrderStatus.AwaitingPayment, (await OrderOf(Grains, second)).Status);
        Assert.Equal((8, 2, 0), await Counts(secondLot));
        Assert.Empty((await Grains.GetGrain<IPaymentGrain>(second.Payment.PaymentId).Get()).Events);
    }

    [Theory]
    [InlineData("amount")]
    [InlineData("currency")]
    [InlineData("provider")]
    public async Task An_event_that_does_not_match_the_order_is_recorded_for_review_and_pays_nothing(string wrong)
    {
        var (order, lot) = await WalletOrder();
        var e = await Issue(Grains, order);
        var (provider, mismatched) = wrong switch
        {
            "amount" => ("wallet", e with { EventId = Ids.New(Ids.EventPrefix), AmountMinor = order.TotalMinor - 1 }),
            "currency" => ("wallet", e with { EventId = Ids.New(Ids.EventPrefix), Currency = "KES" }),
            _ => ("bank-transfer", e with { EventId = Ids.New(Ids.EventPrefix) }),
        };

        var receipt = Value(await Grains.GetGrain<IPaymentGrain>(order.Payment.PaymentId).Apply(provider, mismatched));
        var again = Value(await Grains.GetGrain<IPaymentGrain>(order.Payment.PaymentId).Apply(provider, mismatched));

        Assert.Equal(PaymentEventDisposition.RecordedForReview, receipt.Disposition);
        Assert.Equal(PaymentEventDisposition.Duplicate, again.Disposition);
        Assert.Equal(OrderStatus.AwaitingPayment, (await OrderOf(Grains, order)).Status);
        Assert.Equal((8, 2, 0), await Counts(lot));
        var review = Assert.Single((await Grains.GetGrain<IPaymentGrain>(order.Payment.PaymentId).Get()).ForReview);
        Assert.Equal(mismatched.EventId, review.Event.EventId);

        // The genuine event still pays the order.
        Assert.Equal(OrderStatus.Paid, (await Delivered(Grains, order, e)).Order.Status);
    }

    [Fact]
    public async Task A_payment_no_order_has_is_not_found_and_leaves_nothing()
    {
        var paymentId = Ids.New(Ids.PaymentPrefix);
        var grain = Grains.GetGrain<IPaymentGrain>(paymentId);

        Refused(await grain.Apply("wallet", new PaymentEvent(Ids.New(Ids.EventPrefix), paymentId, PaymentEventType.Succeeded, 100, "CNY")), RefusalCode.NotFound);

        Assert.Empty((await grain.Get()).Events);
    }

    [Fact]
    public async Task A_failure_then_a_success_pays_and_a_failure_arriving_after_a_success_changes_nothing()
    {
        var (inOrder, _) = await WalletOrder();
        var failedFirst = await Issue(Grains, inOrder, PaymentEventType.Failed);
        var thenSucceeded = await Issue(Grains, inOrder);
        var (reordered, _) = await WalletOrder();
        var failedEarlier = await Issue(Grains, reordered, PaymentEventType.Failed);
        var succeededLater = await Issue(Grains, reordered);

        var afterFailure = await Delivered(Grains, inOrder, failedFirst);
        await Delivered(Grains, inOrder, thenSucceeded);
        await Delivered(Grains, reordered, succeededLater);
        await Delivered(Grains, reordered, failedEarlier);

        Assert.Equal((OrderStatus.AwaitingPayment, PaymentStatus.Failed), (afterFailure.Order.Status, afterFailure.Order.Payment.Status));
        foreach (var order in new[] { inOrder, reordered })
        {
            var now = await OrderOf(Grains, order);
            Assert.Equal((OrderStatus.Paid, PaymentStatus.Succeeded), (now.Status, now.Payment.Status));
        }
    }

    [Fact]
    public async Task Twenty_concurrent_deliveries_of_one_event_apply_it_once()
    {
        var (order, lot) = await WalletOrder(quantity: 3);
        var e = await Issue(Grains, order);

        var receipts = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Delivered(Grains, order, e)));

        Assert.Single(receipts, r => r.Disposition == PaymentEventDisposition.Applied);
        Assert.Equal(19, receipts.Count(r => r.Disposition == PaymentEventDisposition.Duplicate));
        Assert.All(receipts, r => Assert.Equal(OrderStatus.Paid, r.Order.Status));
        Assert.Equal((7, 0, 3), await Counts(lot));
        Assert.Single((await Grains.GetGrain<IPaymentGrain>(order.Payment.PaymentId).Get()).Events);
    }

    [Fact]
    public async Task A_delivery_that_dies_in_the_middle_is_finished_once_by_the_next_after_a_restart()
    {
        var (lotA, a) = await CreateLot(Grains, quantity: 10, limit: 5, price: 300);
        var (lotB, b) = await CreateLot(Grains, quantity: 10, limit: 5, price: 400);
        var order = await PlaceOrder(Grains, "wallet", (lotA, 2), (lotB, 1));
        var e = await Issue(Grains, order);

        // Lot writes fail while the payment is being applied: the delivery dies mid-way, after the
        // payment wrote the event as applying and the order wrote its settlement as begun.
        cluster.Journal.FailAppends(new IOException("disk gone"));
        await Assert.ThrowsAnyAsync<Exception>(() => Deliver(Grains, order, e));
        cluster.Journal.FailAppends(null);

        var record = await Grains.GetGrain<IPaymentGrain>(order.Payment.PaymentId).Get();
        Assert.Equal(PaymentEventStatus.Applying, Assert.Single(record.Events).Status);
        await Restart(Grains, order);

        var receipt = await Delivered(Grains, order, e);
        var again = await Delivered(Grains, order, e);

        Assert.Equal((PaymentEventDisposition.Applied, OrderStatus.Paid), (receipt.Disposition, receipt.Order.Status));
        Assert.Equal(PaymentEventDisposition.Duplicate, again.Disposition);
        Assert.Equal((8, 0, 2), await Counts(a));
        Assert.Equal((9, 0, 1), await Counts(b));
        Assert.Equal(PaymentEventStatus.Applied, Assert.Single((await Grains.GetGrain<IPaymentGrain>(order.Payment.PaymentId).Get()).Events).Status);
    }

    [Fact]
    public async Task An_order_whose_settlement_began_finishes_it_on_its_own_next_activation()
    {
        var (lotId, lot) = await CreateLot(Grains, quantity: 10, limit: 5);
        var order = await PlaceOrder(Grains, "bank-transfer", (lotId, 2));
        var e = await Issue(Grains, order);
        cluster.Journal.FailAppends(new IOException("disk gone"));
        await Assert.ThrowsAnyAsync<Exception>(() => Deliver(Grains, order, e));
        cluster.Journal.FailAppends(null);
        await Restart(Grains, order);

        // Nothing redelivers yet; the order's activation alone finishes the settlement it began,
        // and its deadline, which passes meanwhile, does not expire a payment that came in time.
        cluster.Clock.Advance(TimeSpan.FromDays(2));
        var settled = await OrderOf(Grains, order);
        Assert.NotEqual(OrderStatus.Expired, settled.Status);
        await Eventually.True(() => OrderOf(Grains, order).Result.Status == OrderStatus.Paid, "the order should finish its settlement");

        var receipt = await Delivered(Grains, order, e);

        Assert.Equal(OrderStatus.Paid, receipt.Order.Status);
        Assert.Equal((8, 0, 2), await Counts(lot));
    }

    [Fact]
    public async Task Across_a_deactivation_a_seen_event_stays_seen()
    {
        var (order, lot) = await WalletOrder();
        var e = await Issue(Grains, order);
        await Delivered(Grains, order, e);

        await Grains.GetGrain<IPaymentGrain>(order.Payment.PaymentId).Cast<IGrainManagementExtension>().DeactivateOnIdle();
        var again = await Delivered(Grains, order, e);

        Assert.Equal(PaymentEventDisposition.Duplicate, again.Disposition);
        Assert.Equal((8, 0, 2), await Counts(lot));
    }

    [Fact]
    public async Task The_sandbox_gateway_refunds_once_however_often_it_is_asked()
    {
        var (order, _) = await WalletOrder();
        var sandbox = Grains.GetGrain<ISandboxPaymentGrain>(order.Payment.PaymentId);
        Refused(await sandbox.Refund(order.TotalMinor, "CNY"), RefusalCode.Conflict); // nothing to refund yet
        await Issue(Grains, order);

        Refused(await sandbox.Refund(order.TotalMinor + 1, "CNY"), RefusalCode.InvalidRequest);
        Value(await sandbox.Refund(order.TotalMinor, "CNY"));
        var twice = Value(await sandbox.Refund(order.TotalMinor, "CNY"));

        Assert.Equal((SandboxPaymentStatus.Refunded, order.TotalMinor, 1), (twice.Status, twice.RefundedMinor, twice.Refunds));
        Refused(await sandbox.Complete(PaymentEventType.Succeeded), RefusalCode.Conflict);
    }
}
