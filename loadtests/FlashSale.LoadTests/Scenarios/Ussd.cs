using System.Text.RegularExpressions;
using FlashSale.LoadTests.Harness;
using FlashSale.LoadTests.Sale;
using static FlashSale.LoadTests.Scenarios.ScenarioKit;

namespace FlashSale.LoadTests.Scenarios;

public sealed record UssdOptions
{
    public TargetOptions Target { get; init; } = new();

    /// <summary>Feature phones, each with its own number (a Nigerian mobile number: the menu reads English).</summary>
    public int Handsets { get; init; } = 5_000;

    public int Quantity { get; init; } = 500;

    /// <summary>All handsets dial, evenly spread, within this window (an open model).</summary>
    public TimeSpan Arrival { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// A sale's opening by feature phone: N handsets dial the USSD menu through the sandbox gateway
/// within a few seconds and walk menu → live lots → the lot → hold 1 → pay how → cash on delivery,
/// one gateway callback a step, each step timed on its own (the gateways' patience is per step).
/// Most find the lot sold out, which is the expected answer once it is gone. The audit then reads
/// the lot and, through each buyer's own phone (a fresh session, <c>My orders</c>), the orders.
/// </summary>
public static partial class Ussd
{
    public const string ScenarioName = "ussd";

    public static async Task<RunReport> RunAsync(UssdOptions options, IProgressSink progress, CancellationToken cancellation = default)
    {
        var startedAt = DateTimeOffset.UtcNow;
        using var client = options.Target.CreateClient();
        var ledger = new SaleLedger();
        var (_, lot) = await CreateSellerAndLot(client, ledger, "Dangshan pears (ussd)", options.Quantity, 1, cancellation);
        var code = lot.PhoneCode ?? throw new InvalidOperationException("POST /api/lots answered a lot without a phoneCode: the target has no phone channel");
        // Numbers nobody else uses: a per-run block of Nigerian mobile numbers (+234 80x), whose
        // menus read English, the words the steps below look for (a Kenyan +254 number reads Swahili).
        var first = Random.Shared.NextInt64(10_000_000, 99_000_000 - options.Handsets);
        var handsets = Enumerable.Range(0, options.Handsets).Select(i => new HandsetRecord(S($"+23480{first + i:D8}"))).ToArray();
        var answers = new SurgeAnswersByPhone();

        var scenario = new ScenarioDefinition
        {
            Name = ScenarioName,
            Simulations = [new LoadSimulation.Inject(options.Handsets / options.Arrival.TotalSeconds, options.Arrival)],
            MaxIterations = options.Handsets,
            MaxInFlight = Math.Max(1, options.Handsets),
            DrainTimeout = options.Target.RequestTimeout * 8,
            Iteration = async ctx =>
            {
                var handset = handsets[(int)(ctx.Index - 1)];
                var session = "lt-" + Guid.NewGuid().ToString("N");
                var inputs = new List<string>();

                async Task<(StepOutcome Outcome, string Screen)> Step(string name, string? input, Func<string, StepOutcome> judge)
                {
                    if (input is not null)
                    {
                        inputs.Add(input);
                    }

                    var screen = "";
                    var outcome = await ctx.Step(name, async ct =>
                    {
                        var (answered, body) = await client.UssdStep(session, handset.Phone, string.Join('*', inputs), ct);
                        screen = body ?? "";
                        return answered.IsOk ? judge(screen) : answered;
                    });
                    answers.Count(outcome);
                    return (outcome, screen);
                }

                if (!(await Step("dial", null, s => Expect(s, "CON ", "1 Live lots"))).Outcome.IsOk)
                {
                    return;
                }

                var (listed, list) = await Step("live-lots", "1", s => ChoiceOf(s, code) is null ? new StepOutcome(OutcomeKind.Expected, "not-listed", 200) : Expect(s, "CON "));
                if (!listed.IsOk || ChoiceOf(list, code) is not { } choice)
                {
                    return; // a sold-out lot leaves the live list
                }

                var (shown, _) = await Step("lot", choice, s => s.Contains("1 Hold", StringComparison.Ordinal) ? StepOutcome.Ok()
                    : s.Contains("sold out", StringComparison.OrdinalIgnoreCase) ? new StepOutcome(OutcomeKind.Expected, "sold-out", 200) : Unexpected());
                if (!shown.IsOk || !(await Step("quantity", "1", s => Expect(s, "CON ", "How many"))).Outcome.IsOk)
                {
                    return;
                }

                var (held, _) = await Step("hold", "1", s => s.StartsWith("CON Held 1 ", StringComparison.Ordinal) ? StepOutcome.Ok() : Ended(s));
                handset.HoldAnswered(held);
                if (!held.IsOk || !(await Step("pay-how", "1", s => Expect(s, "CON Pay how?", "1 Cash on delivery"))).Outcome.IsOk)
                {
                    return;
                }

                var (placed, receipt) = await Step("checkout", "1", s => Reference().Match(s) is { Success: true } ? StepOutcome.Ok() : Ended(s));
                handset.CheckoutAnswered(placed, placed.IsOk ? Reference().Match(receipt).Groups[1].Value : null);
            },
        };

        var result = await ScenarioRunner.RunAsync(scenario, progress, cancellation);
        progress.Message("auditing");
        var audit = await PhoneAudit.RunAsync(client, lot.LotId, handsets, cancellation);
        var final = await client.ReadLot(lot.LotId, cancellation);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["handsets"] = options.Handsets,
            ["lot.quantity"] = options.Quantity,
            ["lot.sold"] = final?.Sold ?? double.NaN,
            ["lot.reserved"] = final?.Reserved ?? double.NaN,
            ["lot.available"] = final?.Available ?? double.NaN,
            ["orders"] = handsets.Count(h => h.Reference is not null),
            ["answered.late"] = answers.Late,
            ["http.5xx"] = answers.ServerErrors,
        };
        return Report(ScenarioName, options.Target, startedAt, result, audit,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["handsets"] = S($"{options.Handsets}"),
                ["quantity"] = S($"{options.Quantity}"),
                ["arrival"] = S($"{options.Arrival.TotalSeconds}s"),
                ["payment-method"] = PaymentMethods.CashOnDelivery,
            },
            metrics,
            [
                "Open model: handsets dial evenly within the arrival window; each session's first step is timed from its intended arrival, every later step on its own.",
                "Each step is one signed gateway callback through the sandbox gateway (POST /api/sandbox/phone/ussd), which checks the signature as the real route does.",
                "'sms-later' answers are steps that outran the engine's step budget (FlashSale:Phone:ActionBudget): the session ended with 'we will send you an SMS' and the work finished on its own.",
            ]);
    }

    /// <summary>The choice number of the live list's line for the lot with <paramref name="code"/>, or null when it is not listed.</summary>
    internal static string? ChoiceOf(string screen, int code)
    {
        var marker = S($" #{code} ");
        return screen.Split('\n').Select(l => l.StartsWith("CON ", StringComparison.Ordinal) ? l[4..] : l)
            .FirstOrDefault(l => l.Contains(marker, StringComparison.Ordinal))?.Split(' ')[0];
    }

    private static StepOutcome Expect(string screen, string start, string? contains = null) =>
        screen.StartsWith(start, StringComparison.Ordinal) && (contains is null || screen.Contains(contains, StringComparison.Ordinal)) ? StepOutcome.Ok() : Unexpected();

    /// <summary>An END that answers an action: later by SMS, a refusal in words (sold out, limit), or the engine busy.</summary>
    private static StepOutcome Ended(string screen) =>
        !screen.StartsWith("END ", StringComparison.Ordinal) ? Unexpected()
        : screen.Contains("We will send you an SMS", StringComparison.Ordinal) ? new StepOutcome(OutcomeKind.Expected, "sms-later", 200)
        : screen.Contains("Busy now", StringComparison.Ordinal) ? StepOutcome.Fail("busy", 200)
        : screen.Contains("sold out", StringComparison.OrdinalIgnoreCase) || screen.Contains("not enough", StringComparison.OrdinalIgnoreCase) ? new StepOutcome(OutcomeKind.Expected, "sold-out", 200)
        : new StepOutcome(OutcomeKind.Expected, "refused", 200);

    private static StepOutcome Unexpected() => StepOutcome.Fail("unexpected-screen", 200);

    /// <summary>The order's reference on the checkout's END screen: <c>END Order 4KX9QZ: 68.00 CNY, ...</c>.</summary>
    [GeneratedRegex(@"^END Order ([0-9A-Z]{6}):")]
    internal static partial Regex Reference();
}

/// <summary>What one handset was told: its hold, and the order it placed (by reference), or that an answer never came.</summary>
public sealed class HandsetRecord(string phone)
{
    private readonly Lock _gate = new();

    public string Phone { get; } = phone;

    /// <summary>The hold was acknowledged (<c>Held 1 ...</c>).</summary>
    public bool Held { get; private set; }

    /// <summary>The order's reference from the checkout's screen.</summary>
    public string? Reference { get; private set; }

    /// <summary>A hold or checkout had no certain answer (a timeout, a transport error, busy, or "we will send you an SMS"): it may or may not have acted.</summary>
    public bool Uncertain { get; private set; }

    public void HoldAnswered(StepOutcome outcome)
    {
        lock (_gate)
        {
            Held = outcome.IsOk;
            Uncertain |= IsUncertain(outcome);
        }
    }

    public void CheckoutAnswered(StepOutcome outcome, string? reference)
    {
        lock (_gate)
        {
            Reference = reference;
            Uncertain |= IsUncertain(outcome);
        }
    }

    private static bool IsUncertain(StepOutcome outcome) =>
        outcome.Kind == OutcomeKind.Failed || outcome.Label == "sms-later";
}

/// <summary>Counts the answers beyond the per-step tables: late ones (finished by SMS) and 5xx.</summary>
internal sealed class SurgeAnswersByPhone
{
    private long _late;
    private long _serverErrors;

    public long Late => Interlocked.Read(ref _late);

    public long ServerErrors => Interlocked.Read(ref _serverErrors);

    public void Count(StepOutcome outcome)
    {
        if (outcome.Label == "sms-later")
        {
            Interlocked.Increment(ref _late);
        }

        if (outcome.StatusCode >= 500)
        {
            Interlocked.Increment(ref _serverErrors);
        }
    }
}
