using System.Text.Json;
using FlashSale.Common;

namespace FlashSale.Payments;

/// <summary>
/// Reads the contract's notification body <c>{eventId, paymentId, type, amountMinor, currency}</c>.
/// Only called on a body whose signature was verified; what is not a notification is refused
/// with a reason, never with an exception. Fields a gateway adds are ignored.
/// </summary>
public static class PaymentNotificationJson
{
    public const int MaxIdLength = 200;

    /// <summary>Keeps an amount far inside a 64-bit total, as lot prices are.</summary>
    public const long MaxAmountMinor = 1_000_000_000_000_000;

    public static PaymentNotification Read(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException)
        {
            return Malformed("The body is not JSON.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Malformed("The body is not a JSON object.");
            }

            if (Text(root, "eventId") is not { } eventId)
            {
                return Malformed($"eventId must be a string of 1 to {MaxIdLength} visible characters.");
            }

            if (Text(root, "paymentId") is not { } paymentId)
            {
                return Malformed($"paymentId must be a string of 1 to {MaxIdLength} visible characters.");
            }

            if (!root.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String
                || PaymentEvent.ParseType(typeElement.GetString()) is not { } type)
            {
                return Malformed("type must be payment.succeeded or payment.failed.");
            }

            if (!root.TryGetProperty("amountMinor", out var amountElement) || amountElement.ValueKind != JsonValueKind.Number
                || !amountElement.TryGetInt64(out var amountMinor) || amountMinor is < 0 or > MaxAmountMinor)
            {
                return Malformed($"amountMinor must be a whole number from 0 to {MaxAmountMinor}.");
            }

            if (!root.TryGetProperty("currency", out var currencyElement) || currencyElement.ValueKind != JsonValueKind.String
                || currencyElement.GetString() is not { } currency || !Iso4217.IsCurrency(currency))
            {
                return Malformed("currency must be an ISO 4217 code such as CNY.");
            }

            return PaymentNotification.Verified(new PaymentEvent(eventId, paymentId, type, amountMinor, currency));
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.String
        && element.GetString() is { Length: > 0 and <= MaxIdLength } value && !value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))
            ? value
            : null;

    private static PaymentNotification Malformed(string detail) => PaymentNotification.Rejected(NotificationRejection.Malformed, detail);
}
