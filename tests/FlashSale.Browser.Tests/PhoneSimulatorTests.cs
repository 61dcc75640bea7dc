using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using FlashSale.Accounts;
using FlashSale.Api.Extensions;
using FlashSale.Browser.Tests.Infrastructure;
using FlashSale.Carts;
using FlashSale.Orders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FlashSale.Browser.Tests;

/// <summary>
/// The phone simulator (#/phone) against the real app's sandbox gateway: a shopper with a basic
/// phone buys from a live sale by USSD menu and gets the pickup code by SMS, and buys by SMS command.
/// </summary>
[Collection(LiveAppCollection.Name)]
public sealed class PhoneSimulatorTests(LiveApp app)
{
    /// <summary>The inbox is read every few seconds, so an arriving SMS may take one poll to show.</summary>
    private static readonly LocatorAssertionsToContainTextOptions InboxWait = new() { Timeout = 15_000 };

    [Fact]
    public async Task A_shopper_dials_picks_a_live_lot_holds_checks_out_cash_on_delivery_and_reads_the_pickup_code_in_the_inbox()
    {
        var (_, sellerToken) = await app.SignUp("seller", "Orchard of Li");
        var lotId = await app.CreateLot(sellerToken, "Phone pears", quantity: 40, perShopperLimit: 3);
        var code = await PhoneCode(lotId);
        // A Nigerian number (a market with no phone language of its own) reads the menu in English;
        // a Kenyan one would read Swahili. The lot is sold in CNY, so cash on delivery is offered.
        var number = $"+23480{Random.Shared.Next(10_000_000, 99_999_999)}";

        var page = await app.OpenPage("#/phone");
        await page.GetByLabel("Phone number (+86…, +254…)").FillAsync(number);
        await page.GetByRole(AriaRole.Button, new() { Name = "Dial *384*12#" }).ClickAsync();
        var screen = page.Locator("#phone-screen");
        await Expect(screen).ToContainTextAsync("1 Live lots");

        await Press(page, "1");
        await Expect(screen).ToContainTextAsync($"#{code} Phone pears");
        await Press(page, ChoiceOf(await screen.InnerTextAsync(), $"#{code} "));
        await Expect(screen).ToContainTextAsync("Left 40 of 40");
        await Press(page, "1");
        await Expect(screen).ToContainTextAsync("How many box (5 kg)? 1-3");

        // The quantity on the keypad, as a person would.
        await page.GetByRole(AriaRole.Group, new() { Name = "Keypad" }).GetByRole(AriaRole.Button, new() { Name = "2", Exact = true }).ClickAsync();
        await Expect(page.GetByLabel("Your choice")).ToHaveValueAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Expect(screen).ToContainTextAsync("Held 2 box (5 kg): 136.00 CNY");

        await Press(page, "1");
        await Expect(screen).ToContainTextAsync("Pay how? Total 136.00 CNY");
        await Press(page, ChoiceOf(await screen.InnerTextAsync(), "Cash on delivery"));
        await Expect(screen).ToHaveAttributeAsync("data-state", "end");
        await Expect(screen).ToContainTextAsync("cash on delivery");
        await Expect(page.GetByLabel("Your choice")).ToBeDisabledAsync();

        var order = Assert.Single(await Orders(number));
        Assert.Equal(OrderStatus.ConfirmedCod, order.Status);
        var pickupCode = order.Fulfilment!.PickupCode!;
        var sms = page.Locator("#sms-inbox li").Filter(new() { HasText = order.OrderId[^6..].ToUpperInvariant() });
        await Expect(sms).ToContainTextAsync($"Pickup code {pickupCode}.", InboxWait);
        await Expect(sms).ToContainTextAsync($"#{code} x2");

        await Axe.AssertNoViolations(page, "the phone simulator");
        await LiveApp.Screenshot(page, "phone-simulator", docs: true);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_shopper_texts_buy_with_the_lots_phone_code_and_reads_the_reply_in_chinese_ui()
    {
        var (_, sellerToken) = await app.SignUp("seller", "Orchard of Zhao");
        var lotId = await app.CreateLot(sellerToken, "短信梨", quantity: 10, perShopperLimit: 2);
        var code = await PhoneCode(lotId);
        var number = $"+86137{Random.Shared.Next(10_000_000, 99_999_999)}";

        var page = await app.OpenPage("#/phone", "zh-CN");
        await page.GetByLabel("手机号（+86…、+254…）").FillAsync(number);
        await page.GetByLabel("短信：买 <编号> <数量>、状态 或 取消 <订单号>").FillAsync($"BUY {code} 1");
        await page.GetByRole(AriaRole.Button, new() { Name = "发送短信", Exact = true }).ClickAsync();

        var reply = page.Locator("#sms-reply");
        await Expect(reply).ToContainTextAsync($"#{code} x1");
        var order = Assert.Single(await Orders(number));
        var reference = order.OrderId[^6..].ToUpperInvariant();
        await Expect(reply).ToContainTextAsync($"回复：Order {reference}");
        await Expect(reply).ToContainTextAsync($"Pickup code {order.Fulfilment!.PickupCode}.");
        await Expect(page.Locator("#sms-inbox li").Filter(new() { HasText = reference })).ToHaveCountAsync(1, new() { Timeout = 15_000 });

        // The command buttons write the command in the page's language; the reply answers in it.
        await page.GetByRole(AriaRole.Button, new() { Name = "状态", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "发送短信", Exact = true }).ClickAsync();
        await Expect(reply).ToContainTextAsync($"回复：订单 {reference}");
        await Expect(page.Locator("#sms-inbox li")).ToHaveCountAsync(2, new() { Timeout = 15_000 });
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// A number past its SMS budget is told so once a minute and then hears nothing: the sandbox
    /// answers such a text with an empty body, and the page says plainly that no reply was sent
    /// rather than showing an empty "Reply:".
    /// </summary>
    [Theory]
    [InlineData("en-US", "+23480", "Message: BUY <code> <qty>, STATUS or CANCEL <ref>", "Send text", "Reply: Too many requests from this number; try again in a minute.", "No reply was sent.")]
    [InlineData("zh-CN", "+86137", "短信：买 <编号> <数量>、状态 或 取消 <订单号>", "发送短信", "回复：该号码请求过多，请一分钟后再试。", "未发送回复。")]
    public async Task A_text_past_the_numbers_sms_budget_shows_that_no_reply_was_sent(
        string locale, string numberPrefix, string textLabel, string sendButton, string warningReply, string noReply)
    {
        var number = numberPrefix + Random.Shared.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);
        var page = await app.OpenPage("#/phone", locale);
        await page.GetByLabel(locale == "zh-CN" ? "手机号（+86…、+254…）" : "Phone number (+86…, +254…)").FillAsync(number);
        var message = page.GetByLabel(textLabel);
        var send = page.GetByRole(AriaRole.Button, new() { Name = sendButton, Exact = true });
        var reply = page.Locator("#sms-reply");

        // The number's budget, spent through the sandbox route; the window is a minute from the
        // first text, and the rest of the test takes seconds.
        var budget = app.Services.GetRequiredService<IOptions<RateLimitOptions>>().Value.PhoneSmsPerNumberPerMinute;
        using var http = app.Http();
        for (var i = 0; i < budget; i++)
        {
            using var answered = await http.PostAsJsonAsync("/api/sandbox/phone/sms", new { from = number, text = "STATUS" });
            Assert.NotEmpty(await answered.EnsureSuccessStatusCode().Content.ReadAsStringAsync());
        }

        // The first text past it gets the one warning of the minute; the next gets nothing back.
        await message.FillAsync("STATUS");
        await send.ClickAsync();
        await Expect(reply).ToHaveTextAsync(warningReply);
        await message.FillAsync("STATUS");
        await send.ClickAsync();
        await Expect(reply).ToHaveTextAsync(new Regex("^" + Regex.Escape(noReply)));
        await Expect(reply).Not.ToHaveClassAsync(new Regex(@"\berror\b"));
        await Expect(page.Locator("#sms-inbox li")).ToHaveCountAsync(budget + 1, new() { Timeout = 15_000 });
        await page.Context.CloseAsync();
    }

    private static async Task Press(IPage page, string input)
    {
        var choice = page.GetByLabel("Your choice");
        await choice.FillAsync(input);
        await choice.PressAsync("Enter");
        await Expect(choice).ToHaveValueAsync("");
    }

    /// <summary>The choice number of the screen line that contains <paramref name="text"/>.</summary>
    private static string ChoiceOf(string screen, string text) =>
        screen.Split('\n').First(l => l.Contains(text, StringComparison.Ordinal)).Split(' ')[0];

    private async Task<int> PhoneCode(string lotId)
    {
        using var http = app.Http();
        var lot = await http.GetFromJsonAsync<JsonElement>($"/api/lots/{lotId}");
        return lot.GetProperty("phoneCode").GetInt32();
    }

    /// <summary>The orders of the number's account, read from the engine (the account the phone is).</summary>
    private async Task<IReadOnlyList<Order>> Orders(string number)
    {
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        var account = await grains.GetGrain<IPhoneNumberGrain>(number).BindAccount();
        var ids = await grains.GetGrain<IShopperCartGrain>(account.ShopperId).ListOrderIds();
        return (await Task.WhenAll(ids.Select(id => grains.GetGrain<IOrderGrain>(id).Get()))).OfType<Order>().ToList();
    }
}
