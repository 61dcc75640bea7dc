using FlashSale.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FlashSale.Browser.Tests;

/// <summary>The seller's form and controls, and the village agent's round, in Chromium against the real app.</summary>
[Collection(LiveAppCollection.Name)]
public sealed class SellerAndAgentTests(LiveApp app)
{
    [Fact]
    public async Task The_lot_form_shows_the_servers_errors_beside_their_fields_and_the_seller_can_pause_resume_and_restock()
    {
        var seller = await app.OpenPage("#/seller");
        await seller.GetByLabel("Your name").FillAsync("Ma Lin");
        await seller.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
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
    public async Task A_village_agent_registers_a_villager_orders_for_her_and_marks_the_cash_collected()
    {
        var (_, sellerToken) = await app.SignUp("seller", "Tian Yu");
        await app.CreateLot(sellerToken, "Hami melons", quantity: 40);
        var agent = await app.OpenPage("#/agent");
        await agent.GetByLabel("Your name").FillAsync("Liu Yang");
        await agent.GetByLabel("Village").FillAsync("Zhouzhi");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        await agent.GetByLabel("Villager's name").FillAsync("Grandma Zhao");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Register villager" }).ClickAsync();
        await Expect(agent.Locator("ul.plain")).ToContainTextAsync("Grandma Zhao");

        await agent.GetByLabel("Lot").SelectOptionAsync(new SelectOptionValue { Label = "Hami melons · CN¥68.00 / box (5 kg)" });
        await agent.GetByLabel("Quantity").FillAsync("2");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Hold and order" }).ClickAsync();
        await Expect(agent.GetByRole(AriaRole.Status).Filter(new() { HasText = "Order placed" })).ToHaveTextAsync("Order placed for Grandma Zhao.");
        var toCollect = agent.Locator("#to-collect li[data-order]");
        await Expect(toCollect).ToContainTextAsync("Grandma Zhao");
        await Expect(toCollect).ToContainTextAsync("Awaiting payment");
        await LiveApp.Screenshot(agent, "agent-to-collect");

        await toCollect.GetByRole(AriaRole.Button, new() { Name = "Cash collected" }).ClickAsync();
        await Expect(agent.Locator("#to-collect")).ToHaveTextAsync("Nothing to collect.");
        await agent.Context.CloseAsync();
    }
}
