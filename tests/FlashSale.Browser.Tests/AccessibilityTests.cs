using System.Net.Http.Json;
using System.Text.Json;
using FlashSale.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FlashSale.Browser.Tests;

/// <summary>
/// axe-core on every main page, in English and Chinese, with real content on each (a waiting room,
/// a cart with a hold, an order, a dashboard, then with a lot's edit form and another's end
/// confirmation open, an agent with a villager): no violation at all. Each page is also saved as a
/// screenshot with the test output.
/// </summary>
[Collection(LiveAppCollection.Name)]
public sealed class AccessibilityTests(LiveApp app)
{
    [Theory]
    [InlineData("en-US", "en")]
    [InlineData("zh-CN", "zh-CN")]
    public async Task Every_main_page_passes_axe_core(string locale, string language)
    {
        var (sellerId, sellerToken) = await app.SignUp("seller", "Luo Qing");
        var lotId = await app.CreateLot(sellerToken, language == "en" ? "Dangshan pears" : "砀山酥梨", quantity: 40);
        var scheduledLotId = await app.CreateLot(sellerToken, language == "en" ? "Feicheng peaches" : "肥城桃", quantity: 40, startsAt: DateTimeOffset.UtcNow.AddDays(1));
        var roomLotId = await app.CreateWaitingRoomLot(sellerToken, language == "en" ? "Luochuan apples" : "洛川苹果", quantity: 40, startsAt: null, admitPerSecond: 10);
        var (shopperId, shopperToken) = await app.SignUp("shopper", "Li Na");
        var (agentId, agentToken) = await app.SignUp("agent", "Liu Yang");
        await app.Hold(shopperToken, lotId, 2);
        using (var agentHttp = app.Http(agentToken))
        {
            using var registered = await agentHttp.PostAsJsonAsync("/api/agent/villagers", new { name = "Grandma Zhao" });
            registered.EnsureSuccessStatusCode();
            var villagerId = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("shopperId").GetString();
            using var held = await agentHttp.PutAsJsonAsync($"/api/agent/villagers/{villagerId}/cart/items/{lotId}", new { quantity = 1 });
            held.EnsureSuccessStatusCode();
        }

        // The last mile: an order packed on the seller's desk, and one waiting at the agent's point for its code.
        var pickup = new { kind = "pickup", pointId = await app.PointOf(agentId) };
        var (_, buyerToken) = await app.SignUp("shopper", "Zhang Min");
        var packed = (await app.Buy(buyerToken, lotId, 1, "cash-on-delivery", pickup)).GetProperty("orderId").GetString();
        var waiting = (await app.Buy(buyerToken, lotId, 1, "cash-on-delivery", pickup)).GetProperty("orderId").GetString();
        await app.Post(sellerToken, $"/api/seller/orders/{packed}/pack");
        await app.Post(sellerToken, $"/api/seller/orders/{waiting}/pack");
        await app.Post(sellerToken, $"/api/seller/orders/{waiting}/ship");
        await app.Post(agentToken, $"/api/agent/parcels/{waiting}/arrived");

        var page = await app.OpenPageAs("#/", locale,
            ("seller", sellerId, sellerToken, "Luo Qing"), ("shopper", shopperId, shopperToken, "Li Na"), ("agent", agentId, agentToken, "Liu Yang"));
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
        await Expect(page.Locator(".card .queue-marker")).Not.ToHaveCountAsync(0);
        await Check(page, "sale-list", language);

        await Open(page, $"#/lot/{roomLotId}");
        await Expect(page.Locator(".queue")).ToHaveAttributeAsync("data-state", "none");
        await Check(page, "lot-waiting-room-none", language);
        await page.Locator(".queue button").ClickAsync();
        await Expect(page.Locator(".queue")).ToHaveAttributeAsync("data-state", "admitted");
        await Check(page, "lot-waiting-room-admitted", language);

        await Open(page, "#/cart");
        await Expect(page.Locator(".cart-line")).ToHaveCountAsync(1);
        await Check(page, "cart", language);
        await page.Locator("form button[type=submit]").ClickAsync();
        await Expect(page.Locator("#order-status")).ToHaveAttributeAsync("data-status", "awaiting-payment");
        await Check(page, "order", language);

        await Open(page, "#/seller");
        await Expect(page.Locator("#dashboard .dashboard")).ToHaveCountAsync(3);
        await Check(page, "seller-dashboard", language);
        await page.Locator($"[data-lot='{scheduledLotId}'] [data-panel=edit]").ClickAsync();
        await page.Locator($"[data-lot='{lotId}'] [data-panel=end]").ClickAsync();
        await Expect(page.Locator("#dashboard .edit-lot")).ToHaveCountAsync(1);
        await Expect(page.Locator("#dashboard .confirm")).ToHaveCountAsync(1);
        await Check(page, "seller-edit-and-end", language);

        await Open(page, $"#/seller/orders/{lotId}");
        await Expect(page.Locator("#desk li[data-order]")).ToHaveCountAsync(2);
        await Check(page, "seller-order-desk", language);

        await Open(page, "#/seller/money");
        await Expect(page.Locator("#statement-form")).ToHaveCountAsync(1);
        await Check(page, "seller-money", language);

        await Open(page, "#/agent");
        await Expect(page.Locator("#villager-cart .cart-line")).ToHaveCountAsync(1);
        await Check(page, "agent", language);

        await Open(page, "#/agent/parcels");
        await Expect(page.Locator("#parcels .handover")).ToHaveCountAsync(1);
        await Check(page, "agent-parcels", language);

        await Open(page, "#/account");
        await Expect(page.Locator("#sign-in input[type=tel]")).ToHaveCountAsync(1);
        await Check(page, "account-sign-in", language);
        await page.Context.CloseAsync();
    }

    private static async Task Open(IPage page, string hash)
    {
        await page.EvaluateAsync("hash => { location.hash = hash; }", hash);
        await LiveApp.WaitReady(page);
    }

    private static async Task Check(IPage page, string name, string language)
    {
        await LiveApp.WaitReady(page);
        await LiveApp.Screenshot(page, $"{name}-{language}");
        await Axe.AssertNoViolations(page, $"{name} ({language})");
    }
}
