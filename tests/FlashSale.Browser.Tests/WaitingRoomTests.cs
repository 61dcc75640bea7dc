using System.Text.RegularExpressions;
using FlashSale.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FlashSale.Browser.Tests;

/// <summary>A lot behind a waiting room, seen by shoppers in Chromium: the draw at the opening, turns, and holding only in turn.</summary>
[Collection(LiveAppCollection.Name)]
public sealed partial class WaitingRoomTests(LiveApp app)
{
    private static readonly LocatorAssertionsToHaveAttributeOptions Opening = new() { Timeout = 40_000 };

    [Fact]
    public async Task Shoppers_who_join_before_the_opening_are_drawn_admitted_in_turn_and_only_the_admitted_may_hold()
    {
        // The seller opens the sale in a few seconds behind a waiting room that lets one shopper in per
        // second: twelve places drawn at the opening, the last let in about 11 s after it.
        var (sellerId, sellerToken) = await app.SignUp("seller", "Gao Jun");
        var seller = await app.OpenPageAs("#/seller", "en-US", ("seller", sellerId, sellerToken, "Gao Jun"));
        await seller.GetByLabel("Produce").FillAsync("Luochuan apples");
        await seller.GetByLabel("Unit (e.g. box of 5 kg)", new() { Exact = true }).FillAsync("box (5 kg)");
        await seller.GetByLabel("Price per unit").FillAsync("56");
        await seller.GetByLabel("Quantity", new() { Exact = true }).FillAsync("30");
        await seller.GetByLabel("Limit per shopper").FillAsync("5");
        // The browser and the test share the machine's time zone; the field takes local time.
        var opening = DateTimeOffset.Now.AddSeconds(15);
        await seller.GetByLabel("Opens at (empty: now)").FillAsync(DateTimeLocalInput.Format(opening));
        await seller.GetByLabel("Waiting room: shoppers let in per second (empty: none)").FillAsync("1");
        await seller.GetByRole(AriaRole.Button, new() { Name = "Create lot" }).ClickAsync();
        var card = seller.Locator("#dashboard .dashboard").Filter(new() { HasText = "Luochuan apples" });
        await Expect(card.Locator(".badge")).ToHaveTextAsync("Opens soon");
        var lotId = await card.GetAttributeAsync("data-lot");
        await seller.Context.CloseAsync();

        var first = await JoinBeforeTheOpening(lotId, "Zhou Min");
        var second = await JoinBeforeTheOpening(lotId, "Wu Ting");
        await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            var (_, token) = await app.SignUp("shopper", $"Early shopper {i}");
            await app.JoinQueue(token, lotId!);
        }));

        // A third shopper opens the page before the opening and joins after it: at the back.
        var late = await app.OpenPage($"#/lot/{lotId}");
        await late.GetByLabel("Your name").FillAsync("Qian Hao");

        // The draw: each gets one of the places 1 to 12, not the same one.
        var firstPlace = first.Locator(".queue-place");
        var secondPlace = second.Locator(".queue-place");
        await Expect(firstPlace).ToHaveAttributeAsync("data-position", PlaceDrawn(), Opening);
        await Expect(secondPlace).ToHaveAttributeAsync("data-position", PlaceDrawn(), Opening);
        Assert.NotEqual(await firstPlace.GetAttributeAsync("data-position"), await secondPlace.GetAttributeAsync("data-position"));

        await late.GetByRole(AriaRole.Button, new() { Name = "Join the queue" }).ClickAsync();
        var lateRoom = late.Locator(".queue");
        await Expect(lateRoom).ToHaveAttributeAsync("data-state", "waiting");
        await Expect(late.Locator(".queue-place")).ToHaveAttributeAsync("data-position", "13");
        await Expect(late.Locator(".queue-place")).ToContainTextAsync(AheadOfYou());
        await Expect(late.Locator(".queue-timer")).ToContainTextAsync("Your turn in");
        var lateAdd = late.GetByRole(AriaRole.Button, new() { Name = "Add to cart" });
        await Expect(lateAdd).ToBeDisabledAsync();
        await Expect(late.Locator("#buy-reason")).ToHaveTextAsync("Not your turn yet: wait in the queue.");
        await LiveApp.Screenshot(late, "shopper-waiting-room", docs: true);

        // In turn, both drawn shoppers are admitted: add to cart opens, with the window counting down.
        foreach (var page in new[] { first, second })
        {
            await Expect(page.Locator(".queue")).ToHaveAttributeAsync("data-state", "admitted", Opening);
            await Expect(page.Locator(".queue-timer")).ToContainTextAsync("Your turn ends in");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Add to cart" })).ToBeEnabledAsync();
        }

        await LiveApp.Screenshot(first, "shopper-waiting-room-admitted");
        await first.GetByLabel("Quantity", new() { Exact = true }).FillAsync("2");
        await first.GetByRole(AriaRole.Button, new() { Name = "Add to cart" }).ClickAsync();
        await Expect(first.Locator("#hold")).ToContainTextAsync("Held for you: 2.");
        await Expect(first.Locator(".stock [data-available]")).ToHaveTextAsync("28 of 30 left");

        // A reload asks for the ticket again: the same place, still admitted.
        var place = await secondPlace.GetAttributeAsync("data-position");
        await second.ReloadAsync();
        await LiveApp.WaitReady(second);
        await Expect(second.Locator(".queue-place")).ToHaveAttributeAsync("data-position", place!);
        await Expect(second.Locator(".queue")).ToHaveAttributeAsync("data-state", "admitted");

        foreach (var page in new[] { first, second, late })
        {
            await page.Context.CloseAsync();
        }
    }

    private async Task<IPage> JoinBeforeTheOpening(string? lotId, string name)
    {
        var page = await app.OpenPage($"#/lot/{lotId}");
        var add = page.GetByRole(AriaRole.Button, new() { Name = "Add to cart" });
        await Expect(add).ToBeDisabledAsync();
        await Expect(page.Locator("#buy-reason")).ToHaveTextAsync("Join the queue first: add to cart opens when your turn comes.");
        await page.GetByLabel("Your name").FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Join the queue" }).ClickAsync();
        await Expect(page.Locator(".queue")).ToHaveAttributeAsync("data-state", "awaiting-draw");
        await Expect(page.Locator(".queue-state")).ToHaveTextAsync("You are in the queue. Places are drawn at the opening.");
        await Expect(page.Locator(".queue-timer")).ToContainTextAsync("Draw in");
        await Expect(add).ToBeDisabledAsync();
        await Expect(page.Locator("#buy-reason")).ToHaveTextAsync("Not your turn yet: places are drawn at the opening.");
        return page;
    }

    [GeneratedRegex("^([1-9]|1[0-2])$")]
    private static partial Regex PlaceDrawn();

    [GeneratedRegex(@"^Place 13 · \d+ ahead of you$")]
    private static partial Regex AheadOfYou();
}
