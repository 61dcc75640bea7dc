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

    /// <summary>
    /// Tries per checkout, as a client following the contract makes them: an answer that settles
    /// nothing (a 503, none in time, a 409 <c>idempotency-key-in-flight</c>) is retried with the
    /// same <c>Idempotency-Key</c> (<see cref="ContractRetry"/>); 1 never retries.
    /// </summary>
    public int CheckoutAttempts { get; init; } = 4;
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
        var answers = new SurgeAnswers();

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
                answers.Hold(hold);
                if (!hold.IsOk)
                {
                    return;
                }

                OrderView? order = null;
                // Timed as the shopper waits: from the first try to the last answer, retries included.
                var checkout = await ctx.Step("checkout", async ct =>
                {
                    var (outcome, placed, retries) = await client.CheckoutRetrying(shopper.Identity, options.PaymentMethod, options.CheckoutAttempts, ct);
                    answers.CheckoutRetried(retries);
                    order = placed;
                    return outcome;
                });
                shopper.CheckoutAnswered(checkout, order, options.PaymentMethod);
                answers.Other(checkout);
                if (!checkout.IsOk || order is null || !needsPayment || order.Status != "awaiting-payment")
                {
                    return;
                }

                var record = shopper.Snapshot().Orders.Last();
                var pay = await ctx.Step("pay", ct => client.CompleteSandboxPayment(shopper.Identity, order.Payment.PaymentId, "succeeded", ct));
                shopper.PaymentAnswered(record, "succeeded", pay);
                answers.Other(pay);
            },
        };

        var result = await ScenarioRunner.RunAsync(scenario, progress, cancellation);
        progress.Message("auditing");
        var audit = await SaleAudit.RunAsync(client, ledger, hasOrders: true, cancellation);
        var final = await client.ReadLot(lot.LotId, cancellation);
        audit = answers.Judge(audit, options, final);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["shoppers"] = options.Shoppers,
            ["lot.quantity"] = options.Quantity,
            ["lot.sold"] = final?.Sold ?? double.NaN,
            ["lot.reserved"] = final?.Reserved ?? double.NaN,
            ["lot.available"] = final?.Available ?? double.NaN,
            ["orders"] = ledger.Shoppers.Sum(s => s.Snapshot().Orders.Count),
            ["hold.answered"] = answers.HoldsAnswered,
            ["http.5xx"] = answers.ServerErrors,
            ["checkout.retries"] = answers.CheckoutRetries,
        };
        return Report("opening-surge", options.Target, startedAt, result, audit,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["shoppers"] = S($"{options.Shoppers}"),
                ["quantity"] = S($"{options.Quantity}"),
                ["per-shopper-limit"] = S($"{options.PerShopperLimit}"),
                ["arrival"] = S($"{options.Arrival.TotalSeconds}s"),
                ["payment-method"] = options.PaymentMethod,
                ["checkout-attempts"] = S($"{options.CheckoutAttempts}"),
            },
            metrics,
            [
                "Open model: shoppers arrive evenly within the arrival window; each hold is timed from its intended arrival, so a stall cannot hide.",
                needsPayment ? "Payments go through the sandbox gateway; the audit waits for their webhooks." : "Cash on delivery: orders are confirmed at checkout, no payment step.",
                S($"A checkout answered 503, not at all, or 409 idempotency-key-in-flight is retried with its Idempotency-Key after Retry-After, up to {options.CheckoutAttempts} tries in all; its step is timed from the first try to the last answer, and the 5xx count is of last answers (checkout.retries counts the retries)."),
            ]);
    }
}

public static class PaymentMethods
{
    public const string CashOnDelivery = "cash-on-delivery";

    /// <summary>Methods the sandbox gateway completes (redirect and offline flows); cash on delivery needs no payment.</summary>
    public static bool NeedsSandboxPayment(string method) => method is "wallet" or "bank-transfer" or "mobile-money";

    /// <summary>Methods paid in cash to a person (at handover, or to the village agent) rather than through a gateway.</summary>
    public static bool IsCash(string method) => method is CashOnDelivery or "village-agent";
}

/// <summary>
/// What a surge promises beyond the audit: every shopper gets an answer to the hold (held or a
/// refusal such as <c>sold-out</c>, never a timeout or a transport error), no step is answered
/// with a 5xx, and exactly as many units are sold as the lot had (or as the shoppers could take).
/// </summary>
internal sealed class SurgeAnswers
{
    private long _holdsAnswered;
    private long _serverErrors;
    private long _checkoutRetries;

    public long HoldsAnswered => Interlocked.Read(ref _holdsAnswered);

    public long ServerErrors => Interlocked.Read(ref _serverErrors);

    public long CheckoutRetries => Interlocked.Read(ref _checkoutRetries);

    public void CheckoutRetried(int retries) => Interlocked.Add(ref _checkoutRetries, retries);

    public void Hold(StepOutcome hold)
    {
        if (hold.Kind != OutcomeKind.Failed)
        {
            Interlocked.Increment(ref _holdsAnswered);
        }

        Other(hold);
    }

    public void Other(StepOutcome outcome)
    {
        if (outcome.StatusCode >= 500)
        {
            Interlocked.Increment(ref _serverErrors);
        }
    }

    public AuditReport Judge(AuditReport audit, OpeningSurgeOptions options, LotView? final)
    {
        var everyone = HoldsAnswered == options.Shoppers;
        var noServerErrors = ServerErrors == 0;
        var expectedSold = Math.Min((long)options.Quantity, (long)options.Shoppers * options.PerShopperLimit);
        var soldExactly = final is not null && final.Sold == expectedSold;
        return audit with
        {
            Passed = audit.Passed && everyone && noServerErrors && soldExactly,
            Checks =
            [
                .. audit.Checks,
                new AuditCheck("every shopper's hold was answered", everyone, options.Shoppers,
                    everyone ? [] : [S($"{options.Shoppers - HoldsAnswered} of {options.Shoppers} shoppers had no answer (timeout, 5xx or never sent)")]),
                new AuditCheck("no 5xx answers", noServerErrors, 1, noServerErrors ? [] : [S($"{ServerErrors} answers were 5xx")]),
                new AuditCheck("exactly the lot's units sold", soldExactly, 1,
                    soldExactly ? [] : [S($"sold {final?.Sold.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}, expected {expectedSold}")]),
            ],
        };
    }
}
