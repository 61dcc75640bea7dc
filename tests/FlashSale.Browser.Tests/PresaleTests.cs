using System.Text.Json;
using System.Text.RegularExpressions;
using FlashSale.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FlashSale.Browser.Tests;

/// <summary>
/// Presale lots in Chromium against the real app, with the engine's clock in hand: the seller
/// creates a presale in the form, shoppers pay their deposits, the clock moves into the harvest
/// window, the seller declares a short harvest and sees each order's share, and the shopper pays
/// the balance of what was allocated; the seller offers an order the harvest cut short another
/// grade, which its shopper takes up or declines.
/// </summary>
[Collection(ClockedLiveAppCollection.Name)]
public sealed class PresaleTests(ClockedLiveApp app)
{
    /// <summary>68.00 a box with a 30 % deposit: 20.40 a box now, the remaining 47.60 at harvest.</summary>
    private const long PriceMinor = 6800;

    [Fact]
    public async Task A_seller_creates_a_presale_in_the_form_sending_its_terms_and_sees_them_on_the_dashboard()
    {
        var seller = await app.OpenPage("#/seller");
        await seller.GetByLabel("Your name").FillAsync("Zhang Hua");
        await seller.GetByLabel("Village").FillAsync("Xinfeng");
        await seller.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        await seller.GetByLabel("Produce").FillAsync("Gannan navel oranges");
        await seller.GetByLabel("Unit (e.g. box of 5 kg)", new() { Exact = true }).FillAsync("box (5 kg)");
        await seller.GetByLabel("Price per unit").FillAsync("68");
        await seller.GetByLabel("Quantity", new() { Exact = true }).FillAsync("100");
        await seller.GetByLabel("Limit per shopper").FillAsync("5");

        var terms = seller.Locator("#presale-terms");
        await Expect(terms).ToBeHiddenAsync();
        await seller.GetByLabel("Presale (pay a deposit now, the balance at harvest)").CheckAsync();
        await Expect(terms).ToBeVisibleAsync();
        await Expect(terms.GetByLabel("Hours to pay the balance after the harvest (1–720)")).ToHaveValueAsync("48");
        var now = app.Clock.GetUtcNow();
        await terms.GetByLabel("Harvest from").FillAsync(DateTimeLocalInput.Format(now.AddDays(3)));
        await terms.GetByLabel("Harvest until").FillAsync(DateTimeLocalInput.Format(now.AddDays(10)));
        await terms.GetByLabel("First come").CheckAsync();
        await terms.GetByLabel("Grade (optional, e.g. A)").FillAsync("A");
        await terms.GetByLabel("Unit weight in grams (optional)").FillAsync("5000");
        await terms.GetByLabel("Weight tolerance in % (0–20, with a unit weight)").FillAsync("5");

        // More than half the price as a deposit: the server's message beside that field alone.
        await terms.GetByLabel("Deposit (% of the price, 1–50)").FillAsync("60");
        await seller.GetByRole(AriaRole.Button, new() { Name = "Create lot" }).ClickAsync();
        await Expect(seller.Locator("[data-error-for=depositPercent]")).Not.ToBeEmptyAsync();
        await Expect(seller.Locator("#f-depositPercent")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(seller.Locator("[data-error-for=harvestTo]")).ToBeEmptyAsync();
        await Expect(seller.Locator("[data-error-for=allocation]")).ToBeEmptyAsync();
        await LiveApp.Screenshot(seller, "seller-presale-form-errors");
        await Axe.AssertNoViolations(seller, "seller's presale form (en)");

        await terms.GetByLabel("Deposit (% of the price, 1–50)").FillAsync("30");
        var create = await seller.RunAndWaitForRequestAsync(
            () => seller.GetByRole(AriaRole.Button, new() { Name = "Create lot" }).ClickAsync(), request => request.Method == "POST" && request.Url.EndsWith("/api/lots", StringComparison.Ordinal));
        var body = JsonDocument.Parse(create.PostData!).RootElement;
        // Exactly the contract's fields: a presale's terms beside the lot's, nothing left empty sent.
        Assert.Equal(
            ["allocation", "balanceWindowHours", "currency", "depositPercent", "grade", "harvestFrom", "harvestTo", "kind", "name", "perShopperLimit",
                "priceMinor", "quantity", "unit", "unitWeightGrams", "weightTolerancePercent"],
            body.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(("presale", 30, "first-come", 48, 5000, 5), (body.GetProperty("kind").GetString(), body.GetProperty("depositPercent").GetInt32(),
            body.GetProperty("allocation").GetString(), body.GetProperty("balanceWindowHours").GetInt32(), body.GetProperty("unitWeightGrams").GetInt32(),
            body.GetProperty("weightTolerancePercent").GetInt32()));
        Assert.Equal(now.AddDays(3), body.GetProperty("harvestFrom").GetDateTimeOffset());

        var card = seller.Locator("#dashboard .dashboard").Filter(new() { HasText = "Gannan navel oranges" });
        await Expect(card.Locator(".presale-tags")).ToHaveTextAsync("Presale Grade A");
        await Expect(card.Locator(".presale-terms")).ToContainTextAsync("Deposit 30 %: CN¥20.40 per unit · Harvest: ");
        await Expect(card.Locator(".presale-terms")).ToContainTextAsync("First come");
        await Expect(card.Locator("[data-stat=forecast] dd")).ToHaveTextAsync("100");
        await Expect(card.Locator("[data-stat=deposits] dd")).ToHaveTextAsync("CN¥0.00");
        await Expect(card.GetByRole(AriaRole.Button, new() { Name = "Declare harvest" })).ToBeVisibleAsync();
        // The form is ready for the next lot, a standard one unless chosen again.
        await Expect(terms).ToBeHiddenAsync();
        await seller.Context.CloseAsync();
    }

    [Fact]
    public async Task A_shopper_pays_a_deposit_the_seller_declares_a_short_harvest_and_the_shopper_pays_the_balance_of_the_share()
    {
        var (agentId, _) = await app.SignUp("agent", "Xinfeng town point", village: "Xinfeng");
        var pickup = new { kind = "pickup", pointId = await app.PointOf(agentId) };
        var (sellerId, sellerToken) = await app.SignUp("seller", "Lai Ming", village: "Xinfeng");
        var now = app.Clock.GetUtcNow();
        var lot = await app.Post(sellerToken, "/api/lots", new
        {
            name = "Xinfeng navel oranges", unit = "box (5 kg)", priceMinor = PriceMinor, currency = "CNY", quantity = 20, perShopperLimit = 5,
            kind = "presale", depositPercent = 30, harvestFrom = now.AddDays(1), harvestTo = now.AddDays(15), balanceWindowHours = 48,
            allocation = "pro-rata", grade = "Special",
        });
        var lotId = lot.GetProperty("lotId").GetString()!;
        var sellerIdentity = ("seller", sellerId, sellerToken, "Lai Ming");
        var seller = await app.OpenPageAs("#/seller", "en-US", sellerIdentity);
        var card = seller.Locator($"#dashboard [data-lot='{lotId}']");
        await Expect(card.Locator("[data-stat=forecast] dd")).ToHaveTextAsync("20");

        // Another shopper's deposit, on 2 boxes, paid first.
        var (_, earlyToken) = await app.SignUp("shopper", "Early bird");
        var early = await app.Buy(earlyToken, lotId, 2, "wallet", pickup);
        await app.PayInSandbox(earlyToken, early);

        // The shopper learns what checkout takes before holding anything.
        var shopper = await app.OpenPage();
        var listed = shopper.Locator(".card").Filter(new() { HasText = "Xinfeng navel oranges" });
        await Expect(listed.Locator(".presale-tags")).ToHaveTextAsync("Presale Grade Special");
        await Expect(listed.Locator(".deposit-line")).ToHaveTextAsync("Deposit now: CN¥20.40 per unit, balance at harvest");
        await Expect(listed.Locator(".harvest-window")).ToContainTextAsync("Harvest: ");
        await shopper.GetByRole(AriaRole.Link, new() { Name = "Xinfeng navel oranges" }).ClickAsync();
        await Expect(shopper.Locator(".deposit-line")).ToHaveTextAsync("Deposit now: CN¥20.40 per unit, balance at harvest");
        await shopper.GetByLabel("Your name").FillAsync("Zeng Li");
        await shopper.GetByLabel("Quantity", new() { Exact = true }).FillAsync("3");
        await shopper.GetByRole(AriaRole.Button, new() { Name = "Add to cart" }).ClickAsync();
        await shopper.GetByRole(AriaRole.Link, new() { Name = "Go to cart" }).ClickAsync();

        // A presale is never paid on delivery: the cart does not offer it, and says what is due now.
        await Expect(shopper.Locator(".methods")).ToContainTextAsync("Mobile wallet");
        await Expect(shopper.Locator(".methods")).Not.ToContainTextAsync("Cash on delivery");
        await Expect(shopper.Locator("#deposit-due")).ToHaveTextAsync("CN¥61.20");
        await shopper.GetByLabel("Mobile wallet").CheckAsync();
        await shopper.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();
        var status = shopper.Locator("#order-status");
        await Expect(status).ToHaveAttributeAsync("data-status", "awaiting-payment");
        await Expect(shopper.Locator("#amount-due")).ToHaveTextAsync("CN¥61.20");
        await shopper.GetByRole(AriaRole.Button, new() { Name = "Pay in the wallet (sandbox)" }).ClickAsync();
        await Expect(status).ToHaveAttributeAsync("data-status", "deposit-paid");
        await Expect(status).ToHaveTextAsync("Deposit paid: waiting for the harvest");
        var orderId = shopper.Url[(shopper.Url.LastIndexOf('/') + 1)..];

        // The seller's card, live: 5 boxes ordered against the forecast of 20, their deposits in.
        await Expect(card.Locator("[data-stat=ordered] dd")).ToHaveTextAsync("5");
        await Expect(card.Locator("[data-stat=deposits] dd")).ToHaveTextAsync("CN¥102.00");

        // The same dashboard in Chinese.
        var sellerZh = await app.OpenPageAs("#/seller", "zh-CN", sellerIdentity);
        var cardZh = sellerZh.Locator($"#dashboard [data-lot='{lotId}']");
        await Expect(cardZh.Locator(".presale-tags")).ToHaveTextAsync("预售 等级 Special");
        await Expect(cardZh.Locator("[data-stat=deposits] dt")).ToHaveTextAsync("已收定金");
        await Expect(cardZh.Locator("[data-stat=deposits] dd")).ToContainTextAsync("102.00");
        await Expect(cardZh.GetByLabel("实际收成（件）")).ToBeVisibleAsync();
        await Expect(cardZh.GetByRole(AriaRole.Button, new() { Name = "申报收成" })).ToBeVisibleAsync();
        await LiveApp.Screenshot(sellerZh, "seller-presale-zh-CN", docs: true);
        await Axe.AssertNoViolations(sellerZh, "seller's presale dashboard (zh-CN)");
        await sellerZh.Context.CloseAsync();

        // Before the window opens the lot refuses, in its own words, in the form.
        var harvested = card.GetByLabel("Units harvested");
        var declare = card.GetByRole(AriaRole.Button, new() { Name = "Declare harvest" });
        await harvested.FillAsync("3");
        await declare.ClickAsync();
        await Expect(card.Locator(".harvest .message")).ToContainTextAsync("The harvest can be declared only within its window");
        await Expect(card.Locator(".harvest table")).ToHaveCountAsync(0);

        // Into the window: 3 boxes picked for 5 ordered, shared pro rata (3 × 3/5 = 1.8 and 3 × 2/5 = 1.2, the
        // last box to the larger remainder).
        app.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        await declare.ClickAsync();
        var harvest = card.Locator(".harvest");
        await Expect(harvest.Locator(".declared")).ToContainTextAsync("Harvest declared: 3 (");
        await Expect(harvest.Locator("tbody tr[data-order]")).ToHaveCountAsync(2);
        await Expect(harvest.Locator($"tr[data-order='{orderId}'] td")).ToHaveTextAsync(new[] { orderId[^6..], "3", "2" });
        await Expect(harvest.Locator($"tr[data-order='{early.GetProperty("orderId").GetString()}'] td").Nth(2)).ToHaveTextAsync("1");
        await Expect(harvest).ToBeFocusedAsync();
        // The lot is now the real harvest: all 3 boxes allocated, the sale over, nothing left to declare.
        await Expect(card.Locator(".badge[data-status]")).ToHaveTextAsync("Ended");
        await Expect(card.Locator("[data-stat=sold] dd")).ToHaveTextAsync("3");
        await Expect(card.Locator("[data-stat=available] dd")).ToHaveTextAsync("0");
        await Expect(card.Locator("[data-stat=forecast]")).ToHaveCountAsync(0);
        await Expect(card.Locator("[data-stat=allocatedOfDeclared] dd")).ToHaveTextAsync("3 of 3");
        await Expect(harvest.GetByRole(AriaRole.Button, new() { Name = "Declare harvest" })).ToHaveCountAsync(0);
        await LiveApp.Screenshot(seller, "seller-presale-harvest", docs: true);
        await Axe.AssertNoViolations(seller, "seller's declared harvest (en)");

        // The shopper's page, live: 2 of 3 boxes allocated, the balance on those two due, one deposit back.
        await Expect(status).ToHaveAttributeAsync("data-status", "awaiting-balance");
        await Expect(status).ToHaveTextAsync("Harvest allocated: pay the balance");
        await Expect(shopper.Locator("#amount-due")).ToHaveTextAsync("CN¥95.20");
        await Expect(shopper.Locator(".refund")).ToContainTextAsync("Refunded: CN¥20.40");
        await LiveApp.Screenshot(shopper, "shopper-presale-order", docs: true);
        await shopper.GetByRole(AriaRole.Button, new() { Name = "Pay in the wallet (sandbox)" }).ClickAsync();
        await Expect(status).ToHaveAttributeAsync("data-status", "paid");
        await Expect(shopper.Locator("#amount-due")).ToHaveCountAsync(0);
        await seller.Context.CloseAsync();
        await shopper.Context.CloseAsync();
    }

    [Fact]
    public async Task A_seller_offers_another_grade_to_orders_the_harvest_cut_short_one_shopper_takes_it_up_and_another_declines()
    {
        var (agentId, _) = await app.SignUp("agent", "Xinfeng town point", village: "Xinfeng");
        var pickup = new { kind = "pickup", pointId = await app.PointOf(agentId) };
        var (sellerId, sellerToken) = await app.SignUp("seller", "Lai Ming", village: "Xinfeng");
        var now = app.Clock.GetUtcNow();
        async Task<string> Grade(string grade, long priceMinor) => (await app.Post(sellerToken, "/api/lots", new
        {
            name = "Anyuan navel oranges", unit = "box (5 kg)", priceMinor, currency = "CNY", quantity = 10, perShopperLimit = 5,
            kind = "presale", depositPercent = 30, harvestFrom = now.AddDays(1), harvestTo = now.AddDays(15), balanceWindowHours = 48,
            allocation = "pro-rata", grade,
        })).GetProperty("lotId").GetString()!;
        var gradeA = await Grade("A", PriceMinor);
        var gradeB = await Grade("B", 5800);

        // Deposits on grade A: 3 boxes for Zeng Li, 2 for Qin Fang.
        var (zengId, zengToken) = await app.SignUp("shopper", "Zeng Li");
        var cut = await app.Buy(zengToken, gradeA, 3, "wallet", pickup);
        await app.PayInSandbox(zengToken, cut);
        var (qinId, qinToken) = await app.SignUp("shopper", "Qin Fang");
        var refunded = await app.Buy(qinToken, gradeA, 2, "wallet", pickup);
        await app.PayInSandbox(qinToken, refunded);
        var (cutId, refundedId) = (cut.GetProperty("orderId").GetString()!, refunded.GetProperty("orderId").GetString()!);

        // The farmer's figures before the harvest are the server's, brought up to date as the deposits come in.
        var seller = await app.OpenPageAs("#/seller", "en-US", ("seller", sellerId, sellerToken, "Lai Ming"));
        var cardA = seller.Locator($"#dashboard [data-lot='{gradeA}']");
        var cardB = seller.Locator($"#dashboard [data-lot='{gradeB}']");
        await Expect(cardA.Locator("[data-stat=forecast] dd")).ToHaveTextAsync("10");
        await Expect(cardA.Locator("[data-stat=ordered] dd")).ToHaveTextAsync("5");
        await Expect(cardA.Locator("[data-stat=deposits] dd")).ToHaveTextAsync("CN¥102.00");

        // Grade A yields 1 box for the 5 ordered (pro rata: Zeng Li 0.6, Qin Fang 0.4, the box to the larger
        // remainder), grade B 3 boxes that nobody ordered.
        app.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        await app.Post(sellerToken, $"/api/lots/{gradeA}/harvest", new { quantity = 1 });
        await app.Post(sellerToken, $"/api/lots/{gradeB}/harvest", new { quantity = 3 });

        // After a reload the card shows the shares and where every balance stands.
        await seller.ReloadAsync();
        await LiveApp.WaitReady(seller);
        var shares = cardA.Locator(".harvest");
        await Expect(shares.Locator($"tr[data-order='{cutId}'] td")).ToHaveTextAsync(new[] { cutId[^6..], "3", "1" });
        await Expect(shares.Locator($"tr[data-order='{refundedId}'] td")).ToHaveTextAsync(new[] { refundedId[^6..], "2", "0" });
        await Expect(cardA.Locator("[data-stat=allocatedOfDeclared] dd")).ToHaveTextAsync("1 of 1");
        await Expect(cardA.Locator("[data-stat=balancesPaid] dt")).ToHaveTextAsync("Balances paid");
        await Expect(cardA.Locator("[data-stat=balancesPaid] dd")).ToHaveTextAsync("0 of 1 · CN¥0.00");
        await Expect(cardA.Locator("[data-stat=balancesOutstanding] dd")).ToHaveTextAsync("1 · CN¥47.60");
        await Expect(cardA.Locator("[data-stat=refundedOrders] dd")).ToHaveTextAsync("1");
        await Expect(cardA.Locator("[data-stat=forfeitedOrders] dd")).ToHaveTextAsync("0");
        await Expect(cardA.Locator("[data-stat=deposits] dd")).ToHaveTextAsync("CN¥102.00");
        await Expect(cardB.Locator("[data-stat=available] dd")).ToHaveTextAsync("3");

        // One of grade B's boxes offered to Zeng Li, in the row below her share; one to Qin Fang through the API.
        var offer = shares.Locator($"[data-offer-for='{cutId}']");
        await offer.GetByText("Offer another grade").ClickAsync();
        await Expect(offer.GetByLabel("Grade to offer")).ToHaveValueAsync(gradeB);
        await Expect(offer.GetByLabel("Grade to offer").Locator("option")).ToHaveTextAsync(new[] { "Anyuan navel oranges · Grade B · 3 of 3 left" });
        await Expect(offer.GetByLabel("Units (at most 2)")).ToHaveValueAsync("2");
        await Axe.AssertNoViolations(seller, "seller's offer of another grade (en)");
        await offer.GetByLabel("Units (at most 2)").FillAsync("1");
        await offer.GetByRole(AriaRole.Button, new() { Name = "Send offer" }).ClickAsync();
        await Expect(offer.Locator(".message")).ToContainTextAsync("Offered: 1 × Anyuan navel oranges · Grade B, until ");
        await app.Post(sellerToken, $"/api/seller/orders/{refundedId}/substitute", new { lotId = gradeB, quantity = 1 });

        // Zeng Li's order: the way it came, the offer, and how it may be paid (never on delivery).
        var shopper = await app.OpenPageAs($"#/order/{cutId}", "en-US", ("shopper", zengId, zengToken, "Zeng Li"));
        var status = shopper.Locator("#order-status");
        await Expect(status).ToHaveAttributeAsync("data-status", "awaiting-balance");
        var progress = shopper.Locator(".presale-progress");
        await Expect(progress.Locator("[data-step=deposit]")).ToHaveTextAsync("Deposit paid: CN¥61.20");
        await Expect(progress.Locator("[data-step=harvest]")).ToHaveTextAsync("Harvest allocated: 1 of 3");
        await Expect(progress.Locator(".refund span")).ToHaveTextAsync(new Regex("^Refunded: CN¥40.80 "));
        await Expect(progress.Locator("[data-step=balance]")).ToContainTextAsync("Balance CN¥47.60 due by ");
        var substitute = shopper.Locator("#substitute");
        await Expect(substitute.Locator("#substitute-offer")).ToContainTextAsync("The seller offers 1 × Anyuan navel oranges · Grade B at CN¥58.00 each instead; reply by ");
        await Expect(substitute.Locator(".methods")).ToContainTextAsync("Mobile wallet");
        await Expect(substitute.Locator(".methods")).Not.ToContainTextAsync("Cash on delivery");
        await LiveApp.Screenshot(shopper, "shopper-presale-substitute", docs: true);
        await Axe.AssertNoViolations(shopper, "shopper's offer of another grade (en)");

        // Accepted with the wallet: the new order, for the box of grade B at its full price, paid in the sandbox.
        await substitute.GetByLabel("Mobile wallet").CheckAsync();
        await substitute.GetByRole(AriaRole.Button, new() { Name = "Accept and order" }).ClickAsync();
        await Expect(shopper).Not.ToHaveURLAsync(new Regex(cutId));
        await Expect(status).ToHaveAttributeAsync("data-status", "awaiting-payment");
        await Expect(shopper.Locator(".total strong").First).ToHaveTextAsync("CN¥58.00");
        await shopper.GetByRole(AriaRole.Button, new() { Name = "Pay in the wallet (sandbox)" }).ClickAsync();
        await Expect(status).ToHaveAttributeAsync("data-status", "paid");

        // Back on her presale order, the offer is settled, and she pays the balance of her one box.
        await shopper.GotoAsync($"/#/order/{cutId}");
        await Expect(substitute).ToHaveAttributeAsync("data-status", "accepted");
        await Expect(substitute).ToContainTextAsync("You accepted 1 × Anyuan navel oranges · Grade B: it is a new order.");
        await shopper.GetByRole(AriaRole.Button, new() { Name = "Pay in the wallet (sandbox)" }).ClickAsync();
        await Expect(status).ToHaveAttributeAsync("data-status", "paid");
        await Expect(progress.Locator("[data-step=balance]")).ToHaveTextAsync("Balance paid: CN¥47.60");

        // Qin Fang, refunded whole, declines hers: its box goes back to grade B.
        var declining = await app.OpenPageAs($"#/order/{refundedId}", "en-US", ("shopper", qinId, qinToken, "Qin Fang"));
        await Expect(declining.Locator("#order-status")).ToHaveAttributeAsync("data-status", "refunded");
        await Expect(declining.Locator(".presale-progress [data-step=balance]")).ToHaveCountAsync(0);
        await declining.GetByRole(AriaRole.Button, new() { Name = "Decline", Exact = true }).ClickAsync();
        await Expect(declining.Locator("#substitute")).ToHaveAttributeAsync("data-status", "declined");
        await Expect(declining.Locator("#substitute")).ToContainTextAsync("You declined the seller's offer of 1 × Anyuan navel oranges · Grade B.");

        // The seller's figures after a reload: the balance paid, one box of grade B sold and two left.
        await seller.ReloadAsync();
        await LiveApp.WaitReady(seller);
        await Expect(cardA.Locator("[data-stat=balancesPaid] dd")).ToHaveTextAsync("1 of 1 · CN¥47.60");
        await Expect(cardA.Locator("[data-stat=balancesOutstanding] dd")).ToHaveTextAsync("0 · CN¥0.00");
        await Expect(cardB.Locator("[data-stat=sold] dd")).ToHaveTextAsync("1");
        await Expect(cardB.Locator("[data-stat=available] dd")).ToHaveTextAsync("2");
        await seller.Context.CloseAsync();
        await shopper.Context.CloseAsync();
        await declining.Context.CloseAsync();
    }

    [Fact]
    public async Task A_village_agent_is_offered_no_cash_on_delivery_for_a_villagers_presale()
    {
        var (_, sellerToken) = await app.SignUp("seller", "Lai Ming", village: "Xinfeng");
        var now = app.Clock.GetUtcNow();
        await app.Post(sellerToken, "/api/lots", new
        {
            name = "Xinfeng pomelos", unit = "box (5 kg)", priceMinor = PriceMinor, currency = "CNY", quantity = 40, perShopperLimit = 5,
            kind = "presale", depositPercent = 30, harvestFrom = now.AddDays(1), harvestTo = now.AddDays(15), balanceWindowHours = 48, allocation = "first-come",
        });
        var agent = await app.OpenPage("#/agent");
        await agent.GetByLabel("Your name").FillAsync("Liu Yang");
        await agent.GetByLabel("Village").FillAsync("Xinfeng");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        await agent.GetByLabel("Villager's name").FillAsync("Grandma Zhao");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Register villager" }).ClickAsync();
        var methods = agent.Locator("#villager-checkout .methods");
        await Expect(methods).ToContainTextAsync("Cash on delivery"); // an empty cart: every method

        await agent.GetByLabel("Lot", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Xinfeng pomelos · CN¥68.00 / box (5 kg)" });
        await agent.GetByLabel("Quantity", new() { Exact = true }).FillAsync("2");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Hold", Exact = true }).ClickAsync();
        await Expect(agent.Locator("#villager-cart .cart-line")).ToHaveCountAsync(1);
        await Expect(methods.GetByLabel("Cash on delivery")).ToBeHiddenAsync();
        await agent.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();
        await Expect(agent.Locator("#villager-orders li[data-order]")).ToHaveAttributeAsync("data-status", "awaiting-payment");
        await agent.Context.CloseAsync();
    }
}
