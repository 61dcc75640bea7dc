using System.Text.RegularExpressions;
using FlashSale.Accounts;
using FlashSale.Tests.Infrastructure;

namespace FlashSale.Tests.Accounts;

/// <summary>One-time codes: life, tries, the hourly limit and one account per number, on the engine's fake clock.</summary>
[Collection(EngineCluster.Name)]
public sealed partial class PhoneNumberGrainTests(EngineClusterFixture cluster)
{
    private static long _next = Random.Shared.NextInt64(10_000_000, 90_000_000);

    private IGrainFactory Grains => cluster.Grains;

    private static string NewPhone() => $"+86135{Interlocked.Increment(ref _next):D8}";

    private async Task<string> LastCode(string phone) =>
        SixDigits().Match((await Grains.GetGrain<ISandboxSmsOutboxGrain>(phone).List())[^1].Text).Value;

    [Fact]
    public async Task A_code_is_six_digits_sent_by_sms_valid_five_minutes_and_never_stored_in_clear()
    {
        var phone = NewPhone();
        var number = Grains.GetGrain<IPhoneNumberGrain>(phone);
        var sent = await number.RequestCode();
        Assert.Equal(cluster.Clock.GetUtcNow() + AccountRules.CodeLifetime, sent.ExpiresAt);
        var code = await LastCode(phone);
        Assert.Matches("^[0-9]{6}$", code);

        cluster.Clock.Advance(AccountRules.CodeLifetime - TimeSpan.FromSeconds(1));
        var accountId = await number.VerifyCode(code);
        Assert.True(AccountIds.IsAccountId(accountId));
        Assert.Equal((await Grains.GetGrain<IAccountGrain>(accountId!).Get())!.Phone, phone);
    }

    /// <summary>The code's text is in the number's two languages, its market's first.</summary>
    [Theory]
    [InlineData("+2547", "Nambari ya siri ya FlashSale: ", " / FlashSale code: ")]
    [InlineData("+86135", "FlashSale 验证码：", " / FlashSale code: ")]
    [InlineData("+23480", "FlashSale code: ", " / FlashSale 验证码：")]
    public async Task The_code_is_texted_in_the_numbers_languages_its_markets_first(string prefix, string opens, string then)
    {
        var phone = $"{prefix}{Interlocked.Increment(ref _next) % 100_000_000:D8}";

        await Grains.GetGrain<IPhoneNumberGrain>(phone).RequestCode();

        var text = (await Grains.GetGrain<ISandboxSmsOutboxGrain>(phone).List())[^1].Text;
        var code = await LastCode(phone);
        Assert.StartsWith(opens + code, text, StringComparison.Ordinal);
        Assert.Contains(then, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task At_five_minutes_the_code_is_dead()
    {
        var phone = NewPhone();
        var number = Grains.GetGrain<IPhoneNumberGrain>(phone);
        await number.RequestCode();
        cluster.Clock.Advance(AccountRules.CodeLifetime);
        Assert.Null(await number.VerifyCode(await LastCode(phone)));
    }

    [Fact]
    public async Task The_fifth_wrong_try_kills_the_code_and_a_new_code_replaces_the_old()
    {
        var phone = NewPhone();
        var number = Grains.GetGrain<IPhoneNumberGrain>(phone);
        await number.RequestCode();
        var first = await LastCode(phone);
        await number.RequestCode();
        var second = await LastCode(phone);
        if (first != second)
        {
            Assert.Null(await number.VerifyCode(first)); // only the newest code is live
        }

        var wrong = second == "123456" ? "654321" : "123456";
        for (var i = 0; i < AccountRules.MaxWrongTries - (first != second ? 1 : 0); i++)
        {
            Assert.Null(await number.VerifyCode(wrong));
        }

        Assert.Null(await number.VerifyCode(second));
        Assert.Null(await number.AccountId());
    }

    [Fact]
    public async Task Five_codes_an_hour_then_the_next_is_refused_until_the_first_is_an_hour_old()
    {
        var phone = NewPhone();
        var number = Grains.GetGrain<IPhoneNumberGrain>(phone);
        var firstAt = cluster.Clock.GetUtcNow();
        for (var i = 0; i < AccountRules.MaxCodesPerWindow; i++)
        {
            Assert.True((await number.RequestCode()).Sent);
            cluster.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        var refused = await number.RequestCode();
        Assert.False(refused.Sent);
        Assert.Equal(firstAt + AccountRules.CodeWindow, refused.RetryAt);
        Assert.Equal(AccountRules.MaxCodesPerWindow, (await Grains.GetGrain<ISandboxSmsOutboxGrain>(phone).List()).Count);

        cluster.Clock.Advance(firstAt + AccountRules.CodeWindow - cluster.Clock.GetUtcNow());
        Assert.True((await number.RequestCode()).Sent);
        Assert.False((await number.RequestCode()).Sent); // the second code is still inside its hour
    }

    [Fact]
    public async Task Concurrent_tries_of_the_right_code_sign_in_once_and_one_number_is_one_account()
    {
        var phone = NewPhone();
        var number = Grains.GetGrain<IPhoneNumberGrain>(phone);
        await number.RequestCode();
        var code = await LastCode(phone);
        var tries = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => number.VerifyCode(code)));
        Assert.Single(tries, t => t is not null);

        await number.RequestCode();
        Assert.Equal(tries.Single(t => t is not null), await number.VerifyCode(await LastCode(phone)));
    }

    [Fact]
    public async Task Concurrent_wrong_tries_kill_the_code_after_exactly_five()
    {
        var phone = NewPhone();
        var number = Grains.GetGrain<IPhoneNumberGrain>(phone);
        await number.RequestCode();
        var code = await LastCode(phone);
        var wrong = code == "111111" ? "222222" : "111111";
        await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => number.VerifyCode(wrong)));
        Assert.Null(await number.VerifyCode(code));
    }

    [Theory]
    [InlineData("+86 138 0013 8000", "+8613800138000")]
    [InlineData("+86-138-0013-8000", "+8613800138000")]
    [InlineData("+254712345678", "+254712345678")]
    [InlineData("13800138000", null)]
    [InlineData("+8613800", null)]
    [InlineData("+86 1380013800O", null)]
    [InlineData("+86\u200b13800138000", null)]
    [InlineData("+861010000000", null)] // a Beijing landline cannot receive a code
    [InlineData("", null)]
    public void Numbers_normalize_to_E164_and_anything_else_is_refused(string input, string? expected) =>
        Assert.Equal(expected, E164.Normalize(input));

    [GeneratedRegex(@"\d{6}")]
    private static partial Regex SixDigits();
}
