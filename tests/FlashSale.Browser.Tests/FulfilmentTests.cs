using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using FlashSale.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FlashSale.Browser.Tests;

/// <summary>
/// From paid to picked up in Chromium against the real app: the shopper's delivery choice and
/// timeline, the seller's order desk and money, the village agent's parcels and cash. The side of
/// each scene the test does not drive in the browser goes through the API.
/// </summary>
[Collection(LiveAppCollection.Name)]
public sealed partial class FulfilmentTests(LiveApp app)
{
    private static readonly object HomeAddress = new { kind = "home", address = new { name = "Zhang Min", phone = "+86 138 0013 8000", line1 = "3 Orchard Lane", village = "Dangshan", region = "Anhui" } };

    [Fact]
    public async Task A_shopper_chooses_pickup_in_her_village_sees_her_code_and_the_timeline_moves_live()
    {
        var (_, sellerToken) = await app.SignUp("seller", "Zhang Hua");
        var lotId = await app.CreateLot(sellerToken, "Huxian grapes", quantity: 20);
        var (_, agentToken) = await app.SignUp("agent", "Huxian Gucheng point", village: "Huxian");

        var shopper = await app.OpenPage($"#/lot/{lotId}");
        await shopper.GetByLabel("Your name").FillAsync("Li Wei");
        await shopper.GetByLabel("Quantity", new() { Exact = true }).FillAsync("2");
        await shopper.GetByRole(AriaRole.Button, new() { Name = "Add to cart" }).ClickAsync();
        await shopper.GetByRole(AriaRole.Link, new() { Name = "Go to cart" }).ClickAsync();

        // Home delivery first, with an address the server refuses: its messages sit beside the fields.
        await shopper.GetByLabel("Home delivery").CheckAsync();
        await shopper.GetByLabel("Recipient's name").FillAsync("Li Wei");
        await shopper.GetByLabel("Phone", new() { Exact = true }).FillAsync("12");
        await shopper.GetByLabel("Mobile wallet").CheckAsync();
        await shopper.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();
        await Expect(shopper.Locator("[data-error-for='delivery.address.phone']")).Not.ToBeEmptyAsync();
        await Expect(shopper.Locator("[data-error-for='delivery.address.line1']")).Not.ToBeEmptyAsync();
        await Expect(shopper.Locator("[data-error-for='delivery.address.name']")).ToBeEmptyAsync();
        await Expect(shopper.Locator("[id='f-delivery.address.phone']")).ToHaveAttributeAsync("aria-invalid", "true");

        // Pickup instead: the points of the village she types come first, and the first is chosen.
        await shopper.GetByLabel("Pick up at a village service point").CheckAsync();
        await shopper.GetByLabel("Your village (its service points come first)").FillAsync("huxian");
        await shopper.GetByLabel("Your village (its service points come first)").BlurAsync();
        var firstPoint = shopper.Locator("#points label").First;
        await Expect(firstPoint).ToContainTextAsync("Huxian Gucheng point");
        await Expect(firstPoint.Locator("input")).ToBeCheckedAsync();
        await shopper.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();

        await Expect(shopper.Locator("#delivery")).ToHaveTextAsync("Pickup at Huxian Gucheng point (Huxian)");
        await shopper.GetByRole(AriaRole.Button, new() { Name = "Pay in the wallet (sandbox)" }).ClickAsync();
        await Expect(shopper.Locator("#order-status")).ToHaveAttributeAsync("data-status", "paid");
        await Expect(shopper.Locator("#pickup-code")).ToHaveTextAsync(SixDigits());
        var steps = shopper.Locator("#timeline li");
        await Expect(steps).ToHaveCountAsync(5);
        await Expect(shopper.Locator("#timeline li[data-done]")).ToHaveCountAsync(1);
        await Expect(shopper.Locator("#connection")).ToHaveAttributeAsync("data-state", "live");

        // The seller and the agent move the parcel elsewhere; her page, never reloaded, follows.
        var orderId = shopper.Url[(shopper.Url.LastIndexOf('/') + 1)..];
        await app.Post(sellerToken, $"/api/seller/orders/{orderId}/pack");
        await app.Post(sellerToken, $"/api/seller/orders/{orderId}/ship", new { trackingId = "SF-20261201" });
        await Expect(shopper.Locator("#timeline li[data-step=shipped]")).ToHaveAttributeAsync("data-done", "");
        await Expect(shopper.Locator("#timeline")).ToContainTextAsync("Tracking number: SF-20261201");
        await app.Post(agentToken, $"/api/agent/parcels/{orderId}/arrived");
        await Expect(shopper.Locator("#timeline li[data-step=at-pickup-point]")).ToHaveAttributeAsync("aria-current", "step");
        await Expect(shopper.Locator("#timeline li[data-step=at-pickup-point] time")).Not.ToBeEmptyAsync();
        await LiveApp.Screenshot(shopper, "shopper-order-timeline", docs: true);

        var code = await shopper.Locator("#pickup-code").TextContentAsync();
        await app.Post(agentToken, $"/api/agent/parcels/{orderId}/handover", new { pickupCode = code });
        await Expect(shopper.Locator("#timeline li[data-step=collected]")).ToHaveAttributeAsync("aria-current", "step");
        await Expect(shopper.Locator("#pickup-code")).ToHaveCountAsync(0);
        await shopper.Context.CloseAsync();
    }

    [Fact]
    public async Task A_seller_packs_ships_a_batch_delivers_and_cancels_with_a_reason_then_reads_the_ledger()
    {
        var (sellerId, sellerToken) = await app.SignUp("seller", "Zhou Ming");
        var lotId = await app.CreateLot(sellerToken, "Yali pears", quantity: 30);
        var (agentId, _) = await app.SignUp("agent", "Dangshan east point");
        var pickup = new { kind = "pickup", pointId = await app.PointOf(agentId) };

        var seller = await app.OpenPageAs($"#/seller/orders/{lotId}", "en-US", ("seller", sellerId, sellerToken, "Zhou Ming"));
        await Expect(seller.Locator("#desk")).ToHaveTextAsync("No orders here.");
        // The desk watches the seller's orders from here on: the orders paid below arrive live.
        await Expect(seller.Locator("#connection")).ToHaveAttributeAsync("data-state", "live");
        var first = await PaidOrder(lotId, pickup);
        var second = await PaidOrder(lotId, pickup);
        var refunded = await PaidOrder(lotId, HomeAddress);
        var (_, codShopperToken) = await app.SignUp("shopper", "Cash buyer");
        var cashOnDelivery = (await app.Buy(codShopperToken, lotId, 1, "cash-on-delivery", HomeAddress)).GetProperty("orderId").GetString()!;
        var rows = seller.Locator("#desk li[data-order]");
        await Expect(rows).ToHaveCountAsync(4);
        ILocator Row(string orderId) => seller.Locator($"#desk li[data-order='{orderId}']");

        // Two packed orders shipped as one batch.
        foreach (var orderId in new[] { first, second, cashOnDelivery })
        {
            await Row(orderId).GetByRole(AriaRole.Button, new() { Name = "Pack" }).ClickAsync();
            await Expect(Row(orderId)).ToHaveAttributeAsync("data-status", "packed");
        }

        await Row(first).GetByRole(AriaRole.Checkbox).CheckAsync();
        await Row(second).GetByRole(AriaRole.Checkbox).CheckAsync();
        await seller.GetByRole(AriaRole.Button, new() { Name = "Ship selected (2)" }).ClickAsync();
        await Expect(seller.Locator("#desk-note")).ToHaveTextAsync("Shipped: 2.");
        await Expect(Row(first)).ToHaveAttributeAsync("data-status", "shipped");
        await Expect(Row(second)).ToHaveAttributeAsync("data-status", "shipped");
        await Expect(Row(cashOnDelivery)).ToHaveAttributeAsync("data-status", "packed");

        // Home delivery: shipped, then delivered (the cash is the seller's to hold).
        await Row(cashOnDelivery).GetByRole(AriaRole.Button, new() { Name = "Ship" }).ClickAsync();
        await Row(cashOnDelivery).GetByRole(AriaRole.Button, new() { Name = "Delivered" }).ClickAsync();
        await Expect(Row(cashOnDelivery)).ToHaveAttributeAsync("data-status", "delivered");

        // A cancel needs a reason: the server's message sits beside the field, then the refund.
        await Row(refunded).Locator("summary").ClickAsync();
        await Row(refunded).GetByRole(AriaRole.Button, new() { Name = "Cancel and refund" }).ClickAsync();
        await Expect(Row(refunded).Locator("[data-error-for=reason]")).Not.ToBeEmptyAsync();
        await Row(refunded).GetByLabel("Reason (the shopper sees it)").FillAsync("Hail damaged the crates");
        await Row(refunded).GetByRole(AriaRole.Button, new() { Name = "Cancel and refund" }).ClickAsync();
        await Expect(Row(refunded)).ToHaveAttributeAsync("data-status", "cancelled");
        await Expect(Row(refunded)).ToContainTextAsync("Reason: Hail damaged the crates");
        await LiveApp.Screenshot(seller, "seller-order-desk", docs: true);

        await seller.GetByLabel("Show", new() { Exact = true }).SelectOptionAsync("shipped");
        await Expect(rows).ToHaveCountAsync(2);
        var download = await seller.RunAndWaitForDownloadAsync(() => seller.GetByRole(AriaRole.Button, new() { Name = "Packing list (CSV)" }).ClickAsync());
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Equal($"packing-{lotId}.csv", download.SuggestedFilename);
        Assert.Contains(first, csv, StringComparison.Ordinal);
        Assert.Contains(second, csv, StringComparison.Ordinal);
        Assert.DoesNotContain(refunded, csv, StringComparison.Ordinal);

        // Three paid online (one refunded) and one paid in cash to the seller.
        await seller.GetByRole(AriaRole.Link, new() { Name = "Your lots, live" }).ClickAsync();
        await seller.GetByRole(AriaRole.Link, new() { Name = "Money: ledger, statements, cash from agents" }).ClickAsync();
        var ledger = seller.Locator("#ledger dl[data-currency=CNY]");
        await Expect(ledger.Locator("[data-stat=led_paid] dd")).ToHaveTextAsync("CN¥272.00");
        await Expect(ledger.Locator("[data-stat=led_refunded] dd")).ToHaveTextAsync("CN¥68.00");
        await Expect(ledger.Locator("[data-stat=led_gateway] dd")).ToHaveTextAsync("CN¥136.00");
        await Expect(ledger.Locator("[data-stat=led_heldBySeller] dd")).ToHaveTextAsync("CN¥68.00");
        await Expect(ledger.Locator("[data-stat=led_owed] dd")).ToHaveTextAsync("CN¥136.00");
        await Expect(seller.Locator("#statement li[data-kind=paid-via-gateway]")).ToHaveCountAsync(3);
        await Expect(seller.Locator("#statement li[data-kind=refund-via-gateway]")).ToHaveCountAsync(1);
        await Expect(seller.Locator("#statement li[data-kind=cash-held-by-seller]")).ToHaveCountAsync(1);
        await LiveApp.Screenshot(seller, "seller-ledger", docs: true);
        await seller.Context.CloseAsync();
    }

    [Fact]
    public async Task A_pickup_code_being_typed_survives_another_parcel_arriving_live()
    {
        var (_, sellerToken) = await app.SignUp("seller", "Sun Li");
        var lotId = await app.CreateLot(sellerToken, "Luochuan apples", quantity: 30);
        var (agentId, agentToken) = await app.SignUp("agent", "Luochuan market point", village: "Luochuan");
        var pickup = new { kind = "pickup", pointId = await app.PointOf(agentId) };
        var orders = new List<string>();
        foreach (var name in new[] { "Grandpa Wang", "Auntie Li" })
        {
            var (_, shopperToken) = await app.SignUp("shopper", name);
            var orderId = (await app.Buy(shopperToken, lotId, 1, "cash-on-delivery", pickup)).GetProperty("orderId").GetString()!;
            await app.Post(sellerToken, $"/api/seller/orders/{orderId}/pack");
            await app.Post(sellerToken, $"/api/seller/orders/{orderId}/ship");
            orders.Add(orderId);
        }

        await app.Post(agentToken, $"/api/agent/parcels/{orders[0]}/arrived");
        var agent = await app.OpenPageAs("#/agent/parcels", "en-US", ("agent", agentId, agentToken, "Luochuan market point"));
        var first = agent.Locator($"#parcels li[data-order='{orders[0]}']");
        await Expect(agent.Locator("#connection")).ToHaveAttributeAsync("data-state", "live");
        await first.GetByLabel("Pickup code the shopper tells you").FillAsync("1234");

        // The other parcel arrives (scanned on another device): the list redraws live, the digits stay.
        await app.Post(agentToken, $"/api/agent/parcels/{orders[1]}/arrived");
        await Expect(agent.Locator($"#parcels li[data-order='{orders[1]}']")).ToHaveAttributeAsync("data-status", "at-pickup-point");
        await Expect(first.GetByLabel("Pickup code the shopper tells you")).ToHaveValueAsync("1234");
        await agent.Context.CloseAsync();
    }

    [Fact]
    public async Task An_agent_receives_a_parcel_refuses_wrong_codes_until_the_seller_unlocks_hands_over_and_remits_the_cash_the_seller_confirms()
    {
        var (sellerId, sellerToken) = await app.SignUp("seller", "Sun Li");
        var lotId = await app.CreateLot(sellerToken, "Luochuan apples", quantity: 30);
        var (agentId, agentToken) = await app.SignUp("agent", "Luochuan market point", village: "Luochuan");
        var (_, shopperToken) = await app.SignUp("shopper", "Grandpa Wang");
        var orderId = (await app.Buy(shopperToken, lotId, 2, "cash-on-delivery", new { kind = "pickup", pointId = await app.PointOf(agentId) })).GetProperty("orderId").GetString()!;
        // The code the shopper reads on her order page and tells the agent.
        using var shopperHttp = app.Http(shopperToken);
        var code = (await shopperHttp.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}")).GetProperty("fulfilment").GetProperty("pickupCode").GetString()!;
        await app.Post(sellerToken, $"/api/seller/orders/{orderId}/pack");
        await app.Post(sellerToken, $"/api/seller/orders/{orderId}/ship");

        var agent = await app.OpenPageAs("#/agent/parcels", "en-US", ("agent", agentId, agentToken, "Luochuan market point"));
        var parcel = agent.Locator($"#parcels li[data-order='{orderId}']");
        await Expect(parcel).ToHaveAttributeAsync("data-status", "shipped");
        await Expect(parcel).ToContainTextAsync("2 × Luochuan apples");
        await Expect(parcel).ToContainTextAsync("Collect CN¥136.00 in cash");
        await parcel.GetByRole(AriaRole.Button, new() { Name = "Arrived" }).ClickAsync();
        await Expect(parcel).ToHaveAttributeAsync("data-status", "at-pickup-point");

        // Wrong codes: the server's refusals, and the parcel stays where it was, until the tries run out.
        var codeInput = parcel.GetByLabel("Pickup code the shopper tells you");
        var handOver = parcel.GetByRole(AriaRole.Button, new() { Name = "Hand over" });
        var refusal = parcel.Locator(".message");
        await codeInput.FillAsync(code == "000000" ? "111111" : "000000");
        foreach (var left in new[] { 4, 3, 2, 1 })
        {
            await handOver.ClickAsync();
            await Expect(refusal).ToContainTextAsync($"The pickup code is wrong; tries left: {left}.");
        }

        await handOver.ClickAsync();
        await Expect(refusal).ToHaveTextAsync("Too many wrong pickup codes: the seller must reset the order's code.");
        await Expect(parcel).ToHaveAttributeAsync("data-status", "at-pickup-point");
        await Expect(agent.Locator("#cash")).ToHaveTextAsync("No cash held.");

        // The seller unlocks the code from the order desk; the right code then hands the parcel over.
        var seller = await app.OpenPageAs($"#/seller/orders/{lotId}", "en-US", ("seller", sellerId, sellerToken, "Sun Li"));
        await seller.Locator($"#desk li[data-order='{orderId}']").GetByRole(AriaRole.Button, new() { Name = "Unlock the pickup code" }).ClickAsync();
        await Expect(seller.Locator("#desk-note")).ToHaveTextAsync($"Order {orderId[^6..]}: the agent may try the pickup code again.");
        await codeInput.FillAsync(code);
        await handOver.ClickAsync();
        await Expect(parcel).ToHaveAttributeAsync("data-status", "collected");
        var cash = agent.Locator($"#cash li[data-seller='{sellerId}']");
        await Expect(cash).ToContainTextAsync("For Luochuan apples");
        await Expect(cash.Locator(".held")).ToHaveTextAsync("Held: CN¥136.00");
        await LiveApp.Screenshot(agent, "agent-parcels", docs: true);

        await Expect(cash.GetByLabel("Amount handed to the seller")).ToHaveValueAsync("136.00");
        await cash.GetByRole(AriaRole.Button, new() { Name = "Record hand-over" }).ClickAsync();
        await Expect(cash.Locator(".pending")).ToHaveTextAsync("Awaiting the seller's confirmation: CN¥136.00");
        await Expect(cash.Locator(".held")).ToHaveTextAsync("Held: CN¥136.00");

        // The seller confirms the cash arrived; only then does the agent's held cash fall.
        await seller.GetByRole(AriaRole.Link, new() { Name = "Your lots, live" }).ClickAsync();
        await seller.GetByRole(AriaRole.Link, new() { Name = "Money: ledger, statements, cash from agents" }).ClickAsync();
        var ledger = seller.Locator("#ledger dl[data-currency=CNY]");
        await Expect(ledger.Locator("[data-stat=led_heldByAgents] dd")).ToHaveTextAsync("CN¥136.00");
        var remittance = seller.Locator("#remittances li[data-status=pending]");
        await Expect(remittance).ToContainTextAsync("CN¥136.00 · From Luochuan market point (Luochuan)");
        await remittance.GetByRole(AriaRole.Button, new() { Name = "I received it" }).ClickAsync();
        await Expect(seller.Locator("#remittances li[data-status=confirmed]")).ToHaveCountAsync(1);
        await Expect(ledger.Locator("[data-stat=led_remitted] dd")).ToHaveTextAsync("CN¥136.00");
        await Expect(ledger.Locator("[data-stat=led_heldByAgents] dd")).ToHaveTextAsync("CN¥0.00");

        await agent.ReloadAsync();
        await LiveApp.WaitReady(agent);
        await Expect(cash.Locator(".held")).ToHaveAttributeAsync("data-held", "0");
        await Expect(cash.Locator(".pending")).ToHaveCountAsync(0);
        await seller.Context.CloseAsync();
        await agent.Context.CloseAsync();
    }

    /// <summary>A new shopper's order of one unit, paid through the sandbox wallet.</summary>
    private async Task<string> PaidOrder(string lotId, object delivery)
    {
        var (_, shopperToken) = await app.SignUp("shopper", "Online buyer");
        var order = await app.Buy(shopperToken, lotId, 1, "wallet", delivery);
        await app.PayInSandbox(shopperToken, order);
        return order.GetProperty("orderId").GetString()!;
    }

    [GeneratedRegex("^[0-9]{6}$")]
    private static partial Regex SixDigits();
}
