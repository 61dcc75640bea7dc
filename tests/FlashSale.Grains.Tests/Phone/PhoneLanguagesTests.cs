using System.Globalization;
using FlashSale.Phone;

namespace FlashSale.Tests.Phone;

/// <summary>
/// The phone channel's languages by market: China reads Chinese and switches to English, Kenya
/// reads Swahili and switches to English, any other number reads English and switches to Chinese;
/// the switch is written in the language it switches to.
/// </summary>
public sealed class PhoneLanguagesTests
{
    [Theory]
    [InlineData("+8613800138000", "zh-CN", "en", "English")]
    [InlineData("+254712345678", "sw", "en", "English")]
    [InlineData("+2348031234567", "en", "zh-CN", "中文")]
    [InlineData("+447700900123", "en", "zh-CN", "中文")]
    [InlineData("+255712345678", "en", "zh-CN", "中文")] // Tanzania: not Kenya's market
    public void A_number_starts_in_its_markets_language_and_9_offers_the_other(string phone, string first, string second, string offered)
    {
        var start = PhoneChannel.CultureOf(phone);
        Assert.Equal(first, start.Name);
        Assert.Equal((first, second), (PhoneChannel.LanguagesOf(phone).First.Name, PhoneChannel.LanguagesOf(phone).Second.Name));

        var switched = PhoneChannel.SwitchedLanguage(phone, start);
        Assert.Equal(second, switched.Name);
        Assert.Equal(offered, PhoneChannel.SwitchTo(switched));
        Assert.Equal(first, PhoneChannel.SwitchedLanguage(phone, switched).Name); // and back
    }

    [Fact]
    public void The_switch_to_swahili_is_written_in_swahili() =>
        Assert.Equal("Kiswahili", PhoneChannel.SwitchTo(CultureInfo.GetCultureInfo("sw")));
}
