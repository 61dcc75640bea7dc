using FlashSale.Carts;
using FlashSale.Common;
using FlashSale.Lots;
using FlashSale.Orders;
using FlashSale.Payments;
using FlashSale.Payments.Sandbox;
using FlashSale.Tests.Infrastructure;
using Orleans.Core.Internal;
using static FlashSale.Tests.Infrastructure.Sale;

namespace FlashSale.Tests.Payments;

/// <summary>
/// A cluster of its own for the payment tests: they make lot writes fail on purpose and move the
/// clock by days, which must not surprise the other grain tests, and they run beside them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PaymentsCluster : ICollectionFixture<EngineClusterFixture>
{
    public const string Name = "payments cluster";
}

/// <summary>Orders and gateway events, as the payment tests need them.</summary>
internal static class Payment
{
    public static async Task<Order> PlaceOrder(IGrainFactory grains, string method, params (string LotId, int Quantity)[] lines) =>
        await PlaceOrder(grains, NewShopper(), method, lines);

    public static async Task<Order> PlaceOrder(IGrainFactory grains, string shopperId, string method, params (string LotId, int Quantity)[] lines)
    {
        var cart = grains.GetGrain<IShopperCartGrain>(shopperId);
        foreach (var (lotId, quantity) in lines)
        {
            Value(await cart.SetItem(lotId, quantity));
        }

        return Value(await cart.Checkout(Ids.New(Ids.OrderPrefix), method));
    }

    /// <summary>The sandbox gateway issues the event, as it does when the shopper finishes paying.</summary>
    public static async Task<PaymentEvent> Issue(IGrainFactory grains, Order order, PaymentEventType type = PaymentEventType.Succeeded) =>
        Value(await grains.GetGrain<ISandboxPaymentGrain>(order.Payment.PaymentId).Complete(type));

    public static Task<Outcome<PaymentEventReceipt>> Deliver(IGrainFactory grains, Order order, PaymentEvent e) =>
        grains.GetGrain<IPaymentGrain>(order.Payment.PaymentId).Apply(order.Payment.Method, e);

    public static async Task<PaymentEventReceipt> Delivered(IGrainFactory grains, Order order, PaymentEvent e) =>
        Value(await Deliver(grains, order, e));

    public static async Task<Order> OrderOf(IGrainFactory grains, Order order) => (await grains.GetGrain<IOrderGrain>(order.OrderId).Get())!;

    public static async Task<(int Available, int Reserved, int Sold)> Counts(IProduceLotGrain lot)
    {
        var current = (await lot.Get())!;
        AssertInvariant(current);
        return (current.Available, current.Reserved, current.Sold);
    }

    /// <summary>Drops the activations of everything one payment touches, as a process restart would.</summary>
    public static async Task Restart(IGrainFactory grains, Order order)
    {
        await grains.GetGrain<IPaymentGrain>(order.Payment.PaymentId).Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await grains.GetGrain<IOrderGrain>(order.OrderId).Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await grains.GetGrain<IShopperCartGrain>(order.ShopperId).Cast<IGrainManagementExtension>().DeactivateOnIdle();
        foreach (var item in order.Items)
        {
            await grains.GetGrain<IProduceLotGrain>(item.LotId).Cast<IGrainManagementExtension>().DeactivateOnIdle();
        }
    }
}
