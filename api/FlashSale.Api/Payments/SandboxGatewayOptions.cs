namespace FlashSale.Api.Payments;

/// <summary>
/// The sandbox gateway (<c>FlashSale:Payments:Sandbox</c>): on in appsettings.Development.json,
/// off unless configured elsewhere, and refused outside Development. When off, its routes are not mapped.
/// </summary>
public sealed class SandboxGatewayOptions
{
    public const string Section = "FlashSale:Payments:Sandbox";

    public bool Enabled { get; set; }

    /// <summary>Where to send webhooks; unset means this API's own first listening address.</summary>
    public string? WebhookBaseUrl { get; set; }

    /// <summary>The wait after the first failed try; it doubles after each further one.</summary>
    public TimeSpan FirstRetryAfter { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxRetryInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long the sandbox keeps retrying one delivery before it gives up, as real gateways do.</summary>
    public TimeSpan RetryWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long one try may take before it counts as unanswered.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>Names the sandbox's seams, so a test can route its HTTP and move its clock.</summary>
public static class SandboxGateway
{
    /// <summary>The <see cref="IHttpClientFactory"/> client that carries webhooks; a test points it at its in-memory server.</summary>
    public const string HttpClientName = "sandbox-gateway";

    /// <summary>
    /// The keyed <see cref="TimeProvider"/> that paces delays and retries (the host's clock unless
    /// replaced). Signatures are stamped with the host's clock, the one the webhook endpoint checks.
    /// </summary>
    public const string ClockKey = "sandbox-gateway";
}
