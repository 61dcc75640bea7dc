namespace FlashSale.LoadTests.Harness;

/// <summary>
/// How a step ended. <see cref="Expected"/> is a business answer the scenario expects under load
/// (a 409 <c>sold-out</c> when the stock is gone): counted apart, never as an error.
/// </summary>
public enum OutcomeKind
{
    Ok,
    Expected,
    Failed,
}

/// <summary>One step's result: its kind, a label for the tables (<c>ok</c>, <c>sold-out</c>, <c>http-503</c>, <c>timeout</c>) and its body bytes.</summary>
public readonly record struct StepOutcome(OutcomeKind Kind, string Label, int StatusCode = 0, long BytesSent = 0, long BytesReceived = 0)
{
    public bool IsOk => Kind == OutcomeKind.Ok;

    /// <summary>The answer's <c>Retry-After</c>, when it sent one.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static StepOutcome Ok(string label = "ok", long bytesSent = 0, long bytesReceived = 0) => new(OutcomeKind.Ok, label, 200, bytesSent, bytesReceived);

    public static StepOutcome Fail(string label, int statusCode = 0) => new(OutcomeKind.Failed, label, statusCode);
}
