using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FlashSale.Api.Extensions;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Api.Tests.Payments;
using FlashSale.Lots;
using FlashSale.Orders;
using FlashSale.Payments;
using static FlashSale.Api.Tests.Infrastructure.SaleApi;

namespace FlashSale.Api.Tests.Apis;

/// <summary>
/// The contract's "Presale lots" through HTTP: a presale is created with its terms, checkout
/// takes the deposit, the seller declares a short harvest, the order pays its balance; and every
/// malformed term or declaration is a 400 that changes nothing.
/// </summary>
[Collection(PaymentsApiCollection.Name)]
public sealed class PresaleApiTests(PaymentsApiFactory api)
{
    [Fact]
    public async Task A_presale_goes_from_deposit_through_a_short_harvest_to_its_balance()
    {
        var seller = await api.SignUpSeller();
        var now = api.Clock.GetUtcNow();
        var lot = await CreatePresale(seller, new { harvestFrom = now.AddDays(1), harvestTo = now.AddDays(20), grade = "A", unitWeightGrams = 5000, weightTolerancePercent = 5 });
        Assert.Equal(LotKind.Presale, lot.Kind);
        Assert.Equal(new PresaleTerms(30, now.AddDays(1), now.AddDays(20), 48, PresaleAllocation.ProRata, "A", 5000, 5), lot.Presale);
        using (var raw = await api.CreateAnonymousClient().GetAsync(new Uri($"/api/lots/{lot.LotId}", UriKind.Relative)))
        {
            var json = await raw.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("presale", json.GetProperty("kind").GetString());
            Assert.Equal("pro-rata", json.GetProperty("presale").GetProperty("allocation").GetString());
        }

        var shopper = await api.SignUpShopper();
        await shopper.Hold(lot.LotId, 3);
        var order = await shopper.PlaceOrder("wallet");
        Assert.Equal((3 * 6800L, 3 * 2040L), (order.TotalMinor, order.Payment.AmountMinor!.Value)); // 30 % of 6800 per box
        await api.Complete(order.Payment.PaymentId);
        var deposited = await shopper.WaitFor(order.OrderId, OrderStatus.DepositPaid);
        Assert.Equal(3, deposited.Presale!.Ordered);
        Assert.Equal(new PresaleStats(10, 3, 2040, 3 * 2040), (await seller.GetStats(lot.LotId)).Presale); // the farmer's working capital

        api.Clock.Advance(TimeSpan.FromDays(2));
        using (var declared = await seller.Http.PostAsJsonAsync($"/api/lots/{lot.LotId}/harvest", new { quantity = 2 }, ApiJson.Options))
        {
            var answer = await declared.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(HttpStatusCode.OK, declared.StatusCode);
            Assert.Equal((lot.LotId, 2), (answer.GetProperty("lotId").GetString(), answer.GetProperty("declared").GetInt32()));
            var share = Assert.Single(answer.GetProperty("orders").EnumerateArray());
            Assert.Equal((order.OrderId, 3, 2), (share.GetProperty("orderId").GetString(), share.GetProperty("ordered").GetInt32(), share.GetProperty("allocated").GetInt32()));
        }

        var awaiting = await shopper.WaitFor(order.OrderId, OrderStatus.AwaitingBalance);
        using (var again = await seller.Http.GetAsync(new Uri($"/api/lots/{lot.LotId}/harvest", UriKind.Relative)))
        {
            var shares = (await again.ReadAs<JsonElement>()).GetProperty("orders");
            Assert.Equal(2, Assert.Single(shares.EnumerateArray()).GetProperty("allocated").GetInt32()); // the seller finds the shares again later
        }

        Assert.Equal(PaymentIds.BalanceFor(order.OrderId), awaiting.Payment.PaymentId);
        Assert.Equal((2 * (6800L - 2040), 2040L), (awaiting.Payment.AmountMinor!.Value, Assert.Single(awaiting.Refunds!).AmountMinor));
        using (var raw = await shopper.Http.GetAsync(new Uri($"/api/orders/{order.OrderId}", UriKind.Relative)))
        {
            var json = await raw.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("awaiting-balance", json.GetProperty("status").GetString());
            Assert.Equal(2040, json.GetProperty("refunds")[0].GetProperty("amountMinor").GetInt64());
        }

        await api.Complete(awaiting.Payment.PaymentId);
        var paid = await shopper.WaitFor(order.OrderId, OrderStatus.Paid);
        Assert.Equal(2 * 6800, paid.TotalMinor);
        var after = await seller.GetLot(lot.LotId);
        Assert.Equal((2, 0, 0, 2, LotStatus.Ended), (after.Quantity, after.Available, after.Reserved, after.Sold, after.Status));
        Assert.Equal(2, after.Harvest!.Declared);
        Assert.Equal(
            new PresaleStats(10, 3, 2040, 3 * 2040, Declared: 2, Allocated: 2, BalancesPaid: 1, BalancesPaidMinor: 2 * (6800 - 2040)),
            (await seller.GetStats(lot.LotId)).Presale);
    }

    [Fact]
    public async Task Only_the_presales_seller_declares_its_harvest_once_and_bad_declarations_change_nothing()
    {
        var seller = await api.SignUpSeller();
        var now = api.Clock.GetUtcNow();
        var lot = await CreatePresale(seller, new { harvestFrom = now.AddMinutes(1), harvestTo = now.AddDays(20) });
        var standard = await seller.CreateLot();
        api.Clock.Advance(TimeSpan.FromMinutes(2));

        using (var shopperTry = await (await api.SignUpShopper()).Http.PostAsJsonAsync($"/api/lots/{lot.LotId}/harvest", new { quantity = 1 }, ApiJson.Options))
        {
            await shopperTry.ReadProblem(HttpStatusCode.Forbidden, Problems.Forbidden);
        }

        using (var otherSeller = await (await api.SignUpSeller()).Http.PostAsJsonAsync($"/api/lots/{lot.LotId}/harvest", new { quantity = 1 }, ApiJson.Options))
        {
            await otherSeller.ReadProblem(HttpStatusCode.Forbidden, Problems.Forbidden);
        }

        foreach (var body in new object[] { new { }, new { quantity = -1 }, new { quantity = LotLimits.MaxQuantity + 1 } })
        {
            using var bad = await seller.Http.PostAsJsonAsync($"/api/lots/{lot.LotId}/harvest", body, ApiJson.Options);
            await bad.ReadProblem(HttpStatusCode.BadRequest, Problems.InvalidRequest);
        }

        using (var notPresale = await seller.Http.PostAsJsonAsync($"/api/lots/{standard.LotId}/harvest", new { quantity = 1 }, ApiJson.Options))
        {
            await notPresale.ReadProblem(HttpStatusCode.Conflict, Problems.Conflict);
        }

        Assert.Equal(lot.Quantity, (await seller.GetLot(lot.LotId)).Quantity);
        using (var first = await seller.Http.PostAsJsonAsync($"/api/lots/{lot.LotId}/harvest", new { quantity = 0 }, ApiJson.Options))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var second = await seller.Http.PostAsJsonAsync($"/api/lots/{lot.LotId}/harvest", new { quantity = 5 }, ApiJson.Options);
        await second.ReadProblem(HttpStatusCode.Conflict, Problems.Conflict);
        Assert.Equal(0, (await seller.GetLot(lot.LotId)).Harvest!.Declared);
    }

    [Fact]
    public async Task The_extra_harvest_goes_on_sale_as_a_new_lot_in_one_call()
    {
        var seller = await api.SignUpSeller();
        var now = api.Clock.GetUtcNow();
        var lot = await CreatePresale(seller, new { harvestFrom = now.AddDays(1), harvestTo = now.AddDays(20) });
        var shopper = await api.SignUpShopper();
        await shopper.Hold(lot.LotId, 2);
        var order = await shopper.PlaceOrder("wallet");
        await api.Complete(order.Payment.PaymentId);
        await shopper.WaitFor(order.OrderId, OrderStatus.DepositPaid);

        using (var early = await seller.Http.PostAsJsonAsync($"/api/lots/{lot.LotId}/surplus", new { }, ApiJson.Options))
        {
            await early.ReadProblem(HttpStatusCode.Conflict, Problems.Conflict);
        }

        api.Clock.Advance(TimeSpan.FromDays(2));
        using (var declared = await seller.Http.PostAsJsonAsync($"/api/lots/{lot.LotId}/harvest", new { quantity = 15 }, ApiJson.Options))
        {
            Assert.Equal(HttpStatusCode.OK, declared.StatusCode);
        }

        using (var bad = await seller.Http.PostAsJsonAsync($"/api/lots/{lot.LotId}/surplus", new { priceMinor = 0 }, ApiJson.Options))
        {
            await bad.ReadProblem(HttpStatusCode.BadRequest, Problems.InvalidRequest);
        }

        using (var stranger = await (await api.SignUpSeller()).Http.PostAsJsonAsync($"/api/lots/{lot.LotId}/surplus", new { }, ApiJson.Options))
        {
            await stranger.ReadProblem(HttpStatusCode.Forbidden, Problems.Forbidden);
        }

        Assert.Equal(13, (await seller.GetLot(lot.LotId)).Available);
        using var moved = await seller.Http.PostAsJsonAsync($"/api/lots/{lot.LotId}/surplus", new { priceMinor = 6000, perShopperLimit = 4 }, ApiJson.Options);
        var extra = await moved.ReadAs<Lot>(HttpStatusCode.Created);
        Assert.Equal((LotKind.Standard, 13, 13, 6000L, 4, LotStatus.Live), (extra.Kind, extra.Quantity, extra.Available, extra.PriceMinor, extra.PerShopperLimit, extra.Status));
        var presale = await seller.GetLot(lot.LotId);
        Assert.Equal((2, 0, 2), (presale.Quantity, presale.Available, presale.Sold));

        await (await api.SignUpShopper()).Hold(extra.LotId, 4); // on sale at once, as any lot
        using var again = await seller.Http.PostAsJsonAsync($"/api/lots/{lot.LotId}/surplus", new { }, ApiJson.Options);
        await again.ReadProblem(HttpStatusCode.Conflict, Problems.Conflict);
    }

    [Fact]
    public async Task A_seller_previews_the_allocation_then_declares_what_was_packed_and_bad_weights_change_nothing()
    {
        var seller = await api.SignUpSeller();
        var now = api.Clock.GetUtcNow();
        var lot = await CreatePresale(seller, new { harvestFrom = now.AddDays(1), harvestTo = now.AddDays(20), unitWeightGrams = 5000, weightTolerancePercent = 5 });
        var shopper = await api.SignUpShopper();
        await shopper.Hold(lot.LotId, 2);
        var order = await shopper.PlaceOrder("wallet");
        await api.Complete(order.Payment.PaymentId);
        await shopper.WaitFor(order.OrderId, OrderStatus.DepositPaid);
        api.Clock.Advance(TimeSpan.FromDays(2));

        using (var preview = await seller.Http.GetAsync(new Uri($"/api/lots/{lot.LotId}/harvest/preview?quantity=2", UriKind.Relative)))
        {
            var answer = await preview.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(2, Assert.Single(answer.GetProperty("orders").EnumerateArray()).GetProperty("allocated").GetInt32());
        }

        using (var noQuantity = await seller.Http.GetAsync(new Uri($"/api/lots/{lot.LotId}/harvest/preview", UriKind.Relative)))
        {
            await noQuantity.ReadProblem(HttpStatusCode.BadRequest, Problems.InvalidRequest);
        }

        foreach (var (packed, status, code) in new (object, HttpStatusCode, string)[]
        {
            (new Dictionary<string, long> { ["not-an-order"] = 10_000 }, HttpStatusCode.BadRequest, Problems.InvalidRequest),
            (new Dictionary<string, long> { [order.OrderId] = 0 }, HttpStatusCode.BadRequest, Problems.InvalidRequest),
            (new Dictionary<string, long> { [order.OrderId] = 11_000 }, HttpStatusCode.BadRequest, Problems.InvalidRequest), // 10 %: over the 5 % tolerance
        })
        {
            using var bad = await seller.Http.PostAsJsonAsync($"/api/lots/{lot.LotId}/harvest", new { quantity = 2, packedGrams = packed }, ApiJson.Options);
            await bad.ReadProblem(status, code);
        }

        Assert.Null((await seller.GetLot(lot.LotId)).Harvest);
        using (var declared = await seller.Http.PostAsJsonAsync($"/api/lots/{lot.LotId}/harvest", new { quantity = 2, packedGrams = new Dictionary<string, long> { [order.OrderId] = 10_400 } }, ApiJson.Options))
        {
            var share = Assert.Single((await declared.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orders").EnumerateArray());
            Assert.Equal((10_400, 544), (share.GetProperty("packedGrams").GetInt64(), share.GetProperty("adjustmentMinor").GetInt64())); // 6800 × 400 g ÷ 5000 g
        }

        var awaiting = await shopper.WaitFor(order.OrderId, OrderStatus.AwaitingBalance);
        Assert.Equal(((2 * (6800L - 2040)) + 544, (2 * 6800L) + 544), (awaiting.Payment.AmountMinor!.Value, awaiting.TotalMinor));
    }

    [Fact]
    public async Task A_shopper_the_harvest_cut_short_takes_up_the_sellers_offer_of_another_grade()
    {
        var seller = await api.SignUpSeller();
        var now = api.Clock.GetUtcNow();
        var window = new { harvestFrom = now.AddDays(1), harvestTo = now.AddDays(20) };
        var gradeA = await CreatePresale(seller, window);
        var gradeB = await CreatePresale(seller, window);
        var shopper = await api.SignUpShopper();
        await shopper.Hold(gradeA.LotId, 3);
        var order = await shopper.PlaceOrder("wallet");
        await api.Complete(order.Payment.PaymentId);
        await shopper.WaitFor(order.OrderId, OrderStatus.DepositPaid);
        api.Clock.Advance(TimeSpan.FromDays(2));
        foreach (var (lot, quantity) in new[] { (gradeA, 1), (gradeB, 5) })
        {
            using var declared = await seller.Http.PostAsJsonAsync($"/api/lots/{lot.LotId}/harvest", new { quantity }, ApiJson.Options);
            Assert.Equal(HttpStatusCode.OK, declared.StatusCode);
        }

        await shopper.WaitFor(order.OrderId, OrderStatus.AwaitingBalance);
        var offerRoute = $"/api/seller/orders/{order.OrderId}/substitute";
        foreach (var bad in new object[] { new { lotId = gradeB.LotId }, new { lotId = "lot_?", quantity = 1 }, new { quantity = 1 } })
        {
            using var refused = await seller.Http.PostAsJsonAsync(offerRoute, bad, ApiJson.Options);
            await refused.ReadProblem(HttpStatusCode.BadRequest, Problems.InvalidRequest);
        }

        using (var stranger = await (await api.SignUpSeller()).Http.PostAsJsonAsync(offerRoute, new { lotId = gradeB.LotId, quantity = 2 }, ApiJson.Options))
        {
            await stranger.ReadProblem(HttpStatusCode.NotFound, Problems.NotFound);
        }

        using (var offered = await seller.Http.PostAsJsonAsync(offerRoute, new { lotId = gradeB.LotId, quantity = 2 }, ApiJson.Options))
        {
            var substitute = (await offered.ReadAs<JsonElement>()).GetProperty("substitute");
            Assert.Equal(("offered", 2), (substitute.GetProperty("status").GetString(), substitute.GetProperty("quantity").GetInt32()));
        }

        Assert.Equal(3, (await seller.GetLot(gradeB.LotId)).Available);
        using var accepted = await shopper.Http.PostAsJsonAsync($"/api/orders/{order.OrderId}/substitute/accept", new { paymentMethod = "wallet" }, ApiJson.Options);
        var taken = await accepted.ReadAs<Order>(HttpStatusCode.Created);
        Assert.Equal((gradeB.LotId, 2, 2 * 6800L), (taken.Items.Single().LotId, taken.Items.Single().Quantity, taken.TotalMinor));
        await api.Complete(taken.Payment.PaymentId);
        await shopper.WaitFor(taken.OrderId, OrderStatus.Paid);
        Assert.Contains(taken.OrderId, (await shopper.ListOrders()).Select(o => o.OrderId));
        using var declineLate = await shopper.Http.PostAsync(new Uri($"/api/orders/{order.OrderId}/substitute/decline", UriKind.Relative), null);
        await declineLate.ReadProblem(HttpStatusCode.Conflict, Problems.Conflict);
    }

    public static TheoryData<string, string> BadTerms => new()
    {
        { """{"depositPercent":0}""", "depositPercent" },
        { """{"depositPercent":51}""", "depositPercent" },
        { """{"allocation":"lottery"}""", "allocation" },
        { """{"allocation":null}""", "allocation" },
        { """{"balanceWindowHours":0}""", "balanceWindowHours" },
        { """{"harvestFrom":null}""", "harvestFrom" },
        { """{"harvestTo":"2000-01-01T00:00:00Z"}""", "harvestTo" },
        { """{"weightTolerancePercent":5}""", "weightTolerancePercent" },
        { """{"weightTolerancePercent":30,"unitWeightGrams":500}""", "weightTolerancePercent" },
        { """{"kind":"auction"}""", "kind" },
        { """{"kind":null}""", "depositPercent" }, // presale terms on a standard lot are refused, not ignored
        { """{"kind":"standard"}""", "harvestFrom" },
    };

    [Theory]
    [MemberData(nameof(BadTerms))]
    public async Task A_malformed_presale_is_refused_with_the_field_named_and_nothing_is_created(string change, string field)
    {
        var seller = await api.SignUpSeller();
        var body = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(ValidPresaleJson(api.Clock.GetUtcNow()))!;
        foreach (var (key, value) in JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(change)!)
        {
            body[key] = value;
        }

        using var response = await seller.Http.PostAsJsonAsync("/api/lots", body, ApiJson.Options);

        var problem = await response.ReadProblem(HttpStatusCode.BadRequest, Problems.InvalidRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{field} is not named in {problem}");
        using var mine = await seller.Http.GetAsync(new Uri($"/api/lots?sellerId={seller.Id}", UriKind.Relative));
        Assert.Empty(await mine.ReadAs<Lot[]>());
    }

    private static string ValidPresaleJson(DateTimeOffset now) => JsonSerializer.Serialize(new
    {
        name = "Gannan navel oranges", unit = "box (5 kg)", priceMinor = 6800, currency = "CNY", quantity = 10, perShopperLimit = 5,
        kind = "presale", depositPercent = 30, harvestFrom = now.AddDays(1), harvestTo = now.AddDays(20), balanceWindowHours = 48, allocation = "pro-rata",
    }, ApiJson.Options);

    private async Task<Lot> CreatePresale(Caller seller, object overrides)
    {
        var body = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(ValidPresaleJson(api.Clock.GetUtcNow()))!;
        foreach (var (key, value) in JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(JsonSerializer.Serialize(overrides, ApiJson.Options))!)
        {
            body[key] = value;
        }

        using var response = await seller.Http.PostAsJsonAsync("/api/lots", body, ApiJson.Options);
        return await response.ReadAs<Lot>(HttpStatusCode.Created);
    }
}
