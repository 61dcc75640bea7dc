namespace FlashSale.Phone;

/// <summary>The phone channel's engine side (<c>FlashSale:Phone</c>), validated at start.</summary>
public sealed class PhoneChannelOptions
{
    public const string Section = "FlashSale:Phone";

    /// <summary>
    /// How long a USSD step waits for a hold or a checkout before it answers "we will send you an
    /// SMS" and lets the work finish on its own. Gateways drop a session after 10-20 s; a person
    /// should not stare at a spinner for more than a second or two.
    /// </summary>
    public TimeSpan ActionBudget { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A USSD session's longest life; the gateways' own is about three minutes.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a silo's copy of the USSD lot lists is served before the lots are read again
    /// (a lot added or removed, and a lot opening or closing by the clock, are seen at once
    /// regardless). Zero reads the lots for every list. At most 10 s: a list older than that
    /// would send too many shoppers to a lot that has sold out.
    /// </summary>
    public TimeSpan LotListFreshness { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>What the service code is called in texts ("dial *384*12# again").</summary>
    public string ServiceCode { get; set; } = "*384*12#";

    /// <summary>
    /// The methods a phone may pay by, per currency, the market's default first (the method of
    /// an SMS <c>BUY</c>). Only methods the market offers are shown, never an agent's method (only
    /// a registering agent could confirm its cash).
    /// </summary>
    public Dictionary<string, List<string>> Methods { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["CNY"] = ["cash-on-delivery", "bank-transfer"],
        ["KES"] = ["mobile-money", "cash-on-delivery"],
    };

    internal bool IsValid(out string failure)
    {
        failure = ActionBudget < TimeSpan.Zero || ActionBudget > TimeSpan.FromSeconds(10)
            ? $"{Section}:ActionBudget must be 0 to 10 seconds (gateways drop a session after 10-20 s)."
            : SessionLifetime < TimeSpan.FromSeconds(30) || SessionLifetime > TimeSpan.FromHours(1)
                ? $"{Section}:SessionLifetime must be 30 seconds to 1 hour."
                : LotListFreshness < TimeSpan.Zero || LotListFreshness > TimeSpan.FromSeconds(10)
                    ? $"{Section}:LotListFreshness must be 0 to 10 seconds."
                : Methods.Values.Any(m => m.Count == 0)
                    ? $"{Section}:Methods has a currency with no method."
                    : "";
        return failure.Length == 0;
    }
}
