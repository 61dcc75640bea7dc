using FlashSale.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FlashSale.Browser.Tests;

/// <summary>A phone that loses its network: the indicator says so, and coming back catches the page up.</summary>
[Collection(LiveAppCollection.Name)]
public sealed class OfflineTests(LiveApp app)
{
    [Fact]
    public async Task Offline_shows_in_the_indicator_and_back_online_the_page_resyncs_and_the_cart_is_still_there()
    {
        var (_, sellerToken) = await app.SignUp("seller", "He Ping");
        var lotId = await app.CreateLot(sellerToken, "Xinjiang walnuts", quantity: 30);
        var page = await app.OpenPage($"#/lot/{lotId}");
        await page.GetByLabel("Your name").FillAsync("Deng Yu");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add to cart" }).ClickAsync();
        await Expect(page.Locator("#hold")).ToContainTextAsync("Held for you: 1.");
        var indicator = page.Locator("#connection");
        await Expect(indicator).ToHaveAttributeAsync("data-state", "live");
        await Expect(page.Locator(".stock [data-available]")).ToHaveTextAsync("29 of 30 left");

        await page.Context.SetOfflineAsync(true);
        await Expect(indicator).ToHaveAttributeAsync("data-state", "offline");
        await Expect(indicator).ToHaveTextAsync("Offline");

        // While the phone is offline, someone else holds four.
        var (_, otherToken) = await app.SignUp("shopper", "Someone online");
        await app.Hold(otherToken, lotId, 4);

        await page.Context.SetOfflineAsync(false);
        await Expect(indicator).ToHaveAttributeAsync("data-state", "live");
        await Expect(indicator).ToHaveTextAsync("Live");
        await Expect(page.Locator(".stock [data-available]")).ToHaveTextAsync("25 of 30 left");

        await page.GetByRole(AriaRole.Link, new() { Name = "Cart", Exact = true }).ClickAsync();
        await Expect(page.Locator(".cart-line")).ToContainTextAsync("Xinjiang walnuts");
        await Expect(page.Locator(".cart-line")).ToContainTextAsync("Hold ends in");
        await page.Context.CloseAsync();
    }
}
