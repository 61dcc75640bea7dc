using System.Text.RegularExpressions;
using FlashSale.Accounts;
using FlashSale.Browser.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FlashSale.Browser.Tests;

/// <summary>Phone sign-in, an application to sell, and an operator approving it, in Chromium against the real app.</summary>
[Collection(LiveAppCollection.Name)]
public sealed partial class AccountTests(LiveApp app)
{
    [Fact]
    public async Task A_farmer_signs_in_by_phone_applies_to_sell_an_operator_approves_and_after_a_reload_the_farmer_sells()
    {
        var farmerPhone = $"+86137{Random.Shared.Next(10_000_000, 99_999_999)}";
        var farmer = await app.OpenPage("#/account");
        await SignIn(farmer, farmerPhone);
        await Expect(farmer.Locator("#roles")).ToHaveTextAsync("Roles: Shopper");
        await LiveApp.Screenshot(farmer, "account-signed-in");

        var apply = farmer.Locator("#apply");
        await apply.GetByLabel("I want to be").SelectOptionAsync("seller");
        await apply.GetByLabel("Name (your farm or service point)").FillAsync("Orchard of Ma Lin");
        await apply.GetByLabel("Village").FillAsync("Dangshan");
        await apply.GetByRole(AriaRole.Button, new() { Name = "Send application" }).ClickAsync();
        await Expect(farmer.Locator("#applications li[data-status=pending]")).ToContainTextAsync("Orchard of Ma Lin");
        await LiveApp.Screenshot(farmer, "account-applied");

        // Pending: the seller's page still offers only the demo sign-up, not the lot form.
        await farmer.GotoAsync("/#/seller");
        await LiveApp.WaitReady(farmer);
        await Expect(farmer.GetByRole(AriaRole.Heading, new() { Name = "New lot" })).ToHaveCountAsync(0);

        var op = await app.OpenPage("#/operator");
        await SignIn(op, LiveApp.OperatorPhone);
        var pending = op.Locator("#pending li").Filter(new() { HasText = "Orchard of Ma Lin" });
        await Expect(pending).ToHaveCountAsync(1);
        await LiveApp.Screenshot(op, "operator-pending");
        await pending.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Expect(op.GetByRole(AriaRole.Status).Filter(new() { HasText = "Done: Approved." })).ToHaveCountAsync(1);
        await Expect(op.Locator("#pending li").Filter(new() { HasText = "Orchard of Ma Lin" })).ToHaveCountAsync(0);
        await LiveApp.Screenshot(op, "operator-approved");

        // A reload keeps only the refresh token; trading it brings the new role.
        await farmer.GotoAsync("/#/account");
        await farmer.ReloadAsync();
        await LiveApp.WaitReady(farmer);
        await Expect(farmer.Locator("#roles")).ToHaveTextAsync("Roles: Shopper, Seller");
        Assert.Empty(await farmer.EvaluateAsync<string[]>("Object.keys(localStorage).filter(k => localStorage.getItem(k).includes('eyJ'))"));
        await farmer.GotoAsync("/#/seller");
        await LiveApp.WaitReady(farmer);
        await Expect(farmer.GetByRole(AriaRole.Heading, new() { Name = "New lot" })).ToBeVisibleAsync();
        await LiveApp.Screenshot(farmer, "account-seller");

        await op.Context.CloseAsync();
        await farmer.Context.CloseAsync();
    }

    [Fact]
    public async Task A_wrong_code_is_refused_on_the_page_and_the_right_one_still_signs_in()
    {
        var phone = $"+86136{Random.Shared.Next(10_000_000, 99_999_999)}";
        var page = await app.OpenPage("#/account", "zh-CN");
        await page.GetByLabel("带国家代码的手机号（+86…）").FillAsync(phone);
        await page.GetByRole(AriaRole.Button, new() { Name = "发送验证码" }).ClickAsync();
        var code = await LatestCode(phone, page);
        await page.GetByLabel("短信验证码").FillAsync(code == "000000" ? "000001" : "000000");
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("验证码错误或已过期，请重新获取。");
        await LiveApp.Screenshot(page, "account-wrong-code-zh");

        await page.GetByLabel("短信验证码").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
        await Expect(page.Locator("#roles")).ToHaveTextAsync("角色：顾客");
        await page.Context.CloseAsync();
    }

    private async Task SignIn(IPage page, string phone)
    {
        await page.GetByLabel("Mobile number with country code (+86…)").FillAsync(phone);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send code" }).ClickAsync();
        await page.GetByLabel("Code from the SMS").FillAsync(await LatestCode(phone, page));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(page.Locator("#sign-in")).ToHaveCountAsync(0);
    }

    /// <summary>The code the sandbox gateway texted, read from its outbox once the page says it was sent.</summary>
    private async Task<string> LatestCode(string phone, IPage page)
    {
        await Expect(page.Locator("input[name=code]")).ToBeVisibleAsync();
        var messages = await app.Services.GetRequiredService<IGrainFactory>().GetGrain<ISandboxSmsOutboxGrain>(phone).List();
        return SixDigits().Match(messages[^1].Text).Value;
    }

    [GeneratedRegex(@"\d{6}")]
    private static partial Regex SixDigits();

}
