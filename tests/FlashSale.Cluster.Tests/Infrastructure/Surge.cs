using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace FlashSale.Cluster.Tests.Infrastructure;

/// <summary>
/// A surge of shoppers against a cluster under test, and the audit afterwards: every lot keeps its
/// invariant, every acknowledged hold and order is there, and the lots' counts agree with the
/// carts and orders (up to what unanswered requests could have moved).
/// </summary>
public static class Surge
{
    /// <summary>One shopper's surge: holds, releases, checkouts and cancellations, one at a time.</summary>
    public static async Task Shop(SaleClient api, ShopperLedger shopper, List<string> lots, Func<bool> running)
    {
        var random = new Random(shopper.Seed);
        while (running())
        {
            var lot = lots[random.Next(lots.Count)];
            var roll = random.Next(100);
            if (roll < 60)
            {
                var quantity = random.Next(1, 4);
                var answer = await api.Send(HttpMethod.Put, $"/api/cart/items/{lot}", shopper.Token, new { quantity });
                shopper.SetHold(answer, lot, quantity);
            }
            else if (roll < 72)
            {
                var answer = await api.Send(HttpMethod.Delete, $"/api/cart/items/{lot}", shopper.Token);
                shopper.SetHold(answer, lot, 0);
            }
            else if (roll < 92)
            {
                var method = random.Next(2) == 0 ? "cash-on-delivery" : "wallet";
                var key = Guid.NewGuid().ToString();
                Answer answer;
                var attempts = 0;
                var unanswered = false;
                bool again;
                do
                {
                    // An unanswered checkout is retried with the same key: it can never make two orders.
                    // A retry that finds the first still running is answered 409 at once; it waits a little.
                    answer = await api.Send(HttpMethod.Post, "/api/checkout", shopper.Token, new { paymentMethod = method }, key);
                    unanswered |= answer.Outcome == Outcome.Unknown;
                    var inFlight = unanswered && answer.Status == HttpStatusCode.Conflict;
                    again = (answer.Outcome == Outcome.Unknown || inFlight) && ++attempts < 6;
                    if (again && inFlight)
                    {
                        await Task.Delay(500);
                    }
                }
                while (again);

                // A refusal after an unanswered attempt says nothing of what that attempt did: the
                // first may still place the order (the engine's deadline answers 503 while it runs on).
                shopper.Checkout(unanswered && answer.Outcome == Outcome.Refused ? answer with { Outcome = Outcome.Unknown } : answer);
            }
            else if (shopper.Orders.FirstOrDefault(o => o.Value == "awaiting-payment") is { Key: not null } open)
            {
                shopper.Cancel(await api.Send(HttpMethod.Post, $"/api/orders/{open.Key}/cancel", shopper.Token), open.Key);
            }
        }
    }

    public static async Task<TimeSpan> RecoveryTime(SaleClient api, List<string> lots, Stopwatch clock, TimeSpan bound)
    {
        using var deadline = new CancellationTokenSource(bound);
        foreach (var lot in lots)
        {
            while ((await api.Send(HttpMethod.Get, $"/api/lots/{lot}", null)).Outcome != Outcome.Done)
            {
                Assert.False(deadline.IsCancellationRequested, $"lot {lot} did not answer again within {bound}");
                await Task.Delay(200, CancellationToken.None);
            }
        }

        return clock.Elapsed;
    }

    /// <summary>
    /// Work that the failure interrupted (a cancelled order's stock not yet returned, a checkout
    /// not yet settled) is finished by retries within seconds: waits until two checks in a row
    /// see the same state, so the comparison after the full restart compares settled states.
    /// </summary>
    public static async Task<string> Settled(SaleClient api, List<string> lots, List<ShopperLedger> shoppers)
    {
        var previous = await Verify(api, lots, shoppers);
        for (var attempt = 0; attempt < 10; attempt++)
        {
            await Task.Delay(TimeSpan.FromSeconds(2.5));
            var current = await Verify(api, lots, shoppers);
            if (current == previous)
            {
                return current;
            }

            previous = current;
        }

        Assert.Fail("the cluster's state kept changing after the surge ended");
        return previous;
    }

    /// <summary>
    /// Checks the cluster against what it acknowledged and against itself; returns a fingerprint of
    /// the whole state so that two checks can be compared.
    /// </summary>
    public static async Task<string> Verify(SaleClient api, List<string> lots, List<ShopperLedger> shoppers)
    {
        var reservedByHolds = lots.ToDictionary(l => l, _ => 0);
        var reservedByOrders = lots.ToDictionary(l => l, _ => 0);
        var soldByOrders = lots.ToDictionary(l => l, _ => 0);
        var fingerprint = new List<string>();

        foreach (var shopper in shoppers)
        {
            var cart = await api.GetJson("/api/cart", shopper.Token);
            var held = cart["items"]!.AsArray().ToDictionary(i => i!["lotId"]!.GetValue<string>(), i => i!["quantity"]!.GetValue<int>());
            foreach (var (lot, quantity) in held)
            {
                reservedByHolds[lot] += quantity;
            }

            foreach (var (lot, expected) in shopper.KnownHolds)
            {
                Assert.True(held.GetValueOrDefault(lot) == expected, $"{shopper.Id} holds {held.GetValueOrDefault(lot)} of {lot}; {expected} was acknowledged");
            }

            var orders = (await api.GetJson("/api/orders", shopper.Token)).AsArray();
            var statuses = orders.ToDictionary(o => o!["orderId"]!.GetValue<string>(), o => o!["status"]!.GetValue<string>());
            foreach (var (orderId, status) in shopper.Orders)
            {
                if (!statuses.TryGetValue(orderId, out var actual))
                {
                    // Which store lost it: the order itself, or the cart's list of its orders.
                    var direct = await api.Send(HttpMethod.Get, $"/api/orders/{orderId}", shopper.Token);
                    Assert.Fail($"acknowledged order {orderId} ({status}) of {shopper.Id} is missing from its orders; read by its id it answers {direct.Status}");
                }

                Assert.Equal(status, actual);
            }

            foreach (var order in orders)
            {
                var status = order!["status"]!.GetValue<string>();
                foreach (var item in order["items"]!.AsArray())
                {
                    var lot = item!["lotId"]!.GetValue<string>();
                    var quantity = item["quantity"]!.GetValue<int>();
                    if (status == "awaiting-payment")
                    {
                        reservedByOrders[lot] += quantity;
                    }
                    else if (status is "confirmed-cod" or "paid")
                    {
                        soldByOrders[lot] += quantity;
                    }
                }
            }

            fingerprint.Add($"{shopper.Id}:{string.Join(',', held.OrderBy(h => h.Key))}:{string.Join(',', statuses.OrderBy(o => o.Key))}");
        }

        foreach (var lotId in lots)
        {
            var lot = await api.GetJson($"/api/lots/{lotId}");
            var (quantity, available, reserved, sold) = (Int(lot, "quantity"), Int(lot, "available"), Int(lot, "reserved"), Int(lot, "sold"));
            Assert.True(available >= 0 && reserved >= 0 && sold >= 0 && available + reserved + sold == quantity, $"lot {lotId} broke its invariant: {lot}");
            // A request that went unanswered because its silo died may have moved stock in the lot
            // without its cart recording it; such a hold returns at its expiry. So the counts must
            // agree with the carts and orders up to what the unanswered requests could have moved,
            // and exactly when every request of the surge was answered.
            var slack = shoppers.Sum(x => x.UnansweredUnitsOn(lotId));
            var expectedReserved = reservedByHolds[lotId] + reservedByOrders[lotId];
            Assert.True(Math.Abs(reserved - expectedReserved) <= slack,
                $"lot {lotId} has {reserved} reserved; carts hold {reservedByHolds[lotId]} and open orders {reservedByOrders[lotId]} (unanswered requests explain at most {slack})");
            Assert.True(Math.Abs(sold - soldByOrders[lotId]) <= slack, $"lot {lotId} has {sold} sold; orders account for {soldByOrders[lotId]} (slack {slack})");
            fingerprint.Add($"{lotId}:{available}/{reserved}/{sold}");
        }

        return string.Join(Environment.NewLine, fingerprint);
    }

    private static int Int(JsonNode node, string name) => node[name]!.GetValue<int>();
}

/// <summary>What the cluster told one shopper, so the state can be checked against it.</summary>
public sealed class ShopperLedger(string id, string token, int seed, int maxPerShopper)
{
    // Per lot, the held quantity the cluster acknowledged last, or null when a later change
    // went unanswered (it may or may not have happened).
    private readonly Dictionary<string, int?> _holds = [];
    private readonly Dictionary<string, int> _unansweredOn = [];
    private int _unansweredAnywhere;

    public string Id { get; } = id;

    public string Token { get; } = token;

    public int Seed { get; } = seed;

    /// <summary>Acknowledged orders and the status the cluster last acknowledged for each.</summary>
    public Dictionary<string, string> Orders { get; } = [];

    public int Done { get; private set; }

    public int Refused { get; private set; }

    public int Unknown { get; private set; }

    /// <summary>The most stock the shopper's unanswered requests could have moved in a lot.</summary>
    public int UnansweredUnitsOn(string lot) => (_unansweredOn.GetValueOrDefault(lot) + _unansweredAnywhere) * maxPerShopper;

    public IEnumerable<KeyValuePair<string, int>> KnownHolds =>
        _holds.Where(h => h.Value is not null).Select(h => KeyValuePair.Create(h.Key, h.Value!.Value));

    public void SetHold(Answer answer, string lot, int quantity) =>
        Count(answer, () => _holds[lot] = quantity, () =>
        {
            _holds[lot] = null;
            _unansweredOn[lot] = _unansweredOn.GetValueOrDefault(lot) + 1;
        });

    public void Checkout(Answer answer) => Count(
        answer,
        () =>
        {
            Orders[answer.Body!["orderId"]!.GetValue<string>()] = answer.Body["status"]!.GetValue<string>();
            foreach (var lot in _holds.Keys.ToList())
            {
                _holds[lot] = 0; // every hold moved to the order
            }
        },
        () =>
        {
            _unansweredAnywhere++;
            foreach (var lot in _holds.Keys.ToList())
            {
                _holds[lot] = null;
            }
        });

    public void Cancel(Answer answer, string orderId) =>
        Count(answer, () => Orders[orderId] = "cancelled", () =>
        {
            _unansweredAnywhere++;
            Orders.Remove(orderId);
        });

    private void Count(Answer answer, Action done, Action unknown)
    {
        switch (answer.Outcome)
        {
            case Outcome.Done:
                Done++;
                done();
                break;
            case Outcome.Refused:
                Refused++; // a refusal changes nothing
                break;
            default:
                Unknown++;
                unknown();
                break;
        }
    }
}
