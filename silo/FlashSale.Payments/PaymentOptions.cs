namespace FlashSale.Payments;

/// <summary>
/// Markets and the methods each offers. A market is a currency; nothing in the engine is wired
/// to one country, and a deployment adds markets in configuration (<c>FlashSale:Payments</c>).
/// </summary>
public sealed class PaymentOptions
{
    public const string Section = "FlashSale:Payments";

    /// <summary>Methods by ISO 4217 currency.</summary>
    public Dictionary<string, List<PaymentMethodOptions>> Markets { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    public static PaymentOptions CreateDefault() => new()
    {
        Markets = new(StringComparer.OrdinalIgnoreCase)
        {
            ["CNY"] =
            [
                new() { Method = "wallet", DisplayName = "Mobile wallet", Flow = PaymentFlow.Redirect, PaymentWindow = TimeSpan.FromMinutes(15), Instructions = "Confirm the payment in your wallet app.", InstructionsZhCn = "请在钱包应用中确认付款。", InstructionsSw = "Thibitisha malipo kwenye programu ya pochi yako." },
                new() { Method = "bank-transfer", DisplayName = "Bank transfer", Flow = PaymentFlow.Offline, PaymentWindow = TimeSpan.FromHours(24), Instructions = "Transfer the total quoting the payment id as reference.", InstructionsZhCn = "请转账付清总额，并以付款编号作为附言。", InstructionsSw = "Hamisha jumla yote ukitaja nambari ya malipo kama kumbukumbu." },
                new() { Method = "cash-on-delivery", DisplayName = "Cash on delivery", Flow = PaymentFlow.OnDelivery, PaymentWindow = TimeSpan.FromDays(7), Instructions = "Pay the courier in cash when the produce arrives.", InstructionsZhCn = "农产品送达时，请以现金付给快递员。", InstructionsSw = "Mlipe msafirishaji pesa taslimu mazao yakifika." },
                new() { Method = "village-agent", DisplayName = "Village agent", Flow = PaymentFlow.Agent, PaymentWindow = TimeSpan.FromHours(48), Instructions = "Pay your village agent in cash; the agent confirms it.", InstructionsZhCn = "请以现金付给您的村代理，由代理确认收款。", InstructionsSw = "Mlipe wakala wa kijiji chako pesa taslimu; wakala atathibitisha." },
            ],
            ["KES"] =
            [
                new() { Method = "mobile-money", DisplayName = "Mobile money", Flow = PaymentFlow.Redirect, PaymentWindow = TimeSpan.FromMinutes(15), Instructions = "Approve the payment prompt on your phone.", InstructionsZhCn = "请在手机上确认付款提示。", InstructionsSw = "Thibitisha ombi la malipo kwenye simu yako." },
                new() { Method = "cash-on-delivery", DisplayName = "Cash on delivery", Flow = PaymentFlow.OnDelivery, PaymentWindow = TimeSpan.FromDays(7), Instructions = "Pay the rider in cash when the produce arrives.", InstructionsZhCn = "农产品送达时，请以现金付给骑手。", InstructionsSw = "Mlipe mpeleka-mzigo pesa taslimu mazao yakifika." },
            ],
        },
    };

    public IReadOnlyList<PaymentMethodInfo> MethodsFor(string currency) =>
        Markets.TryGetValue(currency, out var methods)
            ? methods.Select(m => new PaymentMethodInfo(m.Method, m.DisplayName, m.Flow)).ToList()
            : [];

    /// <summary>True when some market offers <paramref name="method"/> with this flow.</summary>
    public bool HasFlow(string method, PaymentFlow flow) =>
        Markets.Values.Any(methods => methods.Any(m => string.Equals(m.Method, method, StringComparison.Ordinal) && m.Flow == flow));

    public PaymentMethodOptions? Find(string currency, string method) =>
        Markets.TryGetValue(currency, out var methods)
            ? methods.FirstOrDefault(m => string.Equals(m.Method, method, StringComparison.Ordinal))
            : null;
}

public sealed class PaymentMethodOptions
{
    public string Method { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public PaymentFlow Flow { get; set; }

    /// <summary>How long the order keeps its stock while the shopper pays (the payment deadline).</summary>
    public TimeSpan PaymentWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The market's own words to the shopper, in English, before the payment's particulars.</summary>
    public string? Instructions { get; set; }

    /// <summary>The same words in Simplified Chinese; without them a Chinese reader gets the English words and Chinese particulars.</summary>
    public string? InstructionsZhCn { get; set; }

    /// <summary>
    /// The same words in Swahili, for the phone channel's Kenyan numbers; without them such a
    /// number reads the English words and Swahili particulars.
    /// </summary>
    public string? InstructionsSw { get; set; }
}
