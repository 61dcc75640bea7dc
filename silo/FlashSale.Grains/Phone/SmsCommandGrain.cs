using System.Globalization;
using System.Text;
using FlashSale.Accounts;
using FlashSale.Common;
using FlashSale.Lots;
using FlashSale.Orders;
using FlashSale.Payments;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlashSale.Phone;

/// <summary>
/// One inbound SMS (key: the gateway's message id), handled once. Not reentrant: copies of one
/// message queue, and all but the first find it handled. The message is written as started
/// before anything is asked of the engine and with its reply once done, so a copy that comes
/// after a crash in between is told to check STATUS rather than buying again: a message acts at
/// most once. The checkout it makes carries a key made from the message id as well.
/// </summary>
internal sealed partial class SmsCommandGrain(
    [PersistentState("sms-command", StorageNames.Default)] IPersistentState<SmsCommandState> state,
    IOptions<PhoneChannelOptions> options,
    IOptions<PaymentOptions> payments,
    ISmsGateway sms,
    [Microsoft.Extensions.DependencyInjection.FromKeyedServices(FlashSaleClock.Key)] TimeProvider clock,
    ILogger<SmsCommandGrain> logger) : Grain, ISmsCommandGrain
{
    private const int MaxOrdersListed = 3;

    private PhoneShop Shop => new(GrainFactory, payments.Value, options.Value);

    private string MessageId => this.GetPrimaryKeyString();

    public async Task<SmsCommandReply> Handle(string fromE164, string text)
    {
        var s = state.State;
        if (s.From is not null)
        {
            // A duplicate: nothing again. A copy from another number is not its to read.
            var kept = string.Equals(s.From, fromE164, StringComparison.Ordinal) ? s.Reply ?? PhoneTexts.SmsUnfinished.In(PhoneChannel.CultureOf(fromE164)) : "";
            return new SmsCommandReply(kept, Duplicate: true);
        }

        s.From = fromE164;
        s.ReceivedAt = clock.GetUtcNow();
        await state.WriteStateAsync();

        // The reply is in the command's language (BUY: English, 买: Chinese, NUNUA: Swahili) from
        // any number; a text that is no command at all gets the help in the number's market's.
        var command = SmsCommand.Parse(text);
        var culture = command.Language is { } language ? TextLanguages.CultureFor(language) : PhoneChannel.CultureOf(fromE164);
        string reply;
        try
        {
            reply = await Run(command, fromE164, culture);
        }
        catch (Exception failure) when (failure is not OutOfMemoryException)
        {
            LogCommandFailed(logger, failure, MessageId);
            reply = PhoneTexts.SmsUnfinished.In(culture);
        }

        s.Reply = reply;
        await state.WriteStateAsync();
        try
        {
            await sms.SendAsync(fromE164, reply);
        }
        catch (Exception failure) when (failure is not OutOfMemoryException)
        {
            LogReplyFailed(logger, failure, MessageId); // the command's effect stands; STATUS tells it again
        }

        return new SmsCommandReply(reply, Duplicate: false);
    }

    private async Task<string> Run(SmsCommand command, string phone, CultureInfo culture)
    {
        if (command.Kind is SmsCommandKind.Help)
        {
            return PhoneTexts.SmsHelp.In(culture);
        }

        // Only a purchase binds the number to an account (made now if it has none), as on the
        // USSD menu: a number that only asks STATUS or CANCEL has no orders unless it has one.
        var shop = Shop;
        var account = command.Kind is SmsCommandKind.Buy ? await shop.AccountOf(phone) : await shop.ExistingAccountOf(phone);
        if (account is { Suspended: true })
        {
            return PhoneTexts.Suspended.In(culture);
        }

        switch (command.Kind)
        {
            case SmsCommandKind.Buy:
                if (await shop.LotByCode(command.PhoneCode) is not { } lot)
                {
                    return PhoneTexts.SmsNoSuchCode.Format(command.PhoneCode).In(culture);
                }

                // The market's default phone method; for a presale the first one paid before
                // delivery, since its deposit is paid before the harvest.
                var methods = lot.Presale is null ? shop.MethodsFor(lot.Currency) : shop.PaidBeforeDelivery(lot.Currency, shop.MethodsFor(lot.Currency));
                if (methods is not [var method, ..])
                {
                    return PhoneTexts.SmsRefused.Format(EngineTexts.NotAPaymentMethod.Format("-", lot.Currency)).In(culture);
                }

                if (command.Quantity > lot.PerShopperLimit)
                {
                    return PhoneTexts.SmsRefused.Format(EngineTexts.AtMostPerShopper.Format(lot.PerShopperLimit, lot.Unit)).In(culture);
                }

                var buyer = account ?? throw new InvalidOperationException("A purchase binds the number to its account first.");
                var held = await shop.Hold(buyer.ShopperId, lot, command.Quantity, new AdmissionSmsRecipient(phone, culture.Name, options.Value.ServiceCode, lot.PhoneCode));
                switch (held)
                {
                    case PhoneHold.Refused refused:
                        return PhoneTexts.SmsRefused.Format(refused.Refusal.DetailIn(culture)).In(culture);
                    case PhoneHold.Queued queued:
                        return (queued.Ticket is { Position: { } position, AdmitsAt: { } at }
                            ? PhoneTexts.Queued.Format(lot.PhoneCode, position, PhoneShop.When(at))
                            : PhoneTexts.QueuedAwaitingDraw.Format(lot.PhoneCode, PhoneShop.When(lot.StartsAt))).In(culture);
                }

                var placed = await shop.Checkout(buyer.ShopperId, "sms-" + PhoneChannel.KeyPart(MessageId), method);
                return placed.Succeeded
                    ? await shop.OrderMessage(placed.Value, culture)
                    : PhoneTexts.SmsRefused.Format(placed.Refusal.DetailIn(culture)).In(culture);

            case SmsCommandKind.Status:
                var open = (account is null ? [] : await shop.Orders(account.ShopperId))
                    .Where(o => o.Status is OrderStatus.AwaitingPayment or OrderStatus.ConfirmedCod or OrderStatus.Paid)
                    .Take(MaxOrdersListed).ToList();
                if (open.Count == 0)
                {
                    return PhoneTexts.SmsNoOpenOrders.In(culture);
                }

                var messages = await Task.WhenAll(open.Select(o => shop.OrderMessage(o, culture)));
                return string.Join(" | ", messages);

            case SmsCommandKind.Cancel:
                var orders = account is null ? [] : await shop.Orders(account.ShopperId);
                var matches = orders.Where(o => string.Equals(PhoneChannel.ReferenceOf(o.OrderId), command.Reference, StringComparison.Ordinal)).ToList();
                if (matches is not [var order])
                {
                    return PhoneTexts.SmsNoSuchOrder.Format(command.Reference).In(culture);
                }

                var cancelled = await shop.Cancel(account!.ShopperId, order.OrderId);
                return cancelled.Succeeded
                    ? PhoneTexts.Cancelled.Format(command.Reference).In(culture)
                    : PhoneTexts.SmsRefused.Format(cancelled.Refusal.DetailIn(culture)).In(culture);

            default:
                return PhoneTexts.SmsHelp.In(culture);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMS command {MessageId} failed; the sender is told to check STATUS")]
    private static partial void LogCommandFailed(ILogger logger, Exception failure, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The reply to SMS {MessageId} could not be sent")]
    private static partial void LogReplyFailed(ILogger logger, Exception failure, string messageId);
}

[GenerateSerializer]
public sealed class SmsCommandState
{
    /// <summary>The sender; set when the message is first taken, before anything is done.</summary>
    [Id(0)]
    public string? From { get; set; }

    [Id(1)]
    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>The reply, once the command has run; null while it runs or if the process died while it ran.</summary>
    [Id(2)]
    public string? Reply { get; set; }
}

internal enum SmsCommandKind
{
    Help,
    Buy,
    Status,
    Cancel,
}

/// <summary>
/// An SMS command, read as people type them: any case, extra spaces, full-width digits and
/// spaces from a Chinese keypad, the Chinese verb written against its number (<c>买101 2</c>).
/// The verbs are English (BUY, STATUS, CANCEL), Chinese (买, 状态, 取消) or Swahili (NUNUA,
/// HALI, GHAIRI); <see cref="Language"/> is the verb's (null for a text with no verb), and the
/// reply is written in it. Anything that is not exactly one command is <see cref="SmsCommandKind.Help"/>.
/// </summary>
internal sealed record SmsCommand(SmsCommandKind Kind, int PhoneCode = 0, int Quantity = 0, string Reference = "", string? Language = null)
{
    private const int MaxNumberDigits = 6;

    public static SmsCommand Parse(string text)
    {
        var normalized = Normalize(text);
        var (verb, rest) = SplitVerb(normalized);
        var words = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var (kind, language) = verb switch
        {
            "BUY" => (SmsCommandKind.Buy, TextLanguages.English),
            "买" or "購" or "购买" => (SmsCommandKind.Buy, TextLanguages.ChineseSimplified),
            "NUNUA" => (SmsCommandKind.Buy, TextLanguages.Swahili),
            "STATUS" => (SmsCommandKind.Status, TextLanguages.English),
            "状态" => (SmsCommandKind.Status, TextLanguages.ChineseSimplified),
            "HALI" => (SmsCommandKind.Status, TextLanguages.Swahili),
            "CANCEL" => (SmsCommandKind.Cancel, TextLanguages.English),
            "取消" => (SmsCommandKind.Cancel, TextLanguages.ChineseSimplified),
            "GHAIRI" => (SmsCommandKind.Cancel, TextLanguages.Swahili),
            _ => (SmsCommandKind.Help, (string?)null),
        };
        return kind switch
        {
            SmsCommandKind.Buy when words is [var code, var quantity] && Number(code) is { } c && Number(quantity) is { } q && q >= 1 =>
                new SmsCommand(kind, c, q, Language: language),
            SmsCommandKind.Status when words.Length == 0 => new SmsCommand(kind, Language: language),
            SmsCommandKind.Cancel when words is [var reference] && reference.Length == 6 && reference.All(char.IsAsciiLetterOrDigit) =>
                new SmsCommand(kind, Reference: reference, Language: language),
            _ => new SmsCommand(SmsCommandKind.Help, Language: language),
        };
    }

    private static (string Verb, string Arguments) SplitVerb(string text)
    {
        foreach (var chineseVerb in new[] { "购买", "买", "購", "状态", "取消" })
        {
            if (text.StartsWith(chineseVerb, StringComparison.Ordinal))
            {
                return (chineseVerb, text[chineseVerb.Length..]);
            }
        }

        var space = text.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? (text, "") : (text[..space], text[(space + 1)..]);
    }

    private static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                >= '０' and <= '９' => (char)('0' + (c - '０')), // full-width digits
                >= 'ａ' and <= 'ｚ' => (char)('A' + (c - 'ａ')),
                >= 'Ａ' and <= 'Ｚ' => (char)('A' + (c - 'Ａ')),
                _ when char.IsWhiteSpace(c) || c == '\u3000' => ' ',
                _ => char.ToUpperInvariant(c),
            });
        }

        return builder.ToString().Trim();
    }

    private static int? Number(string word) =>
        word.Length is > 0 and <= MaxNumberDigits && word.All(char.IsAsciiDigit) ? int.Parse(word, NumberStyles.None, CultureInfo.InvariantCulture) : null;
}
