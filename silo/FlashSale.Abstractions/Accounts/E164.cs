using PhoneNumbers;

namespace FlashSale.Accounts;

/// <summary>
/// Phone numbers as the engine keys them: E.164 (<c>+8613800138000</c>). Input must carry its
/// country code (the contract asks for E.164), may carry the spaces and dashes people type, and
/// must be a valid number that can receive an SMS in its own region's numbering plan, as Google's
/// libphonenumber knows it. Two spellings of one number normalize to one key, so one person has
/// one account.
/// </summary>
public static class E164
{
    /// <summary>Longest input read at all: E.164 has at most 15 digits, and people add a few spaces.</summary>
    public const int MaxInputLength = 32;

    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>The number in E.164 form, or null when <paramref name="input"/> is not a mobile number with its country code.</summary>
    public static string? Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > MaxInputLength || !input.TrimStart().StartsWith('+'))
        {
            return null;
        }

        foreach (var c in input)
        {
            if (!(char.IsAsciiDigit(c) || c is '+' or ' ' or '-'))
            {
                return null; // letters (vanity numbers), invisible and control characters are not a phone number
            }
        }

        PhoneNumber parsed;
        try
        {
            parsed = Util.Parse(input, null);
        }
        catch (NumberParseException)
        {
            return null;
        }

        if (!Util.IsValidNumber(parsed) || Util.GetNumberType(parsed) is not (PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE))
        {
            return null;
        }

        return Util.Format(parsed, PhoneNumberFormat.E164);
    }

    /// <summary>The ISO 3166 region of a normalized number (<c>CN</c>), for per-market rules.</summary>
    public static string? RegionOf(string e164) =>
        Normalize(e164) is null ? null : Util.GetRegionCodeForNumber(Util.Parse(e164, null));
}
