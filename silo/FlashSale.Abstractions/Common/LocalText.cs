using System.Globalization;

namespace FlashSale.Common;

/// <summary>
/// The languages the server speaks. English is the default and the text every client has always
/// seen; Simplified Chinese (<c>zh-CN</c>) is for the bilingual web client's shoppers.
/// </summary>
public static class TextLanguages
{
    public const string English = "en";
    public const string ChineseSimplified = "zh-CN";

    /// <summary>True when <paramref name="culture"/> is the one the server renders Chinese for.</summary>
    public static bool IsChineseSimplified(CultureInfo culture) =>
        string.Equals(culture.Name, ChineseSimplified, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// One server text in every language the server speaks. A template's placeholders are
/// <see cref="string.Format(IFormatProvider, string, object[])"/> holes, filled the same way in
/// each language; an argument that is itself a <see cref="LocalText"/> is filled in the matching
/// language. Numbers are written invariantly, so the English text is the same as ever.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LocalText([property: Id(0)] string En, [property: Id(1)] string ZhCn)
{
    /// <summary>The text in <paramref name="culture"/>'s language, English for any other.</summary>
    public string In(CultureInfo culture) => TextLanguages.IsChineseSimplified(culture) ? ZhCn : En;

    /// <summary>The text in the language of the request being answered (the current UI culture).</summary>
    public string ForReader() => In(CultureInfo.CurrentUICulture);

    /// <summary>This template with its holes filled, in each language.</summary>
    public LocalText Format(params object?[] args) => new(
        string.Format(CultureInfo.InvariantCulture, En, args.Select(a => a is LocalText t ? t.En : a).ToArray()),
        string.Format(CultureInfo.InvariantCulture, ZhCn, args.Select(a => a is LocalText t ? t.ZhCn : a).ToArray()));
}
