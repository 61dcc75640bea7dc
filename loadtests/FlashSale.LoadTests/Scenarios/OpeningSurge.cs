using FlashSale.LoadTests.Harness;
using FlashSale.LoadTests.Sale;
using static FlashSale.LoadTests.Scenarios.ScenarioKit;

namespace FlashSale.LoadTests.Scenarios;

public sealed record OpeningSurgeOptions
{
    public TargetOptions Target { get; init; } = new();

    public int Shoppers { get; init; } = 20_000;

    public int Quantity { get; init; } = 1_000;

    public int PerShopperLimit { get; init; } = 1;

    /// <summary>All shoppers arrive, evenly spread, within this window (an open model).</summary>
    public TimeSpan Arrival { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary><c>cash-on-delivery</c> needs no payment step; a sandbox method (<c>wallet</c>) adds the pay step.</summary>
    public string PaymentMethod { get; init; } = PaymentMethods.CashOnDelivery;
}

/// <summary>
/// The opening second of a sale: N shoppers arrive within a few seconds at one lot; each holds,
/// checks out and, unless paying on delivery, pays through the sandbox gateway. Most are told
/// <c>sold-out</c>, which is the expected answer once the lot is gone. The audit then proves no
/// unit was sold twice and every order is accounted for.
/// </summary>
public static class OpeningSurge
{
    public static async Task<RunReport> RunAsync(OpeningSurgeOptions options, IProgressSink progress, CancellationToken cancellation = default)
    {
        var startedAt = DateTimeOffset.UtcNow;
        using var client = options.Target.CreateClient();
        var ledger = new SaleLedger();
        var (_, lot) = await CreateSellerAndLot(client, ledger, "Dangshan honey pears (opening surge)", options.Quantity, options.PerShopperLimit, cancellation);
        var shoppers = await SignUp(client, ledger, options.Shoppers, options.Target, progress, cancellation);
        var needsPayment = PaymentMethods.NeedsSandboxPayment(options.PaymentMethod);

        var scenario = new ScenarioDefinition
        {
            Name = "opening-surge",
            Simulations = [new LoadSimulation.Inject(options.Shoppers / options.Arrival.TotalSeconds, options.Arrival)],
            MaxIterations = options.Shoppers,
            MaxInFlight = Math.Max(1, options.Shoppers),
            DrainTimeout = options.Target.RequestTimeout * 3,
            Iteration = async ctx =>
            {
                var shopper = shoppers[(int)(ctx.Index - 1)];
                var quantity = options.PerShopperLimit;
                var hold = await ctx.Step("hold", ct => client.SetHold(shopper.Identity, lot.LotId, quantity, ct));
                shopper.HoldAnswered(lot.LotId, quantity, hold);
                if (!hold.IsOk)
                {
                    return;
                }

                OrderView? order = null;
                var checkout = await ctx.Step("checkout", async ct =>
                {
                    var (outcome, placed) = await client.Checkout(shopper.Identity, options.PaymentMethod, Guid.NewGuid().ToString("N"), ct);
                    order = placed;
                    return outcome;
                });
                shopper.CheckoutAnswered(checkout, order, options.PaymentMethod);
                if (!checkout.IsOk || order is null || !needsPayment || order.Status != "awaiting-payment")
                {
                    return;
                }

                var record = shopper.Snapshot().Orders.Last();
                var pay = await ctx.Step("pay", ct => client.CompleteSandboxPayment(shopper.Identity, order.Payment.PaymentId, "succeeded", ct));
                shopper.PaymentAnswered(record, "succeeded", pay);
            },
        };

        var result = await ScenarioRunner.RunAsync(scenario, progress, cancellation);
        progress.Message("auditing");
        var audit = await SaleAudit.RunAsync(client, ledger, hasOrders: true, cancellation);
        var final = await client.ReadLot(lot.LotId, cancellation);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["shoppers"] = options.Shoppers,
            ["lot.quantity"] = options.Quantity,
            ["lot.sold"] = final?.Sold ?? double.NaN,
            ["lot.reserved"] = final?.Reserved ?? double.NaN,
            ["lot.available"] = final?.Available ?? double.NaN,
            ["orders"] = ledger.Shoppers.Sum(s => s.Snapshot().Orders.Count),
        };
        return Report("opening-surge", options.Target, startedAt, result, audit,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["shoppers"] = S($"{options.Shoppers}"),
                ["quantity"] = S($"{options.Quantity}"),
                ["per-shopper-limit"] = S($"{options.PerShopperLimit}"),
                ["arrival"] = S($"{options.Arrival.TotalSeconds}s"),
                ["payment-method"] = options.PaymentMethod,
            },
            metrics,
            [
                "Open model: shoppers arrive evenly within the arrival window; each hold is timed from its intended arrival, so a stall cannot hide.",
                needsPayment ? "Payments go through the sandbox gateway; the audit waits for their webhooks." : "Cash on delivery: orders are confirmed at checkout, no payment step.",
            ]);
    }
}

public static class PaymentMethods
{
    public const string CashOnDelivery = "cash-on-delivery";

    /// <summary>Methods the sandbox gateway completes (redirect and offline flows); cash on delivery needs no payment.</summary>
    public static bool NeedsSandboxPayment(string method) => method is "wallet" or "bank-transfer" or "mobile-money";
}
