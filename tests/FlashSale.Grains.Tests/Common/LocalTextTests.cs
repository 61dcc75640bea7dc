using System.Globalization;
using FlashSale.Common;
using FlashSale.Orders;
using FlashSale.Payments;

namespace FlashSale.Grains.Tests.Common;

/// <summary>
/// A text's optional Swahili: read for <c>sw</c> (and <c>sw-KE</c>), English where a text has
/// none, filled by <see cref="LocalText.Format"/> like the other languages; the English and Chinese
/// are what they always were.
/// </summary>
public sealed class LocalTextTests
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");
    private static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-CN");
    private static readonly CultureInfo Swahili = CultureInfo.GetCultureInfo("sw");
    private static readonly CultureInfo KenyanSwahili = CultureInfo.GetCultureInfo("sw-KE");

    private static readonly LocalText WithSwahili = new("Back", "返回", "Rudi");
    private static readonly LocalText EnglishAndChineseOnly = new("The lot", "该批次");

    [Fact]
    public void Each_culture_reads_its_language()
    {
        Assert.Equal("Back", WithSwahili.In(English));
        Assert.Equal("返回", WithSwahili.In(Chinese));
        Assert.Equal("Rudi", WithSwahili.In(Swahili));
        Assert.Equal("Rudi", WithSwahili.In(KenyanSwahili));
        Assert.Equal("Back", WithSwahili.In(CultureInfo.GetCultureInfo("fr")));
        Assert.Equal("Back", WithSwahili.In(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_text_without_swahili_reads_english_to_a_swahili_reader()
    {
        Assert.Null(EnglishAndChineseOnly.Sw);
        Assert.Equal("The lot", EnglishAndChineseOnly.In(Swahili));
        Assert.Equal("The lot", EnglishAndChineseOnly.In(KenyanSwahili));
        Assert.Equal("该批次", EnglishAndChineseOnly.In(Chinese));
    }

    [Fact]
    public void A_swahili_template_is_filled_with_each_arguments_swahili_or_english()
    {
        var template = new LocalText("{0} was not found ({1}, {2}).", "未找到{0}（{1}，{2}）。", "Hatukupata {0} ({1}, {2}).");

        var filled = template.Format(new LocalText("The order", "该订单", "oda hiyo"), EnglishAndChineseOnly, 7);

        Assert.Equal("The order was not found (The lot, 7).", filled.En);
        Assert.Equal("未找到该订单（该批次，7）。", filled.ZhCn);
        Assert.Equal("Hatukupata oda hiyo (The lot, 7).", filled.Sw);
        Assert.Equal("Hatukupata oda hiyo (The lot, 7).", filled.In(Swahili));
    }

    [Fact]
    public void A_template_without_swahili_fills_to_a_text_without_swahili_that_reads_english_throughout()
    {
        var filled = new LocalText("Sale {0}.", "销售{0}。").Format(WithSwahili);

        Assert.Null(filled.Sw);
        Assert.Equal("Sale Back.", filled.In(Swahili)); // not half English, half Swahili
        Assert.Equal("销售返回。", filled.In(Chinese));
    }

    [Fact]
    public void Engine_refusals_and_payment_instructions_carry_their_swahili()
    {
        var refusal = Refusal.Conflict(EngineTexts.OnlyLeft.Format(2, "kreti"));
        Assert.Equal(("Only 2 kreti left.", "仅剩 2 kreti。", "Zimebaki 2 kreti tu."), (refusal.DetailIn(English), refusal.DetailIn(Chinese), refusal.DetailIn(Swahili)));
        var english = Refusal.Conflict(new LocalText("Only in English.", "仅中文。"));
        Assert.Equal("Only in English.", english.DetailIn(KenyanSwahili));

        var payment = new OrderPayment("pay-1", "mobile-money", PaymentStatus.Pending, DateTimeOffset.UnixEpoch, "Approve.", "请确认。", InstructionsSw: "Thibitisha.");
        Assert.Equal(("Approve.", "请确认。", "Thibitisha."), (payment.InstructionsIn(English), payment.InstructionsIn(Chinese), payment.InstructionsIn(Swahili)));
        Assert.Equal("Approve.", (payment with { InstructionsSw = null }).InstructionsIn(Swahili)); // orders placed before Swahili
    }

    [Theory]
    [InlineData("sw", "sw")]
    [InlineData("sw-KE", "sw")]
    [InlineData("SW", "sw")]
    [InlineData("zh-CN", "zh-CN")]
    [InlineData("en", "en")]
    [InlineData("", "en")]
    [InlineData(null, "en")]
    [InlineData("swx", "en")]
    public void A_stored_language_tag_reads_as_a_language_the_server_speaks(string? tag, string expected) =>
        Assert.Equal(expected, TextLanguages.CultureFor(tag).Name);
}
