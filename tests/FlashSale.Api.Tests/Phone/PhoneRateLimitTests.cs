using System.Globalization;
using FlashSale.Api.Extensions;
using FlashSale.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlashSale.Api.Tests.Phone;

/// <summary>
/// The phone channel with its per-number limits on and small, in process, and on the engine's
/// fake clock (the host's limiter reads the system clock), so a test refills a window by moving
/// <see cref="FlashSaleApiFactory.Clock"/> rather than by waiting a minute.
/// </summary>
public sealed class PhoneRateLimitedApiFactory : PhoneApiFactory
{
    public const int UssdStepsPerMinute = 4;

    public const int SmsPerMinute = 2;

    protected override bool RateLimited => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("FlashSale:RateLimits:Store", "Memory");
        builder.UseSetting("FlashSale:RateLimits:PhoneUssdStepsPerNumberPerMinute", UssdStepsPerMinute.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("FlashSale:RateLimits:PhoneSmsPerNumberPerMinute", SmsPerMinute.ToString(CultureInfo.InvariantCulture));
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<SaleRateLimiter>();
            services.AddSingleton(sp => new SaleRateLimiter(
                null, sp.GetRequiredService<IOptions<RateLimitOptions>>().Value, Clock, sp.GetRequiredService<ILogger<SaleRateLimiter>>()));
        });
    }
}

[CollectionDefinition(Name)]
public sealed class PhoneRateLimitCollection : ICollectionFixture<PhoneRateLimitedApiFactory>
{
    public const string Name = "phone api, rate limited";
}

/// <summary>
/// The gateway signs for every number from one address, so each number has its own budget: one
/// number (or a script's thousand sessions from it) is told to wait, changes nothing while it
/// waits, and leaves every other number alone; a flood of texts gets one text back a minute.
/// </summary>
[Collection(PhoneRateLimitCollection.Name)]
public sealed class PhoneRateLimitTests(PhoneRateLimitedApiFactory api)
{
    private const string TooMany = "Too many requests from this number; try again in a minute.";

    [Fact]
    public async Task A_number_past_its_ussd_budget_is_told_to_wait_changes_nothing_and_is_served_after_its_minute()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 10, perShopperLimit: 3);
        var phone = new Handset(api, Handset.NewEnglishPhone());

        // Four steps spend the budget and reach "how many"; the fifth would hold 2.
        await phone.Dial();
        var live = await phone.Press("1");
        await phone.Press(Screens.ChoiceOf(live, $"#{lot.PhoneCode} "));
        Screens.AssertContinues(await phone.Press("1"), "How many");
        Assert.Equal("END " + TooMany, await phone.Press("2"));
        Assert.Empty((await phone.Cart()).Items);
        Assert.Equal(0, (await api.CreateAnonymousClient().GetLot(lot.LotId)).Reserved);

        // A script's fresh sessions from the same number fare no better; another number is served.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("END " + TooMany, await phone.Send(Handset.NewSessionId(), ""));
        }

        Screens.AssertContinues(await new Handset(api, Handset.NewEnglishPhone()).Dial(), "1 Live lots");

        // The window is the engine clock's minute: a second short of it, still refused.
        api.Clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal("END " + TooMany, await phone.Resend(phone.Text));
        api.Clock.Advance(TimeSpan.FromSeconds(1));

        // The refused step never reached the session: sent again, it is a new step, and holds.
        Screens.AssertContinues(await phone.Resend(phone.Text), "Held 2");
        Assert.Equal(2, (await api.CreateAnonymousClient().GetLot(lot.LotId)).Reserved);
    }

    [Fact]
    public void A_per_number_budget_below_one_is_refused_at_start()
    {
        var problems = new RateLimitOptions { PhoneUssdStepsPerNumberPerMinute = 0, PhoneSmsPerNumberPerMinute = -1 }.InvalidSettings();

        Assert.Equal([nameof(RateLimitOptions.PhoneUssdStepsPerNumberPerMinute), nameof(RateLimitOptions.PhoneSmsPerNumberPerMinute)], problems);
        Assert.Empty(new RateLimitOptions().InvalidSettings());
    }

    [Fact]
    public async Task A_chinese_number_past_its_budget_is_told_in_chinese()
    {
        var phone = new Handset(api, PhoneAccounts.NewPhone());
        for (var i = 0; i < PhoneRateLimitedApiFactory.UssdStepsPerMinute; i++)
        {
            Screens.AssertContinues(await phone.Dial(), "1 在售");
        }

        Assert.Equal("END 该号码请求过多，请一分钟后再试。", await phone.Dial());
    }

    [Fact]
    public async Task A_number_flooding_sms_is_told_once_a_minute_and_its_flood_does_nothing()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 10, perShopperLimit: 3);
        var phone = new Handset(api, Handset.NewEnglishPhone());
        for (var i = 0; i < PhoneRateLimitedApiFactory.SmsPerMinute; i++)
        {
            Assert.Contains("no open orders", await api.SandboxSms(phone.Phone, "STATUS"), StringComparison.Ordinal);
        }

        // Past the budget: the first message is answered, and texted, "too many"; the rest of the flood gets nothing back.
        var buy = "flood-" + Guid.NewGuid().ToString("N");
        Assert.Equal(TooMany, await api.SandboxSms(phone.Phone, $"BUY {lot.PhoneCode} 2", buy));
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("", await api.SandboxSms(phone.Phone, $"BUY {lot.PhoneCode} 1"));
        }

        Assert.Empty(await phone.Orders());
        var untouched = await api.CreateAnonymousClient().GetLot(lot.LotId);
        Assert.Equal((10, 0, 0), (untouched.Available, untouched.Reserved, untouched.Sold));
        Assert.Single(await phone.Inbox(), m => m.Text == TooMany);
        Assert.Equal(PhoneRateLimitedApiFactory.SmsPerMinute + 1, (await phone.Inbox()).Count);
        Assert.Contains("no open orders", await api.SandboxSms(Handset.NewEnglishPhone(), "STATUS"), StringComparison.Ordinal);

        // A minute on, the refused BUY delivered again is handled as new: it never reached the engine.
        api.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.StartsWith("Order ", await api.SandboxSms(phone.Phone, $"BUY {lot.PhoneCode} 2", buy), StringComparison.Ordinal);
        Assert.Equal(2, Assert.Single(await phone.Orders()).Items.Single().Quantity);

        // A flood in the new minute is told once more.
        Assert.Contains($"#{lot.PhoneCode} x2", await api.SandboxSms(phone.Phone, "STATUS"), StringComparison.Ordinal);
        Assert.Equal(TooMany, await api.SandboxSms(phone.Phone, "STATUS"));
        Assert.Equal("", await api.SandboxSms(phone.Phone, "STATUS"));
        Assert.Equal(2, (await phone.Inbox()).Count(m => m.Text == TooMany));
    }
}
