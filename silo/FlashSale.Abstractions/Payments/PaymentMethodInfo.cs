namespace FlashSale.Payments;

/// <summary>How a shopper completes a payment with a method; serialized in kebab case.</summary>
public enum PaymentFlow
{
    /// <summary>The shopper is sent to a wallet; the gateway confirms asynchronously.</summary>
    Redirect,
    /// <summary>The shopper pays outside the app (a bank transfer) before a long deadline.</summary>
    Offline,
    /// <summary>The order is confirmed at once and paid on delivery.</summary>
    OnDelivery,
    /// <summary>A village agent collects cash and confirms it.</summary>
    Agent,
}

/// <summary>One payment method offered in a market, as <c>GET /api/payment-methods</c> lists it.</summary>
[GenerateSerializer, Immutable]
public sealed record PaymentMethodInfo(
    [property: Id(0)] string Method,
    [property: Id(1)] string DisplayName,
    [property: Id(2)] PaymentFlow Flow);
