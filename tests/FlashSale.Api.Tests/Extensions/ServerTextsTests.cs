using System.Reflection;
using System.Text.RegularExpressions;
using FlashSale.Api.Extensions;
using FlashSale.Common;
using FlashSale.Payments;

namespace FlashSale.Api.Tests.Extensions;

/// <summary>Every server text has its Simplified Chinese twin, and the languages a request may ask for map as documented.</summary>
public sealed partial class ServerTextsTests
{
    public static TheoryData<string> Catalog()
    {
        var names = new TheoryData<string>();
        foreach (var (name, _) in Texts())
        {
            names.Add(name);
        }

        return names;
    }

    [Fact]
    public void The_catalogs_are_not_empty() => Assert.True(Texts().Count() > 80, $"only {Texts().Count()} texts found");

    [Theory]
    [MemberData(nameof(Catalog))]
    public void Every_text_has_a_chinese_twin_with_the_same_holes(string name)
    {
        var text = Texts().Single(t => t.Name == name).Text;

        Assert.False(string.IsNullOrWhiteSpace(text.En), $"{name} has no English");
        Assert.False(string.IsNullOrWhiteSpace(text.ZhCn), $"{name} has no Chinese");
        Assert.True(Han().IsMatch(text.ZhCn), $"{name}'s Chinese is not Chinese: {text.ZhCn}");
        Assert.Equal(Holes(text.En), Holes(text.ZhCn));
    }

    [Fact]
    public void Every_default_market_instruction_has_a_chinese_twin()
    {
        var methods = PaymentOptions.CreateDefault().Markets.Values.SelectMany(m => m).ToList();

        Assert.NotEmpty(methods);
        Assert.All(methods, m => Assert.True(m.InstructionsZhCn is { } zh && Han().IsMatch(zh), $"{m.Method} has no Chinese instructions"));
    }

    [Theory]
    [InlineData("zh-CN", "zh-CN")]
    [InlineData("zh", "zh-CN")]
    [InlineData("zh-Hans", "zh-CN")]
    [InlineData("zh-Hans-CN", "zh-CN")]
    [InlineData("ZH-cn", "zh-CN")]
    [InlineData("zh-SG", "zh-CN")]
    [InlineData("en", "en")]
    [InlineData("en-US", "en")]
    [InlineData("en-GB", "en")]
    [InlineData("fr", null)]
    [InlineData("fr-FR", null)]
    [InlineData("zh-TW", null)]
    [InlineData("zh-Hant", null)]
    [InlineData("zh-Hant-HK", null)]
    [InlineData("*", null)]
    public void Language_tags_map_to_the_languages_the_server_speaks(string tag, string? expected) =>
        Assert.Equal(expected, RequestLanguages.ServerLanguageFor(tag));

    [Fact]
    public void A_template_fills_each_language_with_the_matching_words()
    {
        var filled = EngineTexts.NotFound.Format(EngineTexts.TheLot);

        Assert.Equal(new LocalText("The lot was not found.", "未找到该批次。", "Hatukupata bidhaa hiyo."), filled);
    }

    public static TheoryData<string> PhoneCatalog()
    {
        var names = new TheoryData<string>();
        foreach (var (name, _) in Texts().Where(t => t.Name.StartsWith(nameof(FlashSale.Phone.PhoneTexts) + ".", StringComparison.Ordinal)))
        {
            names.Add(name);
        }

        return names;
    }

    /// <summary>
    /// Every phone text has Swahili (for +254), and fits a USSD screen as a whole <c>END</c>
    /// answer (160 characters, "END " included) with its holes filled by values as long as a
    /// phone shows (a time such as <c>12-31 23:59 UTC</c>, an amount such as <c>99,999.00 KES</c>):
    /// so no Swahili screen built from it is ever cut where the English was not.
    /// </summary>
    [Theory]
    [MemberData(nameof(PhoneCatalog))]
    public void Every_phone_text_has_swahili_that_fits_a_screen(string name)
    {
        var text = Texts().Single(t => t.Name == name).Text;

        Assert.False(string.IsNullOrWhiteSpace(text.Sw), $"{name} has no Swahili");
        Assert.False(Han().IsMatch(text.Sw!), $"{name}'s Swahili is Chinese: {text.Sw}");
        var filled = Filled(text.Sw!);
        Assert.True("END ".Length + filled.Length <= FlashSale.Phone.PhoneChannel.MaxScreenLength, $"{name}: {"END ".Length + filled.Length} characters: {filled}");
    }

    /// <summary>A text that has Swahili (the phone's, and the engine's refusals a phone shows) takes the same holes as its English.</summary>
    [Theory]
    [MemberData(nameof(Catalog))]
    public void A_swahili_twin_has_the_same_holes(string name)
    {
        var text = Texts().Single(t => t.Name == name).Text;

        if (text.Sw is { } sw)
        {
            Assert.False(string.IsNullOrWhiteSpace(sw), $"{name} has an empty Swahili");
            Assert.Equal(Holes(text.En), Holes(sw));
        }
    }

    /// <summary>Every market's, not only KES's: a Kenyan phone may buy a lot priced in yuan, and its SMS must not switch language mid-sentence.</summary>
    [Fact]
    public void Every_default_market_instruction_has_swahili()
    {
        var methods = PaymentOptions.CreateDefault().Markets.Values.SelectMany(m => m).ToList();

        Assert.All(methods, m => Assert.False(string.IsNullOrWhiteSpace(m.InstructionsSw), $"{m.Method} has no Swahili instructions"));
    }

    private static string Filled(string template) => Hole().Replace(template, "99,999.00 KES__");

    private static IEnumerable<(string Name, LocalText Text)> Texts() =>
        new[] { typeof(EngineTexts), typeof(ApiTexts), typeof(FlashSale.Phone.PhoneTexts) }
            .SelectMany(type => type.GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(f => f.FieldType == typeof(LocalText))
                .Select(f => ($"{type.Name}.{f.Name}", (LocalText)f.GetValue(null)!)));

    private static List<string> Holes(string template) =>
        Hole().Matches(template).Select(m => m.Value).Order(StringComparer.Ordinal).ToList();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Hole();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Han();
}
