using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using FlashSale.LoadTests.Harness;
using FlashSale.LoadTests.Scenarios;

namespace FlashSale.LoadTests.Sale;

/// <summary>
/// The audit of a phone run. A phone shopper has no token: its account is its number, so its
/// orders are read the way the shopper would, through the sandbox gateway in a fresh session of its
/// own number (<c>4 My orders</c>). It checks the lot's invariant and that no unit was oversold;
/// that every order a handset was told of exists, confirmed for cash on delivery; that a handset
/// told certainly that nothing was ordered has no order; and that the lot's sold units are exactly
/// the orders found (one unit each) and its reserved units the holds left without an order.
/// Handsets whose hold or checkout had no certain answer count as the truth the engine shows.
/// </summary>
public static partial class PhoneAudit
{
    private const int MaxViolationsShown = 20;

    /// <summary>How many times the phones' orders are read at most while the lot still moves.</summary>
    private const int MaxReadingRounds = 5;

    public static async Task<AuditReport> RunAsync(SaleClient client, string lotId, IReadOnlyList<HandsetRecord> handsets, CancellationToken cancellation)
    {
        var checks = new Dictionary<string, (long Checked, List<string> Violations)>(StringComparer.Ordinal);
        void Check(string name, bool passed, string violation)
        {
            var (count, violations) = checks.TryGetValue(name, out var c) ? c : (0, new List<string>());
            if (!passed)
            {
                violations.Add(violation);
            }

            checks[name] = (count + 1, violations);
        }

        const string Readable = "the lot and every audited phone's orders could be read";
        const string Invariant = "lot invariant: available + reserved + sold == quantity, none negative";
        const string Oversold = "sold never above quantity";
        const string OrdersSeen = "every order a handset was told of exists, confirmed cash on delivery";
        const string NoPhantom = "no order on a phone that was told none was placed";
        const string Totals = "the lot's sold units are the orders found; its reserved units the holds left";

        // Every phone that may have an order: told of one, holding, or without a certain answer.
        var audited = handsets.Where(h => h.Reference is not null || h.Held || h.Uncertain).ToList();

        // Holds and checkouts that outran a step's budget finish in the engine after the run (the
        // phone hears by SMS), so the lot could move while the phones' orders are read. The lot is
        // read before and after each reading of the orders, until it did not move in between:
        // then both describe the same moment. Bounded: a lot still moving after that many rounds
        // is judged on the last reading, and the report says how many rounds it took.
        var lot = await client.ReadLot(lotId, cancellation);
        ConcurrentDictionary<string, IReadOnlyList<(string Reference, string Line)>?> listed;
        var rounds = 0;
        while (true)
        {
            rounds++;
            listed = new ConcurrentDictionary<string, IReadOnlyList<(string Reference, string Line)>?>(StringComparer.Ordinal);
            await Parallel.ForEachAsync(audited, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellation },
                async (handset, ct) => listed[handset.Phone] = await MyOrders(client, handset.Phone, ct));
            var after = await client.ReadLot(lotId, cancellation);
            var settled = after is not null && lot is not null && after.Version == lot.Version;
            lot = after ?? lot;
            if (settled || after is null || rounds == MaxReadingRounds)
            {
                break;
            }
        }

        Check(Readable, lot is not null, $"lot {lotId} could not be read");

        long ordersFound = 0, heldWithoutOrder = 0, uncertainWithoutOrder = 0;
        foreach (var handset in audited)
        {
            if (listed.GetValueOrDefault(handset.Phone) is not { } orders)
            {
                Check(Readable, false, $"the orders of {handset.Phone} could not be read");
                continue;
            }

            Check(Readable, true, "");
            ordersFound += orders.Count;
            if (handset.Reference is { } reference)
            {
                var line = orders.FirstOrDefault(o => o.Reference == reference).Line;
                Check(OrdersSeen, line is not null && line.Contains("cash on delivery", StringComparison.Ordinal),
                    line is null ? $"{handset.Phone}: order {reference} is missing" : $"{handset.Phone}: order {reference} reads '{line}'");
            }

            if (handset.Reference is null && !handset.Uncertain)
            {
                Check(NoPhantom, orders.Count == 0, $"{handset.Phone} was told of no order but has {string.Join(", ", orders.Select(o => o.Reference))}");
            }

            if (orders.Count == 0)
            {
                heldWithoutOrder += handset.Held ? 1 : 0;
                uncertainWithoutOrder += handset.Held || !handset.Uncertain ? 0 : 1;
            }
        }

        if (lot is not null)
        {
            Check(Invariant, lot.Available >= 0 && lot.Reserved >= 0 && lot.Sold >= 0 && lot.Available + lot.Reserved + lot.Sold == lot.Quantity,
                $"available {lot.Available} + reserved {lot.Reserved} + sold {lot.Sold} vs quantity {lot.Quantity}");
            Check(Oversold, lot.Sold <= lot.Quantity, $"sold {lot.Sold} of {lot.Quantity}");
            // A hold without a certain answer may have been taken (and is then reserved) or not.
            var reservedOk = lot.Reserved >= heldWithoutOrder && lot.Reserved <= heldWithoutOrder + uncertainWithoutOrder;
            Check(Totals, lot.Sold == ordersFound && reservedOk,
                $"sold {lot.Sold} vs {ordersFound} orders found; reserved {lot.Reserved} vs {heldWithoutOrder} holds left (+ up to {uncertainWithoutOrder} uncertain)");
        }

        var reports = checks.Select(c => new AuditCheck(c.Key, c.Value.Violations.Count == 0, c.Value.Checked, c.Value.Violations.Take(MaxViolationsShown).ToList())).ToList();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["phones audited"] = audited.Count,
            ["readings until the lot stood still"] = rounds,
            ["orders told"] = handsets.Count(h => h.Reference is not null),
            ["orders found"] = ordersFound,
            ["units sold"] = lot?.Sold ?? 0,
            ["units reserved"] = lot?.Reserved ?? 0,
            ["uncertain operations"] = handsets.Count(h => h.Uncertain),
        };
        return new AuditReport(reports.All(c => c.Passed), reports, counts);
    }

    /// <summary>The phone's orders as its own menu lists them (newest four; a run places at most one a phone), or null when the menu did not answer.</summary>
    private static async Task<IReadOnlyList<(string Reference, string Line)>?> MyOrders(SaleClient client, string phone, CancellationToken cancellation)
    {
        var session = "audit-" + Guid.NewGuid().ToString("N");
        var (opened, _) = await client.UssdStep(session, phone, "", cancellation);
        if (!opened.IsOk)
        {
            return null;
        }

        var (answered, screen) = await client.UssdStep(session, phone, "4", cancellation);
        if (!answered.IsOk || screen is null || !screen.StartsWith("CON ", StringComparison.Ordinal))
        {
            return null;
        }

        return screen[4..].Split('\n').Select(l => OrderLine().Match(l)).Where(m => m.Success).Select(m => (m.Groups[1].Value, m.Value)).ToList();
    }

    /// <summary>A line of <c>My orders</c>: <c>1 4KX9QZ cash on delivery 68.00 CNY</c>.</summary>
    [GeneratedRegex(@"^[1-9] ([0-9A-Z]{6}) .*$")]
    private static partial Regex OrderLine();
}
