using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using FlashSale.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FlashSale.Browser.Tests;

/// <summary>
/// A checkout the server carried out but answered with something that settles nothing: a 503 (a
/// busy engine missed its deadline; the 100,000-shopper surge saw 788–929 of them) or a 409
/// "the first try still runs". Pressing "Place order" again must answer that order, not a second
/// checkout of a cart that is already empty.
/// </summary>
[Collection(LiveAppCollection.Name)]
public sealed partial class CheckoutRetryTests(LiveApp app)
{
    [Theory]
    [InlineData(503, "unavailable")]
    [InlineData(409, "idempotency-key-in-flight")] // what a retry meets while the first try still runs
    public async Task A_checkout_whose_answer_said_nothing_final_is_retried_as_the_same_order(int status, string problem)
    {
        var (_, sellerToken) = await app.SignUp("seller", "He Jun");
        var lotId = await app.CreateLot(sellerToken, "Yali pears", 10);
        var (shopperId, shopperToken) = await app.SignUp("shopper", "Ma Lin");
        await app.Hold(shopperToken, lotId, 2);
        var keys = new List<string>();
        var firstStatus = 0;
        var page = await app.OpenPageAs("#/cart", "en-US", context => context.RouteAsync("**/api/checkout", async route =>
        {
            keys.Add(route.Request.Headers["idempotency-key"]);
            if (keys.Count > 1)
            {
                await route.ContinueAsync();
                return;
            }

            // The checkout reaches the server and is carried out; its answer is replaced by one that settles nothing.
            var carriedOut = await route.FetchAsync();
            firstStatus = carriedOut.Status;
            if (firstStatus != 201)
            {
                await route.FulfillAsync(new RouteFulfillOptions { Response = carriedOut });
                return;
            }

            await route.FulfillAsync(new RouteFulfillOptions
            {
                Status = status,
                ContentType = "application/problem+json",
                Headers = new Dictionary<string, string> { ["Retry-After"] = "1" },
                Body = $$"""{"type":"urn:flashsale:problem:{{problem}}","title":"Not settled yet; try again in a moment.","status":{{status}}}""",
            });
        }), ("shopper", shopperId, shopperToken, "Ma Lin"));
        await page.GetByLabel("Home delivery").CheckAsync();
        await page.GetByLabel("Recipient's name").FillAsync("Ma Lin");
        await page.GetByLabel("Phone", new() { Exact = true }).FillAsync("+8613812345678");
        await page.GetByLabel("Address (street, house number)").FillAsync("12 Orchard Lane");
        await page.GetByLabel("Village", new() { Exact = true }).FillAsync("Dangshan");
        await page.GetByLabel("County and province").FillAsync("Dangshan, Anhui");
        var placeOrder = page.GetByRole(AriaRole.Button, new() { Name = "Place order" });

        await placeOrder.ClickAsync();
        await Expect(placeOrder).ToBeEnabledAsync();
        Assert.Equal(201, firstStatus);
        await placeOrder.ClickAsync();

        await Expect(page).ToHaveURLAsync(OrderPage());
        Assert.Equal(2, keys.Count);
        Assert.Equal(keys[0], keys[1]);
        using var http = app.Http(shopperToken);
        var orders = await http.GetFromJsonAsync<JsonElement>("/api/orders");
        var only = Assert.Single(orders.EnumerateArray());
        Assert.EndsWith(only.GetProperty("orderId").GetString()!, page.Url, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [GeneratedRegex("#/order/ord_")]
    private static partial Regex OrderPage();
}
