using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FlashSale.Api.Extensions;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Common;
using FlashSale.Lots;
using static FlashSale.Api.Tests.Infrastructure.SaleApi;

namespace FlashSale.Api.Tests.Apis;

/// <summary>Produce lots: anyone looks, the seller who created a lot manages it.</summary>
[Collection(LotsApiCollection.Name)]
public sealed class LotsApiTests(FlashSaleApiFactory api)
{
    [Fact]
    public async Task Creating_a_lot_answers_201_with_its_location_and_a_live_lot()
    {
        var seller = await api.SignUpSeller();

        using var response = await seller.Http.PostAsJsonAsync("/api/lots", new
        {
            name = "Dangshan honey pears",
            unit = "box (5 kg)",
            priceMinor = 6800,
            currency = "CNY",
            quantity = 200,
            perShopperLimit = 2,
        }, ApiJson.Options);
        var lot = await response.ReadAs<Lot>(HttpStatusCode.Created);

        Assert.Equal(new Uri($"/api/lots/{lot.LotId}", UriKind.Relative), response.Headers.Location);
        Assert.True(Ids.IsWellFormed(lot.LotId, Ids.LotPrefix), lot.LotId);
        Assert.Equal(
            new Lot(lot.LotId, seller.Id, "Dangshan honey pears", "box (5 kg)", 6800, "CNY", 200, 200, 0, 0, 2, LotStatus.Live, api.Clock.GetUtcNow(), null, 1, PhoneCode: lot.PhoneCode),
            lot);
        Assert.True(lot.PhoneCode >= 101, $"phone code {lot.PhoneCode}");
    }

    [Fact]
    public async Task Every_lot_gets_its_own_phone_code_and_keeps_it_through_an_edit()
    {
        var sellers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => api.SignUpSeller()));
        var lots = await Task.WhenAll(sellers.SelectMany(s => Enumerable.Range(0, 4).Select(_ => s.CreateLot(startsAt: api.Clock.GetUtcNow().AddDays(1)))));

        Assert.Equal(lots.Length, lots.Select(l => l.PhoneCode).Distinct().Count());
        Assert.All(lots, l => Assert.NotNull(l.PhoneCode));
        var edited = await sellers[0].Edit(lots[0].LotId, new { priceMinor = 7200 });
        Assert.Equal(lots[0].PhoneCode, edited.PhoneCode);
    }

    [Fact]
    public async Task A_created_lot_is_listed_and_can_be_read_by_anyone()
    {
        var seller = await api.SignUpSeller();
        var first = await seller.CreateLot(name: "Gannan navel oranges");
        var second = await seller.CreateLot(name: "Zhouzhi kiwifruit");
        using var anonymous = api.CreateAnonymousClient();

        var listed = await anonymous.GetFromJsonAsync<Lot[]>("/api/lots", ApiJson.Options);

        Assert.NotNull(listed);
        Assert.Contains(first, listed);
        Assert.Contains(second, listed);
        Assert.Equal(first, await anonymous.GetLot(first.LotId));
    }

    [Fact]
    public async Task A_lot_has_exactly_the_contract_fields()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(endsAt: api.Clock.GetUtcNow().AddHours(2));
        using var anonymous = api.CreateAnonymousClient();

        var json = await anonymous.GetFromJsonAsync<JsonElement>($"/api/lots/{lot.LotId}", ApiJson.Options);

        string[] contract = ["lotId", "sellerId", "name", "unit", "priceMinor", "currency", "quantity", "available", "reserved", "sold", "perShopperLimit", "status", "startsAt", "endsAt", "version", "kind"];
        string[] additions = ["phoneCode"]; // the phone channel's short number (docs/api.md, Lots)
        Assert.Equal(contract.Concat(additions).ToHashSet(), ApiJson.PropertyNames(json));
        Assert.Equal(JsonValueKind.Number, json.GetProperty("phoneCode").ValueKind);
        Assert.Equal("standard", json.GetProperty("kind").GetString());
        Assert.Equal("live", json.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Number, json.GetProperty("priceMinor").ValueKind);
        Assert.Equal(TimeSpan.Zero, DateTimeOffset.Parse(json.GetProperty("startsAt").GetString()!, CultureInfo.InvariantCulture).Offset);
        Assert.Equal(JsonValueKind.String, json.GetProperty("endsAt").ValueKind);
    }

    [Fact]
    public async Task A_lot_that_starts_later_is_scheduled_until_its_start()
    {
        var seller = await api.SignUpSeller();
        var shopper = await api.SignUpShopper();
        var lot = await seller.CreateLot(startsAt: api.Clock.GetUtcNow().AddHours(1));
        Assert.Equal(LotStatus.Scheduled, lot.Status);

        using var early = await shopper.SetItem(lot.LotId, 1);
        await early.ReadProblem(HttpStatusCode.Conflict, Problems.SaleNotLive);

        api.Clock.Advance(TimeSpan.FromHours(1));
        var opened = await shopper.GetLot(lot.LotId);
        Assert.Equal(LotStatus.Live, opened.Status);
        Assert.True(opened.Version > lot.Version);
        await shopper.Hold(lot.LotId, 1);
    }

    [Fact]
    public async Task A_lot_ends_at_its_end_and_takes_no_more_holds()
    {
        var seller = await api.SignUpSeller();
        var shopper = await api.SignUpShopper();
        var lot = await seller.CreateLot(endsAt: api.Clock.GetUtcNow().AddMinutes(30));

        api.Clock.Advance(TimeSpan.FromMinutes(30));

        Assert.Equal(LotStatus.Ended, (await shopper.GetLot(lot.LotId)).Status);
        using var late = await shopper.SetItem(lot.LotId, 1);
        await late.ReadProblem(HttpStatusCode.Conflict, Problems.SaleNotLive);
    }

    [Fact]
    public async Task Pausing_stops_new_holds_and_resuming_restarts_them()
    {
        var seller = await api.SignUpSeller();
        var shopper = await api.SignUpShopper();
        var lot = await seller.CreateLot(quantity: 10);

        var paused = await seller.Act(lot.LotId, "pause");
        Assert.Equal(LotStatus.Paused, paused.Status);
        Assert.True(paused.Version > lot.Version);
        using var refused = await shopper.SetItem(lot.LotId, 1);
        await refused.ReadProblem(HttpStatusCode.Conflict, Problems.SaleNotLive);
        Assert.Equal(10, (await shopper.GetLot(lot.LotId)).Available);

        var resumed = await seller.Act(lot.LotId, "resume");
        Assert.Equal(LotStatus.Live, resumed.Status);
        Assert.True(resumed.Version > paused.Version);
        await shopper.Hold(lot.LotId, 1);
        Assert.Equal(9, (await shopper.GetLot(lot.LotId)).Available);
    }

    [Fact]
    public async Task Restocking_grows_quantity_and_available_and_reopens_a_sold_out_lot()
    {
        var seller = await api.SignUpSeller();
        var shopper = await api.SignUpShopper();
        var lot = await seller.CreateLot(quantity: 2, perShopperLimit: 2);
        await shopper.Hold(lot.LotId, 2);
        Assert.Equal(LotStatus.SoldOut, (await shopper.GetLot(lot.LotId)).Status);

        var restocked = await seller.Restock(lot.LotId, 30);

        Assert.Equal((32, 30, 2, 0, LotStatus.Live), (restocked.Quantity, restocked.Available, restocked.Reserved, restocked.Sold, restocked.Status));
        AssertInvariant(restocked);
    }

    [Fact]
    public async Task The_owner_sees_sales_reservations_and_sell_through()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 20, perShopperLimit: 5, priceMinor: 4500);
        var cashBuyer = await api.SignUpShopper();
        await cashBuyer.Hold(lot.LotId, 3);
        await cashBuyer.PlaceOrder("cash-on-delivery");
        var holder = await api.SignUpShopper();
        await holder.Hold(lot.LotId, 2);

        var stats = await seller.GetStats(lot.LotId);

        var now = api.Clock.GetUtcNow();
        var minute = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        Assert.Equal((lot.LotId, 3, 2, 15, 3 * 4500L, 1), (stats.LotId, stats.Sold, stats.Reserved, stats.Available, stats.RevenueMinor, stats.PaidOrders));
        Assert.Equal(new[] { new SellThroughPoint(minute, 3) }, stats.SellThrough);
    }

    [Fact]
    public async Task Stats_have_the_contract_fields()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot();

        var json = await seller.Http.GetFromJsonAsync<JsonElement>($"/api/lots/{lot.LotId}/stats", ApiJson.Options);

        string[] contract = ["lotId", "sold", "reserved", "available", "revenueMinor", "paidOrders", "sellThrough"];
        string[] additions = ["holdsExpiringSoon"];
        Assert.Equal(contract.Concat(additions).ToHashSet(), ApiJson.PropertyNames(json));
    }

    [Fact]
    public async Task Stats_count_the_held_units_whose_hold_ends_within_a_minute()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 20, perShopperLimit: 5);
        var early = await api.SignUpShopper();
        await early.Hold(lot.LotId, 3);
        var fresh = await seller.GetStats(lot.LotId);
        Assert.Equal((3, 0), (fresh.Reserved, fresh.HoldsExpiringSoon));

        // Holds last 10 minutes: 9.5 minutes on, the early hold ends within the minute, the later one does not.
        api.Clock.Advance(TimeSpan.FromMinutes(5));
        var late = await api.SignUpShopper();
        await late.Hold(lot.LotId, 2);
        api.Clock.Advance(TimeSpan.FromMinutes(4.5));

        var stats = await seller.GetStats(lot.LotId);

        Assert.Equal((5, 3), (stats.Reserved, stats.HoldsExpiringSoon));
    }

    [Theory]
    [MemberData(nameof(ContractRoutes.WrongRoles), ContractRoutes.Lots, MemberType = typeof(ContractRoutes))]
    public Task Only_a_seller_may_create_or_manage_lots(string route, string role) =>
        ContractRoutes.AssertForbiddenAndUnchanged(api, route, role);

    [Theory]
    [InlineData("POST", "pause")]
    [InlineData("POST", "resume")]
    [InlineData("POST", "restock")]
    [InlineData("GET", "stats")]
    public async Task Another_seller_may_not_manage_or_read_the_stats_of_a_lot(string method, string action)
    {
        var scene = await Scene.Create(api);
        var stranger = await api.SignUpSeller("Chen Jie");
        var before = await scene.Snapshot();

        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri($"/api/lots/{scene.Lot.LotId}/{action}", UriKind.Relative));
        if (action == "restock")
        {
            request.Content = JsonContent.Create(new { quantity = 10 }, options: ApiJson.Options);
        }

        using var response = await stranger.Http.SendAsync(request);

        await response.ReadProblem(HttpStatusCode.Forbidden, Problems.Forbidden);
        Assert.Equal(before, await scene.Snapshot());
    }
}
