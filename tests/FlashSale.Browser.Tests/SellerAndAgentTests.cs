using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using FlashSale.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FlashSale.Browser.Tests;

/// <summary>The seller's form and controls, and the village agent's round, in Chromium against the real app.</summary>
[Collection(LiveAppCollection.Name)]
public sealed partial class SellerAndAgentTests(LiveApp app)
{
    [Fact]
    public async Task The_lot_form_shows_the_servers_errors_beside_their_fields_and_the_seller_can_pause_resume_and_restock()
    {
        var seller = await app.OpenPage("#/seller");
        await seller.GetByLabel("Your name").FillAsync("Ma Lin");
        await seller.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        await Expect(seller.GetByLabel("Produce")).ToBeVisibleAsync();
        // The demo identity's token lives in this tab only, never in localStorage.
        Assert.Empty(await seller.EvaluateAsync<string[]>("Object.keys(localStorage).filter(k => localStorage.getItem(k).includes('eyJ'))"));
        Assert.Contains("eyJ", await seller.EvaluateAsync<string>("() => sessionStorage.getItem('flashsale.identity.seller')"));
        await seller.GetByLabel("Produce").FillAsync("Yantai apples");
        await seller.GetByLabel("Quantity", new() { Exact = true }).FillAsync("10");
        await seller.GetByLabel("Limit per shopper").FillAsync("50");
        await seller.GetByRole(AriaRole.Button, new() { Name = "Create lot" }).ClickAsync();

        await Expect(seller.Locator("[data-error-for=unit]")).Not.ToBeEmptyAsync();
        await Expect(seller.Locator("[data-error-for=priceMinor]")).Not.ToBeEmptyAsync();
        await Expect(seller.Locator("[data-error-for=perShopperLimit]")).Not.ToBeEmptyAsync();
        await Expect(seller.Locator("[data-error-for=name]")).ToBeEmptyAsync();
        await Expect(seller.Locator("#f-perShopperLimit")).ToHaveAttributeAsync("aria-invalid", "true");
        await LiveApp.Screenshot(seller, "seller-form-errors");

        await seller.GetByLabel("Unit (e.g. box of 5 kg)", new() { Exact = true }).FillAsync("crate (10 kg)");
        await seller.GetByLabel("Price per unit").FillAsync("45.5");
        await seller.GetByLabel("Limit per shopper").FillAsync("2");
        await seller.GetByRole(AriaRole.Button, new() { Name = "Create lot" }).ClickAsync();
        var card = seller.Locator("#dashboard .dashboard").Filter(new() { HasText = "Yantai apples" });
        await Expect(card.Locator("[data-stat=available] dd")).ToHaveTextAsync("10");

        await card.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        await Expect(card.Locator(".badge")).ToHaveTextAsync("Paused");
        await card.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();
        await Expect(card.Locator(".badge")).ToHaveTextAsync("On sale");
        await card.GetByLabel("Units to add").FillAsync("5");
        await card.GetByRole(AriaRole.Button, new() { Name = "Restock" }).ClickAsync();
        await Expect(card.Locator("[data-stat=available] dd")).ToHaveTextAsync("15");
        await seller.Context.CloseAsync();
    }

    [Fact]
    public async Task The_dashboard_shows_holds_expiring_soon_from_its_first_load_even_without_the_live_channel()
    {
        var (sellerId, sellerToken) = await app.SignUp("seller", "Kong Wen");
        var lotId = await app.CreateLot(sellerToken, "Lingbao dates", quantity: 20);
        var (_, shopperToken) = await app.SignUp("shopper", "Early holder");
        await app.Hold(shopperToken, lotId, 3);

        // No live channel at all: what the dashboard shows comes from its HTTP calls.
        var seller = await app.OpenPageAs("#/seller", "en-US", context => context.RouteAsync("**/hubs/**", route => route.AbortAsync()),
            ("seller", sellerId, sellerToken, "Kong Wen"));
        var card = seller.Locator("#dashboard .dashboard").Filter(new() { HasText = "Lingbao dates" });
        await Expect(card.Locator("[data-stat=reserved] dd")).ToHaveTextAsync("3");
        await Expect(card.Locator("[data-stat=holdsExpiring] dd")).ToHaveTextAsync("3");
        await Expect(seller.Locator("#connection")).Not.ToHaveAttributeAsync("data-state", "live");
        await seller.Context.CloseAsync();
    }

    [Fact]
    public async Task With_chinese_chosen_the_lot_form_shows_the_servers_field_messages_in_chinese()
    {
        var (sellerId, sellerToken) = await app.SignUp("seller", "Ma Lin");
        var seller = await app.OpenPageAs("#/seller", "zh-CN", ("seller", sellerId, sellerToken, "Ma Lin"));
        await Expect(seller.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await seller.GetByLabel("农产品").FillAsync("烟台苹果");
        await seller.GetByLabel("数量", new() { Exact = true }).FillAsync("10");
        await seller.GetByLabel("每人限购").FillAsync("50");
        await seller.GetByRole(AriaRole.Button, new() { Name = "创建商品" }).ClickAsync();

        // The API writes its field messages in the language the client asks for (Accept-Language).
        await Expect(seller.Locator("[data-error-for=unit]")).ToHaveTextAsync(Chinese());
        await Expect(seller.Locator("[data-error-for=perShopperLimit]")).ToHaveTextAsync(Chinese());
        await Expect(seller.Locator("[data-error-for=name]")).ToBeEmptyAsync();
        await Expect(seller.Locator("#f-unit")).ToHaveAttributeAsync("aria-invalid", "true");
        await LiveApp.Screenshot(seller, "seller-form-errors-zh-CN");
        await seller.Context.CloseAsync();
    }

    [GeneratedRegex(@"[\u4e00-\u9fff]")]
    private static partial Regex Chinese();

    [Fact]
    public async Task A_seller_edits_a_scheduled_lot_sending_only_what_changed_and_its_card_shows_the_new_terms()
    {
        var (sellerId, sellerToken) = await app.SignUp("seller", "Han Mei");
        var lotId = await app.CreateLot(sellerToken, "Feicheng peaches", quantity: 10, perShopperLimit: 2, priceMinor: 4800, startsAt: DateTimeOffset.UtcNow.AddDays(1));
        var seller = await app.OpenPageAs("#/seller", "en-US", ("seller", sellerId, sellerToken, "Han Mei"));
        var card = seller.Locator($"#dashboard [data-lot='{lotId}']");
        await Expect(card.Locator(".badge")).ToHaveTextAsync("Opens soon");
        await card.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        var form = card.Locator("form");
        await Expect(form.GetByLabel("Produce")).ToBeFocusedAsync();
        await Expect(form.GetByLabel("Price per unit")).ToHaveValueAsync("48");
        await Expect(form.GetByLabel("Limit per shopper")).ToHaveValueAsync("2");

        // More per shopper than the lot holds: the server's message beside the field.
        await form.GetByLabel("Limit per shopper").FillAsync("50");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(form.Locator("[data-error-for=perShopperLimit]")).Not.ToBeEmptyAsync();
        await Expect(form.GetByLabel("Limit per shopper")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(form.Locator("[data-error-for=priceMinor]")).ToBeEmptyAsync();
        await LiveApp.Screenshot(seller, "seller-edit-lot");

        await form.GetByLabel("Produce").FillAsync("Feicheng honey peaches");
        await form.GetByLabel("Price per unit").FillAsync("52.5");
        await form.GetByLabel("Limit per shopper").FillAsync("3");
        var patch = await seller.RunAndWaitForRequestAsync(
            () => form.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync(), request => request.Method == "PATCH");
        // The unit and the times the seller left alone are not sent: the server keeps them.
        Assert.Equal(["name", "perShopperLimit", "priceMinor"], JsonDocument.Parse(patch.PostData!).RootElement.EnumerateObject().Select(p => p.Name).Order());
        await Expect(card.Locator("h2")).ToContainTextAsync("Feicheng honey peaches");
        await Expect(card.Locator(".terms").First).ToHaveTextAsync("CN¥52.50 per box (5 kg) · At most 3 per shopper");
        await Expect(card.Locator("form")).ToHaveCountAsync(0);
        await Expect(card.GetByRole(AriaRole.Button, new() { Name = "Edit" })).ToBeFocusedAsync();
        await seller.Context.CloseAsync();
    }

    [Fact]
    public async Task An_edit_saved_after_the_lot_opened_is_refused_in_the_servers_words()
    {
        var (sellerId, sellerToken) = await app.SignUp("seller", "Han Mei");
        var lotId = await app.CreateLot(sellerToken, "Mengyin peaches", quantity: 10, startsAt: DateTimeOffset.UtcNow.AddDays(1));
        var seller = await app.OpenPageAs("#/seller", "en-US", ("seller", sellerId, sellerToken, "Han Mei"));
        var card = seller.Locator($"#dashboard [data-lot='{lotId}']");
        await card.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        var form = card.Locator("form");
        await form.GetByLabel("Price per unit").FillAsync("50");

        // Meanwhile the sale opens: its seller moved the opening to now from another phone.
        using (var http = app.Http(sellerToken))
        {
            using var opened = await http.PatchAsJsonAsync($"/api/lots/{lotId}", new { startsAt = DateTimeOffset.UtcNow });
            opened.EnsureSuccessStatusCode();
        }

        await Expect(card.Locator(".badge")).ToHaveTextAsync("On sale");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(form.Locator(".message")).ToHaveTextAsync(
            "A lot's terms can be changed only before it opens; once it has started it may be paused, resumed, restocked or ended.");
        await Expect(card.Locator(".terms").First).ToContainTextAsync("CN¥68.00");
        await seller.Context.CloseAsync();
    }

    [Fact]
    public async Task A_seller_ends_a_live_sale_after_confirming_in_the_page_and_the_shoppers_hold_returns_to_stock()
    {
        var (sellerId, sellerToken) = await app.SignUp("seller", "Zhou Ping");
        var lotId = await app.CreateLot(sellerToken, "Luotian chestnuts", quantity: 20);
        var (_, shopperToken) = await app.SignUp("shopper", "Wu Lan");
        await app.Hold(shopperToken, lotId, 3);
        var seller = await app.OpenPageAs("#/seller", "en-US", ("seller", sellerId, sellerToken, "Zhou Ping"));
        var card = seller.Locator($"#dashboard [data-lot='{lotId}']");
        await Expect(card.Locator("[data-stat=reserved] dd")).ToHaveTextAsync("3");
        var end = card.GetByRole(AriaRole.Button, new() { Name = "End sale" });
        var confirmation = card.GetByRole(AriaRole.Group, new() { Name = "End the sale now? Holds return to stock; placed orders stand." });

        // Asked, then kept: nothing ends.
        await end.ClickAsync();
        await Expect(confirmation).ToBeFocusedAsync();
        await Expect(end).ToHaveAttributeAsync("aria-expanded", "true");
        await confirmation.GetByRole(AriaRole.Button, new() { Name = "Keep selling" }).ClickAsync();
        await Expect(confirmation).ToHaveCountAsync(0);
        await Expect(end).ToBeFocusedAsync();
        await Expect(card.Locator(".badge")).ToHaveTextAsync("On sale");

        await end.ClickAsync();
        await confirmation.GetByRole(AriaRole.Button, new() { Name = "Yes, end the sale" }).ClickAsync();
        await Expect(card.Locator(".badge")).ToHaveTextAsync("Ended");
        await Expect(card.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await Expect(card.Locator("[data-stat=reserved] dd")).ToHaveTextAsync("0");
        await Expect(card.Locator("[data-stat=available] dd")).ToHaveTextAsync("20");

        // The lot told the shopper's cart before it answered the seller.
        using var http = app.Http(shopperToken);
        var cart = await http.GetFromJsonAsync<JsonElement>("/api/cart");
        Assert.Equal(0, cart.GetProperty("items").GetArrayLength());
        await seller.Context.CloseAsync();
    }

    [Fact]
    public async Task A_village_agent_queues_holds_and_orders_for_a_villager_and_sees_her_orders_change_live()
    {
        var (_, sellerToken) = await app.SignUp("seller", "Tian Yu");
        await app.CreateLot(sellerToken, "Hami melons", quantity: 40);
        await app.CreateWaitingRoomLot(sellerToken, "Baishui apples", quantity: 40, startsAt: null, admitPerSecond: 10);
        var agent = await app.OpenPage("#/agent");
        await agent.GetByLabel("Your name").FillAsync("Liu Yang");
        await agent.GetByLabel("Village").FillAsync("Zhouzhi");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        await agent.GetByLabel("Villager's name").FillAsync("Grandma Zhao");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Register villager" }).ClickAsync();
        await Expect(agent.Locator("#f-villager option:checked")).ToHaveTextAsync("Grandma Zhao");
        await Expect(agent.Locator("#villager-cart")).ToHaveTextAsync("Your cart is empty.");
        await Expect(agent.Locator("#connection")).ToHaveAttributeAsync("data-state", "live");

        // The lot behind a waiting room: the agent joins the queue for her first.
        var lot = agent.GetByLabel("Lot", new() { Exact = true });
        var quantity = agent.GetByLabel("Quantity", new() { Exact = true });
        var hold = agent.GetByRole(AriaRole.Button, new() { Name = "Hold", Exact = true });
        await lot.SelectOptionAsync(new SelectOptionValue { Label = "Baishui apples · CN¥56.00 / box (5 kg)" });
        var room = agent.Locator("#hold-form .queue");
        await Expect(room).ToHaveAttributeAsync("data-state", "none");
        await Expect(hold).ToBeDisabledAsync();
        await Expect(agent.Locator("#hold-reason")).ToHaveTextAsync("Join the queue first: add to cart opens when your turn comes.");
        await room.GetByRole(AriaRole.Button, new() { Name = "Join the queue" }).ClickAsync();
        await Expect(room).ToHaveAttributeAsync("data-state", "admitted");
        await Expect(room.Locator(".queue-place")).ToHaveAttributeAsync("data-position", "1");
        await Expect(room.Locator(".queue-timer")).ToContainTextAsync("Your turn ends in");
        await quantity.FillAsync("2");
        await hold.ClickAsync();
        var lines = agent.Locator("#villager-cart .cart-line");
        await Expect(lines).ToContainTextAsync("2 × CN¥56.00 / box (5 kg)");
        await Expect(lines).ToContainTextAsync("Hold ends in 9:5");
        await Expect(agent.Locator("#offered .card").Filter(new() { HasText = "Baishui apples" }).Locator("[data-available]")).ToHaveTextAsync("38 of 40 left");
        await LiveApp.Screenshot(agent, "agent-villager", docs: true);

        // Another lot, then taken out again.
        await lot.SelectOptionAsync(new SelectOptionValue { Label = "Hami melons · CN¥68.00 / box (5 kg)" });
        await Expect(agent.Locator("#hold-form .queue")).ToHaveCountAsync(0);
        await quantity.FillAsync("1");
        await hold.ClickAsync();
        await Expect(lines).ToHaveCountAsync(2);
        await agent.GetByRole(AriaRole.Button, new() { Name = "Remove: Hami melons" }).ClickAsync();
        await Expect(lines).ToHaveCountAsync(1);

        // Checkout for the village agent to collect; the cash is collected elsewhere (the agent's
        // other phone): the villager's order changes here live.
        await agent.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();
        var orders = agent.Locator("#villager-orders li[data-order]");
        await Expect(orders).ToHaveAttributeAsync("data-status", "awaiting-payment");
        await Expect(agent.Locator("#villager-cart")).ToHaveTextAsync("Your cart is empty.");
        await Expect(agent.Locator("#to-collect li[data-order]")).ToContainTextAsync("Grandma Zhao");
        var orderId = await orders.GetAttributeAsync("data-order");
        var agentToken = await agent.EvaluateAsync<string>("() => JSON.parse(sessionStorage.getItem('flashsale.identity.agent')).token");
        using (var http = app.Http(agentToken))
        {
            using var collected = await http.PostAsync(new Uri($"/api/agent/orders/{orderId}/collected", UriKind.Relative), null);
            collected.EnsureSuccessStatusCode();
        }

        await Expect(orders).ToHaveAttributeAsync("data-status", "paid");
        await Expect(orders.Locator(".order-status")).ToHaveTextAsync("Paid");
        await Expect(agent.Locator("#to-collect")).ToHaveTextAsync("Nothing to collect.");

        // A second order, cancelled while it awaits the cash.
        await quantity.FillAsync("1");
        await hold.ClickAsync();
        await Expect(lines).ToHaveCountAsync(1);
        await agent.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();
        var awaiting = agent.Locator("#villager-orders li[data-status=awaiting-payment]");
        await awaiting.GetByRole(AriaRole.Button, new() { Name = "Cancel order" }).ClickAsync();
        await Expect(agent.Locator("#villager-orders li[data-status=cancelled]")).ToHaveCountAsync(1);
        await Expect(awaiting).ToHaveCountAsync(0);

        // Cash on delivery: confirmed at once, then the cash collected from the list.
        await quantity.FillAsync("1");
        await hold.ClickAsync();
        await Expect(lines).ToHaveCountAsync(1);
        await agent.GetByLabel("Cash on delivery").CheckAsync();
        await agent.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();
        await Expect(agent.Locator("#villager-orders li[data-status=confirmed-cod]")).ToHaveCountAsync(1);
        var toCollect = agent.Locator("#to-collect li[data-order]");
        await Expect(toCollect).ToContainTextAsync("Confirmed, pay on delivery");
        await toCollect.GetByRole(AriaRole.Button, new() { Name = "Cash collected" }).ClickAsync();
        await Expect(agent.Locator("#to-collect")).ToHaveTextAsync("Nothing to collect.");
        await Expect(agent.Locator("#villager-orders li[data-status=paid]")).ToHaveCountAsync(2);
        await agent.Context.CloseAsync();
    }
}
