using System.Globalization;
using FlashSale.LoadTests.Harness;
using FlashSale.LoadTests.Sale;

namespace FlashSale.LoadTests.Scenarios;

/// <summary>Where a scenario sends its load and how its client behaves.</summary>
public sealed record TargetOptions
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    private readonly IReadOnlyList<Uri> _nodes = [new Uri(DefaultUrl)];

    /// <summary>The first node; setting it makes it the only one.</summary>
    public Uri Url
    {
        get => _nodes[0];
        init => _nodes = [value];
    }

    /// <summary>
    /// Every API node the load is spread over, <see cref="Url"/> first: a cluster's nodes share
    /// one engine, so a shopper may call any of them. Each caller keeps to one node (as a client
    /// behind a load balancer with sticky connections would); calls without a caller take turns.
    /// </summary>
    public IReadOnlyList<Uri> Nodes
    {
        get => _nodes;
        init => _nodes = value.Count > 0 ? value : throw new ArgumentException("A target has at least one node.", nameof(value));
    }

    public int Connections { get; init; } = 512;

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How many sign-ups and other setup calls run at once.</summary>
    public int SetupParallelism { get; init; } = 32;

    public SaleClient CreateClient() => new(Nodes, new SaleClientOptions { Connections = Connections, RequestTimeout = RequestTimeout });
}

/// <summary>A scenario's shoppers, each used by one iteration at a time (a shopper's cart answers one request at a time).</summary>
public sealed class ShopperPool
{
    private readonly System.Threading.Channels.Channel<ShopperRecord> _free = System.Threading.Channels.Channel.CreateUnbounded<ShopperRecord>();

    public ShopperPool(IEnumerable<ShopperRecord> shoppers)
    {
        foreach (var shopper in shoppers)
        {
            _free.Writer.TryWrite(shopper);
            Count++;
        }
    }

    public int Count { get; }

    /// <summary>Waits for a free shopper; in an open model the wait is part of the measured latency.</summary>
    public ValueTask<ShopperRecord> Take(CancellationToken cancellation) => _free.Reader.ReadAsync(cancellation);

    public void Return(ShopperRecord shopper) => _free.Writer.TryWrite(shopper);
}

internal static class ScenarioKit
{
    public static async Task<(Identity Seller, LotView Lot)> CreateSellerAndLot(SaleClient client, SaleLedger ledger, string name, int quantity, int limit, CancellationToken cancellation)
    {
        var seller = await client.SignUpSeller("Load test farm", cancellation);
        var lot = await client.CreateLot(seller, name, quantity, limit, 6800, cancellation);
        ledger.AddLot(lot);
        return (seller, lot);
    }

    public static async Task<List<ShopperRecord>> SignUp(SaleClient client, SaleLedger ledger, int count, TargetOptions target, IProgressSink progress, CancellationToken cancellation)
    {
        progress.Message(string.Create(CultureInfo.InvariantCulture, $"signing up {count:N0} shoppers"));
        var identities = await client.SignUpShoppers(count, target.SetupParallelism, cancellation);
        return identities.Select(ledger.AddShopper).ToList();
    }

    public static RunReport Report(string scenario, TargetOptions target, DateTimeOffset startedAt, RunResult result, AuditReport? audit,
        IReadOnlyDictionary<string, string> options, IReadOnlyDictionary<string, double> metrics, IEnumerable<string> notes)
    {
        var allNotes = notes.ToList();
        if (result.StoppedBecause is { } why)
        {
            allNotes.Add("Run " + why + ".");
        }

        return new RunReport
        {
            Scenario = scenario,
            Target = string.Join(", ", target.Nodes),
            StartedAt = startedAt,
            MeasuredSeconds = result.MeasuredSeconds,
            Machine = MachineInfo.Current(),
            Options = options,
            Steps = result.Steps,
            Stages = result.Stages,
            Series = result.Series,
            Metrics = metrics,
            Notes = allNotes,
            Audit = audit,
        };
    }

    public static string S(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
