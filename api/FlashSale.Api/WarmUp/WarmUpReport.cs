using System.Globalization;
using System.Net;

namespace FlashSale.Api.WarmUp;

/// <summary>What one warm-up request asks, each answered the same way on every host.</summary>
public enum WarmUpStep
{
    /// <summary>Hold one unit of a lot that does not exist: 404.</summary>
    Hold,

    /// <summary>Hold a negative quantity: 400, before any grain is asked.</summary>
    InvalidHold,

    /// <summary>Read that lot: 404.</summary>
    LotRead,

    /// <summary>Read the made-up shopper's empty cart: 200.</summary>
    CartRead,

    /// <summary>Check out without an Idempotency-Key: 400, before the checkout's grain is asked.</summary>
    CheckoutWithoutKey,
}

/// <summary>Why the warm-up ended.</summary>
public enum WarmUpEnd
{
    /// <summary>The compiler's share of the time fell below <see cref="WarmUpOptions.SettledBelowCompilerPercent"/> after the fewest requests.</summary>
    Settled,

    /// <summary>It sent <see cref="WarmUpOptions.MaxRequests"/>.</summary>
    MaxRequests,

    /// <summary>It ran for <see cref="WarmUpOptions.Deadline"/>.</summary>
    Deadline,

    /// <summary>
    /// Nothing answered its first requests (<see cref="SurgePathWarmUp.NoAnswerLimit"/>): the address it
    /// found is not where the host listens, and knocking on it longer would only burn CPU.
    /// </summary>
    NoAnswer,
}

/// <summary>How many answers of one status one step got; a null status is no answer at all.</summary>
public sealed record WarmUpAnswers(WarmUpStep Step, HttpStatusCode Expected, HttpStatusCode? Status, int Count);

/// <summary>One warm-up, as its log line tells it.</summary>
public sealed record WarmUpReport(int Requests, TimeSpan Elapsed, long MethodsCompiled, WarmUpEnd EndedBy, IReadOnlyList<WarmUpAnswers> Answers)
{
    /// <summary>Answers other than the step's expected one: a 5xx, a 429, no answer.</summary>
    public int Unexpected => Answers.Where(a => a.Status != a.Expected).Sum(a => a.Count);

    public string Describe() => string.Join(", ", Answers.Select(a =>
        string.Create(CultureInfo.InvariantCulture, $"{a.Step} {(a.Status is { } status ? ((int)status).ToString(CultureInfo.InvariantCulture) : "no answer")} ×{a.Count}")));

    /// <summary>The status each step is answered with by a host that works.</summary>
    public static HttpStatusCode ExpectedFor(WarmUpStep step) => step switch
    {
        WarmUpStep.Hold or WarmUpStep.LotRead => HttpStatusCode.NotFound,
        WarmUpStep.InvalidHold or WarmUpStep.CheckoutWithoutKey => HttpStatusCode.BadRequest,
        WarmUpStep.CartRead => HttpStatusCode.OK,
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, null),
    };
}

/// <summary>One warm-up's shared counters: its connections take sequence numbers and count answers here.</summary>
internal sealed class WarmUpRun(int maxRequests, string lotId, int shoppersPerConnection)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(WarmUpStep Step, HttpStatusCode? Status), int> _answers = [];
    private int _sent;
    private int _answered;
    private int _unanswered;
    private volatile bool _stopped;

    /// <summary>The made-up lot every hold and read names; no lot has this id.</summary>
    public string LotId { get; } = lotId;

    /// <summary>Made-up shoppers each connection takes turns with (<see cref="SurgePathWarmUp.ShoppersPerConnection"/>).</summary>
    public int ShoppersPerConnection { get; } = shoppersPerConnection;

    public int Sent => Volatile.Read(ref _sent);

    /// <summary>The next request's sequence number, or false once stopped or at the most requests.</summary>
    public bool TryTake(out int sequence)
    {
        sequence = -1;
        if (_stopped)
        {
            return false;
        }

        var next = Interlocked.Increment(ref _sent);
        if (next > maxRequests)
        {
            Interlocked.Decrement(ref _sent);
            return false;
        }

        sequence = next - 1;
        return true;
    }

    public void Stop() => _stopped = true;

    /// <summary>True once it gave up because nothing answered (<see cref="SurgePathWarmUp.NoAnswerLimit"/>).</summary>
    public bool NothingAnswers { get; private set; }

    public void Answered(WarmUpStep step, HttpStatusCode? status)
    {
        lock (_gate)
        {
            _answers[(step, status)] = _answers.GetValueOrDefault((step, status)) + 1;
            if (status is not null)
            {
                _answered++;
            }
            else if (++_unanswered >= SurgePathWarmUp.NoAnswerLimit && _answered == 0)
            {
                NothingAnswers = true;
                _stopped = true;
            }
        }
    }

    public IReadOnlyList<WarmUpAnswers> Answers()
    {
        lock (_gate)
        {
            return _answers.OrderBy(a => a.Key.Step).ThenBy(a => a.Key.Status)
                .Select(a => new WarmUpAnswers(a.Key.Step, WarmUpReport.ExpectedFor(a.Key.Step), a.Key.Status, a.Value)).ToList();
        }
    }
}
