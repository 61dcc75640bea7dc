using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FlashSale.Phone;

/// <summary>One USSD callback as the engine takes it: the caller's number (E.164), the code dialled and every input so far.</summary>
[GenerateSerializer, Immutable]
public sealed record UssdStep(
    [property: Id(0)] string Phone,
    [property: Id(1)] string ServiceCode,
    [property: Id(2)] string Text);

/// <summary>What the handset shows: a screen that waits for an input (<c>CON</c>) or the last one (<c>END</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record UssdScreen([property: Id(0)] bool Ends, [property: Id(1)] string Text)
{
    /// <summary>The callback's answer, as the gateways read it.</summary>
    public string Body => (Ends ? "END " : "CON ") + Text;
}

/// <summary>
/// One USSD session (key <see cref="PhoneChannel.SessionKey"/>: the number and the gateway's
/// session id, so no other number can step into a session). It keeps the menu's state in memory
/// for the session's short life and answers each step (each distinct <c>text</c>) once: a
/// repeated callback gets the first answer and acts no more.
/// </summary>
public interface IUssdSessionGrain : IGrainWithStringKey
{
    Task<UssdScreen> Step(UssdStep step);
}

/// <summary>The answer to one inbound SMS; <see cref="Duplicate"/> when the message id was handled before (nothing was done again).</summary>
[GenerateSerializer, Immutable]
public sealed record SmsCommandReply([property: Id(0)] string Text, [property: Id(1)] bool Duplicate);

/// <summary>
/// One inbound text message (key: the gateway's message id). It runs the command once, keeps the
/// reply, and sends the reply to the sender through the SMS gateway; the same message id again is
/// answered from what was kept, and does nothing.
/// </summary>
public interface ISmsCommandGrain : IGrainWithStringKey
{
    Task<SmsCommandReply> Handle(string fromE164, string text);
}

/// <summary>
/// Tells a number, by SMS, that it sent more than the phone gateway's routes take from one number
/// (the API limits; this only texts). Stateless: the API decides it is due, at most once a window.
/// </summary>
public interface ITooManyRequestsSmsGrain : IGrainWithIntegerKey
{
    Task Send(string toE164);
}

/// <summary>The phone channel's fixed limits and shared rules.</summary>
public static class PhoneChannel
{
    /// <summary>The most a USSD screen (the whole answer, <c>CON </c>/<c>END </c> included) may hold.</summary>
    public const int MaxScreenLength = 160;

    /// <summary>
    /// The longest <c>text</c> taken. A session of this menu is at most a dozen short inputs; the
    /// gateways themselves cap a USSD string at 182 characters.
    /// </summary>
    public const int MaxUssdTextLength = 182;

    /// <summary>The most inputs one session may have (a deeper walk is not a person's).</summary>
    public const int MaxInputs = 40;

    public const int MaxSessionIdLength = 64;

    public const int MaxServiceCodeLength = 32;

    public const int MaxMessageIdLength = 64;

    /// <summary>An inbound SMS of up to three concatenated parts.</summary>
    public const int MaxSmsTextLength = 480;

    public static string SessionKey(string phoneE164, string sessionId) => $"{phoneE164}/{sessionId}";

    /// <summary>The key of one admission's text: the lot and the queue position (a re-join gets a new position, so a new text).</summary>
    public static string AdmissionSmsKey(string lotId, int position) => $"{lotId}/{position.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The language a number's market reads: Simplified Chinese for China (+86), Swahili for Kenya (+254), English elsewhere.</summary>
    public static CultureInfo CultureOf(string phoneE164) => LanguagesOf(phoneE164).First;

    /// <summary>
    /// The two languages a number's menu speaks: the market's own, which a session starts in, and
    /// the other one its language switch (option 9) offers. China (+86) reads Chinese and switches
    /// to English; Kenya (+254) reads Swahili and switches to English; any other number reads
    /// English and switches to Chinese.
    /// </summary>
    public static (CultureInfo First, CultureInfo Second) LanguagesOf(string phoneE164)
    {
        if (phoneE164.StartsWith("+86", StringComparison.Ordinal))
        {
            return (Chinese, English);
        }

        return phoneE164.StartsWith("+254", StringComparison.Ordinal) ? (Swahili, English) : (English, Chinese);
    }

    /// <summary>The language option 9 switches a session of <paramref name="phoneE164"/> to from <paramref name="current"/>: the other of the number's two.</summary>
    public static CultureInfo SwitchedLanguage(string phoneE164, CultureInfo current)
    {
        var (first, second) = LanguagesOf(phoneE164);
        return string.Equals(current.Name, first.Name, StringComparison.OrdinalIgnoreCase) ? second : first;
    }

    /// <summary>The switch's words for <paramref name="target"/>, written in that language so its reader finds it.</summary>
    public static string SwitchTo(CultureInfo target) =>
        Common.TextLanguages.IsChineseSimplified(target) ? PhoneTexts.SwitchToChinese
        : Common.TextLanguages.IsSwahili(target) ? PhoneTexts.SwitchToSwahili
        : PhoneTexts.SwitchToEnglish;

    private static CultureInfo English => CultureInfo.GetCultureInfo(Common.TextLanguages.English);

    private static CultureInfo Chinese => CultureInfo.GetCultureInfo(Common.TextLanguages.ChineseSimplified);

    private static CultureInfo Swahili => CultureInfo.GetCultureInfo(Common.TextLanguages.Swahili);

    /// <summary>An order's short reference for SMS and menus: the last six characters of its id, upper case.</summary>
    public static string ReferenceOf(string orderId) => orderId[^6..].ToUpperInvariant();

    /// <summary>An id for the engine's idempotency keys that carries none of the gateway's own text.</summary>
    public static string KeyPart(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..24];

    /// <summary>
    /// Session ids and message ids are the gateway's: printable ASCII without spaces or the
    /// key separator, so they cannot bend a grain key.
    /// </summary>
    public static bool IsGatewayId(string? id, int maxLength) =>
        !string.IsNullOrEmpty(id) && id.Length <= maxLength && id.All(c => c is > ' ' and <= '~' && c != '/');
}
