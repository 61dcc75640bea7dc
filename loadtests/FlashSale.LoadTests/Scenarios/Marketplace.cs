using FlashSale.LoadTests.Harness;
using FlashSale.LoadTests.Sale;
using FlashSale.LoadTests.Workload;
using static FlashSale.LoadTests.Scenarios.ScenarioKit;

namespace FlashSale.LoadTests.Scenarios;

public sealed record MarketplaceOptions
{
    public const string DefaultMix = "browse=45,hold=25,checkout=10,pay=5,abandon=5,ship=5,handover=5";

    public TargetOptions Target { get; init; } = new();

    public int Lots { get; init; } = 50;

    public int QuantityPerLot { get; init; } = 300;

    public int PerShopperLimit { get; init; } = 4;

    public int Shoppers { get; init; } = 2_000;

    /// <summary>Village agents, each with a service point: every order is picked up at one of them.</summary>
    public int Agents { get; init; } = 3;

    /// <summary>Lot popularity: lot k is picked with weight 1/(k+1)^s.</summary>
    public double ZipfExponent { get; init; } = 1.1;

    public string Mix { get; init; } = DefaultMix;

    public double Rate { get; init; } = 300;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(2);

    public string PaymentMethod { get; init; } = PaymentMethods.CashOnDelivery;

    /// <summary>
    /// SignalR watchers, each on one lot drawn by the lots' Zipf popularity and connected to the
    /// target's nodes in turn; 0 runs the marketplace without them.
    /// </summary>
    public int Watchers { get; init; }

    public int ConnectParallelism { get; init; } = 50;

    /// <summary>After the run, how long every watcher has to receive its lot's final version.</summary>
    public TimeSpan SettleBound { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// A marketplace at a steady open rate: many lots with Zipf popularity (a few take most of the
/// traffic and sell out), and shoppers doing a weighted mix of browsing, holding, checking out,
/// paying and abandoning, while the seller packs and ships their orders to village service points
/// and the agents there hand them over against the shopper's pickup code. An action that does not
/// fit the shopper's state (checking out an empty cart) becomes the nearest one that does, as a
/// person would. The audit then checks the seller's ledger against the orders. With watchers, the
/// lots' live stock is watched too (popular lots by more watchers), and the report adds the
/// staleness of the stock messages in the measured window and a check that every watcher ended on
/// its lot's final version.
/// </summary>
public static class Marketplace
{
    public static readonly string[] Actions = ["browse", "hold", "checkout", "pay", "abandon", "ship", "handover"];

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
        var agents = new Dictionary<string, Identity>(StringComparer.Ordinal);
        for (var i = 0; i < options.Agents; i++)
        {
            var (agent, pointId) = await client.SignUpAgent(S($"Agent {i}"), S($"Village {i}"), cancellation);
            agents[pointId] = agent;
        }

        var market = new Market(seller, agents, [.. agents.Keys]);
        var pool = new ShopperPool(await SignUp(client, ledger, options.Shoppers, options.Target, progress, cancellation));
        var needsPayment = PaymentMethods.NeedsSandboxPayment(options.PaymentMethod);

        // Connected before the warm-up: the connection storm is setup, not part of the measured load.
        var staleness = new StockStaleness();
        CpuMeter? cpu = null;
        var placements = WatcherPlan.Spread(options.Watchers, lots, zipf, options.Target.Nodes, Random.Shared);
        await using var watchers = await WatcherGroup.Connect(placements, staleness.Record, options.ConnectParallelism, progress, cancellation);

        var scenario = new ScenarioDefinition
        {
            Name = "marketplace",
            MeasuringBegins = () =>
            {
                staleness.Start();
                cpu = new CpuMeter(serverPid: null);
            },
            WarmUp = options.WarmUp,
            Simulations = [new LoadSimulation.Inject(options.Rate, options.Duration)],
            DrainTimeout = options.Target.RequestTimeout + TimeSpan.FromSeconds(2),
            Iteration = async ctx =>
            {
                var shopper = await pool.Take(ctx.Cancellation);
                try
                {
                    await ActAsync(ctx, client, market, shopper, mix.Pick(Random.Shared), lots[zipf.Sample(Random.Shared)], options, needsPayment);
                }
                finally
                {
                    pool.Return(shopper);
                }
            },
        };

        var result = await ScenarioRunner.RunAsync(scenario, progress, cancellation);
        var watchedSeconds = staleness.Elapsed;
        var (machineCpu, harnessCpu, _) = cpu?.Read() ?? (double.NaN, double.NaN, null);
        AuditCheck? finalState = null;
        if (watchers.Count > 0)
        {
            progress.Message("waiting for every watcher to see its lot's final state");
            var watched = watchers.All.Select(w => w.LotId).Distinct(StringComparer.Ordinal).ToList();
            var read = await Task.WhenAll(watched.Select(l => client.ReadLot(l, cancellation)));
            var finalVersions = watched.Zip(read).ToDictionary(
                p => p.First, p => p.Second?.Version ?? throw new InvalidOperationException(S($"The watched lot {p.First} could not be read.")), StringComparer.Ordinal);

            // A watcher still behind when the bound passes fails the final-state check below.
            _ = await watchers.WaitForVersions(finalVersions, options.SettleBound, cancellation);
            staleness.Stop();
            finalState = watchers.FinalVersionCheck(finalVersions, "every watcher received its lot's final state");
        }

        progress.Message("auditing");
        var audit = await SaleAudit.RunAsync(client, ledger, hasOrders: true, cancellation, ledgerOf: seller);
        if (finalState is not null)
        {
            audit = audit with { Passed = audit.Passed && finalState.Passed, Checks = [.. audit.Checks, finalState] };
        }

        var finals = await Task.WhenAll(lots.Select(l => client.ReadLot(l, cancellation)));
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["lots"] = options.Lots,
            ["lots_sold_out"] = finals.Count(l => l is { Available: 0 }),
            ["units_sold"] = finals.Sum(l => l?.Sold ?? 0),
            ["most_popular_lot_share"] = zipf.Probability(0),
        };
        var described = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["lots"] = S($"{options.Lots}"),
            ["quantity-per-lot"] = S($"{options.QuantityPerLot}"),
            ["shoppers"] = S($"{options.Shoppers}"),
            ["agents"] = S($"{options.Agents}"),
            ["zipf"] = S($"{options.ZipfExponent}"),
            ["mix"] = options.Mix,
            ["rate"] = S($"{options.Rate}/s"),
            ["duration"] = S($"{options.Duration.TotalSeconds}s"),
            ["payment-method"] = options.PaymentMethod,
        };
        List<string> notes =
        [
            "Open model at a steady rate; each iteration is one action of one shopper.",
            "An action that does not fit the shopper's state falls back: checkout or abandon with an empty cart holds instead, pay without an unpaid order browses, handover without a shipped order ships one, ship without a paid or cash-on-delivery order browses.",
            "ship is the seller's pack and ship of one of the shopper's orders; handover is the agent's arrival scan, the shopper reading the pickup code, and the agent's handover with it.",
        ];
        if (watchers.Count > 0)
        {
            described["watchers"] = S($"{options.Watchers}");
            metrics["watchers"] = options.Watchers;
            metrics["watchers_connected"] = watchers.All.Count(w => w.IsConnected);
            metrics["watched_lots"] = watchers.All.Select(w => w.LotId).Distinct(StringComparer.Ordinal).Count();
            metrics["most_watched_lot_watchers"] = watchers.All.GroupBy(w => w.LotId, StringComparer.Ordinal).Max(g => g.Count());
            foreach (var (name, value) in staleness.Figures(watchers.Count, watchedSeconds))
            {
                metrics[name] = value;
            }

            metrics["cpu.machine_percent_of_all_cores"] = machineCpu;
            metrics["cpu.harness_percent_of_one_core"] = harnessCpu;
            notes.Add("Watchers: each watches one lot drawn by the same Zipf popularity as the shoppers' lots, connected before the warm-up to the target's nodes in turn. Staleness = receipt time − the stock message's committedAt, on one machine's clock, over every stock message received from the start of the measured window until every watcher had its lot's final version; messages per second divide by the measured window and its drain. For a change folded into a paced trailing publication (at most 10 a second per lot, by contract), the time it waited for that publication is not in the figure.");
            notes.Add("watchers_connected counts the watchers still connected after the run. CPU: the harness (the shoppers and every SignalR client) shares the machine with the server, so the machine figure is both.");
        }

        var report = Report("marketplace", options.Target, startedAt, result, audit, described, metrics, notes);
        return watchers.Count == 0 ? report : report with { Series = [.. report.Series, .. staleness.Series()] };
    }

    private static async Task ActAsync(
        IterationContext ctx, SaleClient client, Market market, ShopperRecord shopper, string action, string lotId, MarketplaceOptions options, bool needsPayment)
    {
        var (holds, _, orders, _) = shopper.Snapshot();
        var unpaid = orders.FirstOrDefault(o => o.ExpectedStatus == "awaiting-payment" && o.PaymentId is not null);
        var shippable = orders.FirstOrDefault(o => o.ExpectedStatus is "paid" or "confirmed-cod" && o.ExpectedShipment is null or "packed" && !o.ShipmentUncertain);
        var shipped = orders.FirstOrDefault(o => o.ExpectedShipment is "shipped" or "at-pickup-point" && o.PointId is not null && !o.ShipmentUncertain);
        action = action switch
        {
            "checkout" or "abandon" when holds.Count == 0 => "hold",
            "pay" when !needsPayment || unpaid is null => "browse",
            "handover" when shipped is null => shippable is null ? "browse" : "ship",
            "ship" when shippable is null => "browse",
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
                var pointId = market.PointIds[Random.Shared.Next(market.PointIds.Length)];
                var checkout = await ctx.Step("checkout", async ct =>
                {
                    var (outcome, placed) = await client.Checkout(shopper.Identity, options.PaymentMethod, Guid.NewGuid().ToString("N"), ct, pointId);
                    order = placed;
                    return outcome;
                });
                shopper.CheckoutAnswered(checkout, order, options.PaymentMethod, pointId);
                break;
            case "pay":
                var pay = await ctx.Step("pay", ct => client.CompleteSandboxPayment(shopper.Identity, unpaid!.PaymentId!, "succeeded", ct));
                shopper.PaymentAnswered(unpaid!, "succeeded", pay);
                break;
            case "ship":
                await ShipAsync(ctx, client, market, shopper, shippable!);
                break;
            case "handover":
                await HandOverAsync(ctx, client, market, shopper, shipped!);
                break;
            default:
                var abandoned = holds.Keys.ElementAt(Random.Shared.Next(holds.Count));
                var release = await ctx.Step("abandon", ct => client.Release(shopper.Identity, abandoned, ct));
                shopper.HoldAnswered(abandoned, 0, release);
                break;
        }
    }

    /// <summary>The seller packs (unless it already has) and ships one order. A gateway payment settles by webhook after its call returned, so an order paid that way is shipped only once it reads as paid.</summary>
    private static async Task ShipAsync(IterationContext ctx, SaleClient client, Market market, ShopperRecord shopper, OrderRecord order)
    {
        if (order.ExpectedStatus == "paid" && order.ExpectedShipment is null
            && await client.ReadOrder(shopper.Identity, order.OrderId, ctx.Cancellation) is not { Fulfilment: not null })
        {
            await ctx.Step("browse", async ct => (await client.GetLot(order.Items.Keys.First(), ct)).Outcome);
            return;
        }

        if (order.ExpectedShipment is null)
        {
            var packed = await ctx.Step("pack", ct => client.Pack(market.Seller, order.OrderId, ct));
            shopper.ShipmentAnswered(order, "packed", packed);
            if (!packed.IsOk)
            {
                return;
            }
        }

        var sent = await ctx.Step("ship", ct => client.Ship(market.Seller, order.OrderId, ct));
        shopper.ShipmentAnswered(order, "shipped", sent);
    }

    /// <summary>The agent of the order's point scans the parcel in (unless it already has), the shopper reads the pickup code, and the agent hands the parcel over with it.</summary>
    private static async Task HandOverAsync(IterationContext ctx, SaleClient client, Market market, ShopperRecord shopper, OrderRecord order)
    {
        var agent = market.Agents[order.PointId!];
        if (order.ExpectedShipment == "shipped")
        {
            var arrived = await ctx.Step("arrived", ct => client.Arrived(agent, order.OrderId, ct));
            shopper.ShipmentAnswered(order, "at-pickup-point", arrived);
            if (!arrived.IsOk)
            {
                return;
            }
        }

        string? code = null;
        var read = await ctx.Step("pickup-code", async ct =>
        {
            var answer = await client.GetOrder(shopper.Identity, order.OrderId, ct);
            code = answer.Order?.Fulfilment?.PickupCode;
            return answer.Outcome;
        });
        if (!read.IsOk || code is null)
        {
            return;
        }

        var handedOver = await ctx.Step("handover", ct => client.Handover(agent, order.OrderId, code, ct));
        shopper.ShipmentAnswered(order, "collected", handedOver, paidAtHandover: order.ExpectedStatus == "confirmed-cod");
    }

    /// <summary>Who moves the orders: the seller, and the agent of each service point.</summary>
    private sealed record Market(Identity Seller, IReadOnlyDictionary<string, Identity> Agents, string[] PointIds);
}
