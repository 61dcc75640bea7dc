using System.Diagnostics;
using FlashSale.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace FlashSale.Browser.Tests;

/// <summary>The shopper's journey in Chromium against the real app, with a seller watching live.</summary>
[Collection(LiveAppCollection.Name)]
public sealed class ShopperTests(LiveApp app, ITestOutputHelper output)
{
    [Fact]
    public async Task A_shopper_buys_with_the_sandbox_wallet_while_the_seller_dashboard_shows_the_sale_live()
    {
        // A village service point, so checkout has a pickup to offer (its first is chosen).
        await app.SignUp("agent", "Dangshan town point");
        var seller = await app.OpenPage("#/seller");
        await seller.GetByLabel("Your name").FillAsync("Wang Fang");
        await seller.GetByLabel("Village").FillAsync("Dangshan");
        await seller.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        await seller.GetByLabel("Produce").FillAsync("Dangshan honey pears");
        await seller.GetByLabel("Unit (e.g. box of 5 kg)", new() { Exact = true }).FillAsync("box (5 kg)");
        await seller.GetByLabel("Price per unit").FillAsync("68");
        await seller.GetByLabel("Quantity", new() { Exact = true }).FillAsync("20");
        await seller.GetByLabel("Limit per shopper").FillAsync("3");
        await seller.GetByRole(AriaRole.Button, new() { Name = "Create lot" }).ClickAsync();
        var dashboard = seller.Locator("#dashboard .dashboard").Filter(new() { HasText = "Dangshan honey pears" });
        await Expect(dashboard.Locator("[data-stat=available] dd")).ToHaveTextAsync("20");

        var shopper = await app.OpenPage();
        await Expect(shopper.Locator(".card").Filter(new() { HasText = "Dangshan honey pears" }).Locator("[data-available]")).ToHaveTextAsync("20 of 20 left");
        await LiveApp.Screenshot(shopper, "shopper-sale-list");
        await shopper.GetByRole(AriaRole.Link, new() { Name = "Dangshan honey pears" }).ClickAsync();
        await shopper.GetByLabel("Your name").FillAsync("Li Wei");
        await shopper.GetByLabel("Quantity", new() { Exact = true }).FillAsync("2");
        await shopper.GetByRole(AriaRole.Button, new() { Name = "Add to cart" }).ClickAsync();
        await Expect(shopper.Locator("#hold")).ToContainTextAsync("Held for you: 2. The hold ends in 9:5");
        await Expect(dashboard.Locator("[data-stat=reserved] dd")).ToHaveTextAsync("2");

        await shopper.GetByRole(AriaRole.Link, new() { Name = "Go to cart" }).ClickAsync();
        await Expect(shopper.Locator(".cart-line")).ToContainTextAsync("Dangshan honey pears");
        await shopper.ReloadAsync();
        await LiveApp.WaitReady(shopper);
        await Expect(shopper.Locator(".cart-line")).ToContainTextAsync("Hold ends in");
        await Expect(shopper.Locator(".methods")).ToContainTextAsync("Bank transfer");
        await shopper.GetByLabel("Mobile wallet").CheckAsync();
        await LiveApp.Screenshot(shopper, "shopper-cart", docs: true);
        await shopper.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();

        await Expect(shopper.Locator("#order-status")).ToHaveAttributeAsync("data-status", "awaiting-payment");
        await shopper.GetByRole(AriaRole.Button, new() { Name = "Pay in the wallet (sandbox)" }).ClickAsync();
        // The sandbox sends the signed webhook; the hub tells the shopper's page, which was not reloaded.
        await Expect(shopper.Locator("#order-status")).ToHaveAttributeAsync("data-status", "paid");
        await Expect(shopper.Locator("#order-status")).ToHaveTextAsync("Paid");
        await LiveApp.Screenshot(shopper, "shopper-order-paid");

        await Expect(dashboard.Locator("[data-stat=sold] dd")).ToHaveTextAsync("2");
        await Expect(dashboard.Locator("[data-stat=revenue] dd")).ToContainTextAsync("136");
        await Expect(dashboard.Locator("[data-stat=paidOrders] dd")).ToHaveTextAsync("1");
        await Expect(dashboard.Locator(".chart rect")).ToHaveCountAsync(1);
        await LiveApp.Screenshot(seller, "seller-dashboard", docs: true);
        await seller.Context.CloseAsync();
        await shopper.Context.CloseAsync();
    }

    [Fact]
    public async Task A_lot_that_sells_out_while_the_page_is_open_shows_sold_out_and_cannot_be_added()
    {
        var (_, sellerToken) = await app.SignUp("seller", "Chen Jie");
        var lotId = await app.CreateLot(sellerToken, "Zhouzhi kiwifruit", quantity: 1, perShopperLimit: 1);
        var page = await app.OpenPage($"#/lot/{lotId}");
        var add = page.GetByRole(AriaRole.Button, new() { Name = "Add to cart" });
        await Expect(add).ToBeEnabledAsync();
        await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-state", "live");

        var (_, rivalToken) = await app.SignUp("shopper", "Quicker shopper");
        await app.Hold(rivalToken, lotId, 1);

        await Expect(page.Locator(".stock .badge")).ToHaveTextAsync("Sold out");
        await Expect(page.Locator(".stock [data-available]")).ToHaveTextAsync("0 of 1 left");
        await Expect(add).ToBeDisabledAsync();
        await LiveApp.Screenshot(page, "shopper-sold-out");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task After_the_server_drops_the_connection_the_page_reconnects_and_catches_up()
    {
        var (_, sellerToken) = await app.SignUp("seller", "Zhao Lei");
        var lotId = await app.CreateLot(sellerToken, "Gannan navel oranges", quantity: 50);
        var page = await app.OpenPage($"#/lot/{lotId}");
        await page.GetByLabel("Your name").FillAsync("Sun Li");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add to cart" }).ClickAsync();
        await Expect(page.Locator("#hold")).ToBeVisibleAsync();
        var indicator = page.Locator("#connection");
        await Expect(indicator).ToHaveAttributeAsync("data-state", "live");
        await Expect(indicator).ToHaveAttributeAsync("data-reconnects", "0");

        Assert.True(app.HubConnections.OpenConnections > 0, "no hub connection to drop");
        app.HubConnections.DropAll();

        await Expect(indicator).ToHaveAttributeAsync("data-reconnects", "1");
        await Expect(indicator).ToHaveAttributeAsync("data-state", "live");
        await Expect(indicator).ToHaveTextAsync("Live");
        // Stock moved by someone else after the reconnect still reaches the page.
        var (_, otherToken) = await app.SignUp("shopper", "Other shopper");
        await app.Hold(otherToken, lotId, 3);
        await Expect(page.Locator(".stock [data-available]")).ToHaveTextAsync("46 of 50 left");
        // The cart lives on the server, so it is still there.
        await page.GetByRole(AriaRole.Link, new() { Name = "Cart", Exact = true }).ClickAsync();
        await Expect(page.Locator(".cart-line")).ToContainTextAsync("Gannan navel oranges");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_client_renders_in_chinese_for_a_chinese_browser_and_switches_to_english()
    {
        var (_, sellerToken) = await app.SignUp("seller", "Huang Mei");
        await app.CreateLot(sellerToken, "砀山酥梨", quantity: 30);
        var page = await app.OpenPage(locale: "zh-CN");

        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("丰收抢购");
        await Expect(page.Locator(".card").Filter(new() { HasText = "砀山酥梨" }).Locator(".badge")).ToHaveTextAsync("抢购中");
        await Expect(page.Locator("#connection")).ToHaveTextAsync("实时");
        await LiveApp.Screenshot(page, "shopper-sale-list-zh-CN", docs: true);

        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Harvest sale");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task On_emulated_slow_3g_the_sale_is_interactive_within_five_seconds()
    {
        var (_, sellerToken) = await app.SignUp("seller", "Xu Hua");
        await app.CreateLot(sellerToken, "Slow road apples", quantity: 10);
        var context = await app.Browser.NewContextAsync(new() { BaseURL = app.BaseUrl.ToString(), ViewportSize = LiveApp.Phone });
        var page = await context.NewPageAsync();
        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Network.enable");
        // Chrome DevTools' "Slow 3G" preset: 2 s per request, 400 kbit/s each way.
        await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = false, ["latency"] = 2000, ["downloadThroughput"] = 500 * 1000 / 8 * 0.8, ["uploadThroughput"] = 500 * 1000 / 8 * 0.8,
        });

        var clock = Stopwatch.StartNew();
        await page.GotoAsync("/", new() { WaitUntil = WaitUntilState.Commit, Timeout = 30_000 });
        var link = page.GetByRole(AriaRole.Link, new() { Name = "Slow road apples" });
        await link.WaitForAsync(new() { Timeout = 30_000 });
        await LiveApp.WaitReady(page);
        var seen = clock.Elapsed;
        var readyAt = TimeSpan.FromMilliseconds(double.Parse(await page.Locator("html").GetAttributeAsync("data-ready-at") ?? "NaN", System.Globalization.CultureInfo.InvariantCulture));
        output.WriteLine($"slow 3G: interactive {readyAt.TotalSeconds:F2} s after navigation start (test clock {seen.TotalSeconds:F2} s)");
        File.WriteAllText(Path.Combine(LiveApp.ScreenshotDirectory, "slow-3g.txt"), $"{readyAt.TotalMilliseconds:F0} ms\n");

        Assert.True(readyAt < TimeSpan.FromSeconds(5), $"interactive after {readyAt.TotalSeconds:F2} s on slow 3G");
        await link.ClickAsync(new() { Timeout = 30_000 });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Slow road apples" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await context.CloseAsync();
    }
}
