using System.Globalization;

namespace FlashSale.Common;

/// <summary>
/// The languages the server speaks. English is the default and the text every client has always
/// seen; Simplified Chinese (<c>zh-CN</c>) is for the bilingual web client's shoppers. Swahili
/// (<c>sw</c>) is spoken only by the phone channel, to Kenyan numbers: the web never asks for it,
/// and a text with no Swahili reads in English.
/// </summary>
public static class TextLanguages
{
    public const string English = "en";
    public const string ChineseSimplified = "zh-CN";
    public const string Swahili = "sw";

    /// <summary>True when <paramref name="culture"/> is the one the server renders Chinese for.</summary>
    public static bool IsChineseSimplified(CultureInfo culture) =>
        string.Equals(culture.Name, ChineseSimplified, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The culture the server renders for a stored language tag (an SMS recipient's, say): Simplified
    /// Chinese, Swahili (<c>sw</c>, or a regional one such as <c>sw-KE</c>), or English for any other.
    /// </summary>
    public static CultureInfo CultureFor(string? language) => CultureInfo.GetCultureInfo(
        string.Equals(language, ChineseSimplified, StringComparison.OrdinalIgnoreCase) ? ChineseSimplified
        : language is not null && (string.Equals(language, Swahili, StringComparison.OrdinalIgnoreCase) || language.StartsWith(Swahili + "-", StringComparison.OrdinalIgnoreCase)) ? Swahili
        : English);

    /// <summary>True when <paramref name="culture"/> is Swahili (<c>sw</c>, or a regional one such as <c>sw-KE</c>).</summary>
    public static bool IsSwahili(CultureInfo culture) =>
        string.Equals(culture.Name, Swahili, StringComparison.OrdinalIgnoreCase)
        || culture.Name.StartsWith(Swahili + "-", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// One server text in every language the server speaks. A template's placeholders are
/// <see cref="string.Format(IFormatProvider, string, object[])"/> holes, filled the same way in
/// each language; an argument that is itself a <see cref="LocalText"/> is filled in the matching
/// language. Numbers are written invariantly, so the English text is the same as ever.
/// <see cref="Sw"/> is optional: only the phone channel's texts have Swahili, and a text without
/// it reads in English to a Swahili reader.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LocalText([property: Id(0)] string En, [property: Id(1)] string ZhCn, [property: Id(2)] string? Sw = null)
{
    /// <summary>The text in <paramref name="culture"/>'s language, English for any other (and for Swahili when it has none).</summary>
    public string In(CultureInfo culture) =>
        TextLanguages.IsChineseSimplified(culture) ? ZhCn
        : TextLanguages.IsSwahili(culture) ? SwOrEn
        : En;

    /// <summary>The Swahili text, or the English one when there is none.</summary>
    public string SwOrEn => Sw ?? En;

    /// <summary>The text in the language of the request being answered (the current UI culture).</summary>
    public string ForReader() => In(CultureInfo.CurrentUICulture);

    /// <summary>
    /// This template with its holes filled, in each language. A template with no Swahili gives a
    /// text with none (it reads in English, English arguments and all); a Swahili template takes
    /// each <see cref="LocalText"/> argument's Swahili, or its English when it has none.
    /// </summary>
    public LocalText Format(params object?[] args) => new(
        string.Format(CultureInfo.InvariantCulture, En, args.Select(a => a is LocalText t ? t.En : a).ToArray()),
        string.Format(CultureInfo.InvariantCulture, ZhCn, args.Select(a => a is LocalText t ? t.ZhCn : a).ToArray()),
        Sw is null ? null : string.Format(CultureInfo.InvariantCulture, Sw, args.Select(a => a is LocalText t ? t.SwOrEn : a).ToArray()));
}
