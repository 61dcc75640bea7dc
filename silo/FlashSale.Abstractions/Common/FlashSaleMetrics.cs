using System.Diagnostics.Metrics;

namespace FlashSale.Common;

/// <summary>
/// The engine's own meter. Instruments are named <c>flashsale.*</c>; the Prometheus exporter
/// shows them as <c>flashsale_*</c> (counters with <c>_total</c>). They are recorded where the
/// decision is made (the lot for holds, the order for payments), so every API node and silo
/// reports what it did.
/// </summary>
public static class FlashSaleMetrics
{
    public const string MeterName = "FlashSale";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Hold requests answered by a lot, tagged with <c>outcome</c> (held, released, sold-out, limit-exceeded, sale-not-live…).</summary>
    public static readonly Counter<long> Holds = Meter.CreateCounter<long>("flashsale.holds", "{request}", "Hold requests answered by lots, by outcome.");

    /// <summary>Units refused because the lot had too few: the surge's expected answer.</summary>
    public static readonly Counter<long> SoldOutAnswers = Meter.CreateCounter<long>("flashsale.sold_out", "{request}", "Holds refused as sold out.");

    /// <summary>Holds an API node refused itself, without a grain call (<c>LotEdgeCache</c>), tagged with <c>outcome</c>.</summary>
    public static readonly Counter<long> EdgeAnswers = Meter.CreateCounter<long>("flashsale.edge.answers", "{request}", "Holds refused at the API node from a fresh view of the lot.");

    /// <summary>Bearer tokens checked at an API node, tagged <c>cache</c> = hit (remembered from an earlier full validation) or miss.</summary>
    public static readonly Counter<long> TokenValidations = Meter.CreateCounter<long>("flashsale.tokens.validations", "{token}", "Bearer tokens checked, by whether the validated-token cache answered (hit) or a full validation ran (miss).");

    /// <summary>Holds and order reservations that reached their time and went back on sale, tagged with <c>kind</c>.</summary>
    public static readonly Counter<long> Expiries = Meter.CreateCounter<long>("flashsale.expiries", "{hold}", "Holds and reservations returned to stock at expiry.");

    /// <summary>Payment outcomes applied to orders, tagged with <c>outcome</c>.</summary>
    public static readonly Counter<long> Payments = Meter.CreateCounter<long>("flashsale.payments", "{payment}", "Payment outcomes applied to orders.");

    /// <summary>Orders placed, tagged with <c>method</c>.</summary>
    public static readonly Counter<long> OrdersPlaced = Meter.CreateCounter<long>("flashsale.orders", "{order}", "Orders placed at checkout, by payment method.");

    // Where the waiting shoppers are counted: the waiting rooms, inside the engine, say so when a
    // silo starts (ObserveWaitingShoppers); until then, and in a process without a silo, none wait.
    private static Func<long> waitingShoppers = () => 0;

    /// <summary>Shoppers in this silo's waiting rooms not yet admitted.</summary>
    public static readonly ObservableGauge<long> QueueLength =
        Meter.CreateObservableGauge("flashsale.queue.length", () => Volatile.Read(ref waitingShoppers)(), "{shopper}", "Shoppers waiting for admission.");

    /// <summary>Open connections to the live-sale hub on this API node.</summary>
    public static readonly UpDownCounter<long> HubConnections = Meter.CreateUpDownCounter<long>("flashsale.hub.connections", "{connection}", "Open live-sale hub connections.");

    /// <summary>Says where <see cref="QueueLength"/> reads the shoppers waiting in this process's rooms; the silo calls it as it starts.</summary>
    public static void ObserveWaitingShoppers(Func<long> count) => Volatile.Write(ref waitingShoppers, count);

    /// <summary>Registers the gauge of grain activations of this silo; the silo calls it once.</summary>
    public static void ObserveActivations(Func<int> count) =>
        Meter.CreateObservableGauge("flashsale.grain.activations", count, "{activation}", "Grain activations on this silo.");
}
