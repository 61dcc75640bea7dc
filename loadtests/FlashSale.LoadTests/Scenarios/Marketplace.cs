using FlashSale.LoadTests.Harness;
using FlashSale.LoadTests.Sale;
using FlashSale.LoadTests.Workload;
using static FlashSale.LoadTests.Scenarios.ScenarioKit;

namespace FlashSale.LoadTests.Scenarios;

public sealed record MarketplaceOptions
{
    public const string DefaultMix = "browse=50,hold=25,checkout=10,pay=5,abandon=10";

    public TargetOptions Target { get; init; } = new();

    public int Lots { get; init; } = 50;

    public int QuantityPerLot { get; init; } = 300;

    public int PerShopperLimit { get; init; } = 4;

    public int Shoppers { get; init; } = 2_000;

    /// <summary>Lot popularity: lot k is picked with weight 1/(k+1)^s.</summary>
    public double ZipfExponent { get; init; } = 1.1;

    public string Mix { get; init; } = DefaultMix;

    public double Rate { get; init; } = 300;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(2);

    public string PaymentMethod { get; init; } = PaymentMethods.CashOnDelivery;
}

/// <summary>
/// A marketplace at a steady open rate: many lots with Zipf popularity (a few take most of the
/// traffic and sell out), and shoppers doing a weighted mix of browsing, holding, checking out,
/// paying and abandoning. An action that does not fit the shopper's state (checking out an empty
/// cart) becomes the nearest one that does, as a person would.
/// </summary>
public static class Marketplace
{
    public static readonly string[] Actions = ["browse", "hold", "checkout", "pay", "abandon"];

    public static async Task<RunReport> RunAsync(MarketplaceOptions options, IProgressSink progress, CancellationToken cancellation = default)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var mix = WeightedMix<string>.Parse(options.Mix, Actions);
        var zipf = new ZipfDistribution(options.Lots, options.ZipfExponent);
        using var client = options.Target.CreateClient();
        var ledger = new SaleLedger();
        var seller = await client.SignUpSeller("Marketplace co-op", cancellation);
        var lots = new string[options.Lots];
        await Parallel.ForAsync(0, options.Lots, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellation }, async (i, ct) =>
        {
            var lot = await client.CreateLot(seller, S($"Lot {i} (marketplace)"), options.QuantityPerLot, options.PerShopperLimit, 1000 + (i * 100), ct);
            ledger.AddLot(lot);
            lots[i] = lot.LotId;
        });
        var pool = new ShopperPool(await SignUp(client, ledger, options.Shoppers, options.Target, progress, cancellation));
        var needsPayment = PaymentMethods.NeedsSandboxPayment(options.PaymentMethod);

        var scenario = new ScenarioDefinition
        {
            Name = "marketplace",
            WarmUp = options.WarmUp,
            Simulations = [new LoadSimulation.Inject(options.Rate, options.Duration)],
            DrainTimeout = options.Target.RequestTimeout + TimeSpan.FromSeconds(2),
            Iteration = async ctx =>
            {
                var shopper = await pool.Take(ctx.Cancellation);
                try
                {
                    await ActAsync(ctx, client, shopper, mix.Pick(Random.Shared), lots[zipf.Sample(Random.Shared)], options, needsPayment);
                }
                finally
                {
                    pool.Return(shopper);
                }
            },
        };

        var result = await ScenarioRunner.RunAsync(scenario, progress, cancellation);
        progress.Message("auditing");
        var audit = await SaleAudit.RunAsync(client, ledger, hasOrders: true, cancellation);
        var finals = await Task.WhenAll(lots.Select(l => client.ReadLot(l, cancellation)));
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["lots"] = options.Lots,
            ["lots_sold_out"] = finals.Count(l => l is { Available: 0 }),
            ["units_sold"] = finals.Sum(l => l?.Sold ?? 0),
            ["most_popular_lot_share"] = zipf.Probability(0),
        };
        return Report("marketplace", options.Target, startedAt, result, audit,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["lots"] = S($"{options.Lots}"),
                ["quantity-per-lot"] = S($"{options.QuantityPerLot}"),
                ["shoppers"] = S($"{options.Shoppers}"),
                ["zipf"] = S($"{options.ZipfExponent}"),
                ["mix"] = options.Mix,
                ["rate"] = S($"{options.Rate}/s"),
                ["duration"] = S($"{options.Duration.TotalSeconds}s"),
                ["payment-method"] = options.PaymentMethod,
            },
            metrics,
            [
                "Open model at a steady rate; each iteration is one action of one shopper.",
                "An action that does not fit the shopper's state falls back: checkout or abandon with an empty cart holds instead, pay without an unpaid order browses.",
            ]);
    }

    private static async Task ActAsync(IterationContext ctx, SaleClient client, ShopperRecord shopper, string action, string lotId, MarketplaceOptions options, bool needsPayment)
    {
        var (holds, _, orders, _) = shopper.Snapshot();
        var unpaid = orders.FirstOrDefault(o => o.ExpectedStatus == "awaiting-payment" && o.PaymentId is not null);
        action = action switch
        {
            "checkout" or "abandon" when holds.Count == 0 => "hold",
            "pay" when !needsPayment || unpaid is null => "browse",
            _ => action,
        };

        switch (action)
        {
            case "browse":
                await ctx.Step("browse", async ct => (await client.GetLot(lotId, ct)).Outcome);
                break;
            case "hold":
                var quantity = Math.Min(options.PerShopperLimit, holds.GetValueOrDefault(lotId) + 1 + Random.Shared.Next(2));
                var hold = await ctx.Step("hold", ct => client.SetHold(shopper.Identity, lotId, quantity, ct));
                shopper.HoldAnswered(lotId, quantity, hold);
                break;
            case "checkout":
                OrderView? order = null;
                var checkout = await ctx.Step("checkout", async ct =>
                {
                    var (outcome, placed) = await client.Checkout(shopper.Identity, options.PaymentMethod, Guid.NewGuid().ToString("N"), ct);
                    order = placed;
                    return outcome;
                });
                shopper.CheckoutAnswered(checkout, order, options.PaymentMethod);
                break;
            case "pay":
                var pay = await ctx.Step("pay", ct => client.CompleteSandboxPayment(shopper.Identity, unpaid!.PaymentId!, "succeeded", ct));
                shopper.PaymentAnswered(unpaid!, "succeeded", pay);
                break;
            default:
                var abandoned = holds.Keys.ElementAt(Random.Shared.Next(holds.Count));
                var release = await ctx.Step("abandon", ct => client.Release(shopper.Identity, abandoned, ct));
                shopper.HoldAnswered(abandoned, 0, release);
                break;
        }
    }
}
