namespace FlashSale.Payments;

/// <summary>
/// How gateway notifications are authenticated (<c>FlashSale:Payments:Webhooks</c>). Each provider
/// has a list of active secrets: to rotate, add the new secret, move the gateway to it, then remove
/// the old one; while both are listed either signature is accepted, so nothing is ever refused
/// during the change.
/// </summary>
public sealed class WebhookOptions
{
    public const string Section = "FlashSale:Payments:Webhooks";

    /// <summary>Active secrets by provider (method name). The first is the one the sandbox gateway signs with.</summary>
    public Dictionary<string, List<string>> Secrets { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How far a signature's timestamp may be from now, either way (the contract's 300 s).</summary>
    public TimeSpan Tolerance { get; set; } = TimeSpan.FromSeconds(300);

    public IReadOnlyList<string> SecretsFor(string provider) =>
        Secrets.TryGetValue(provider, out var secrets) ? secrets.Where(s => !string.IsNullOrEmpty(s)).ToList() : [];
}

/// <summary>Cash on delivery (<c>FlashSale:Payments:CashOnDelivery</c>).</summary>
public sealed class CashOnDeliveryOptions
{
    public const string Section = "FlashSale:Payments:CashOnDelivery";

    /// <summary>
    /// How many cash-on-delivery orders one shopper may have open at once. An order is open while
    /// it is <c>confirmed-cod</c> and its delivery window (the method's payment window) has not
    /// passed; an agent's confirmation of the cash closes it as <c>paid</c>.
    /// </summary>
    public int MaxOpenOrdersPerShopper { get; set; } = 3;
}
