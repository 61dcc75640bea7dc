using System.Net;
using System.Net.Http.Json;
using FlashSale.Api.Extensions;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Api.Tests.Payments;
using FlashSale.Lots;
using FlashSale.WaitingRooms;
using static FlashSale.Api.Tests.Infrastructure.SaleApi;

namespace FlashSale.Api.Tests.Apis;

/// <summary>
/// <c>PATCH /api/lots/{lotId}</c> (terms, before opening) and <c>POST /api/lots/{lotId}/end</c>:
/// what changes, what a shopper who looked earlier meets, and what stands after the end.
/// </summary>
[Collection(LotsApiCollection.Name)]
public sealed class LotEditAndEndApiTests(FlashSaleApiFactory api)
{
    [Fact]
    public async Task Before_it_opens_the_seller_changes_a_lots_terms_and_everyone_sees_them()
    {
        var seller = await api.SignUpSeller();
        var now = api.Clock.GetUtcNow();
        var lot = await seller.CreateLot(quantity: 50, perShopperLimit: 5, startsAt: now.AddHours(1));

        var edited = await seller.Edit(lot.LotId, new
        {
            name = "Dangshan honey pears, grade A", unit = "box (6 kg)", priceMinor = 7200, perShopperLimit = 3,
            startsAt = now.AddHours(2), endsAt = now.AddHours(5),
        });

        Assert.Equal(
            lot with
            {
                Name = "Dangshan honey pears, grade A", Unit = "box (6 kg)", PriceMinor = 7200, PerShopperLimit = 3,
                StartsAt = now.AddHours(2), EndsAt = now.AddHours(5), Version = edited.Version,
            },
            edited);
        Assert.True(edited.Version > lot.Version);
        Assert.Equal(edited, await api.CreateAnonymousClient().GetLot(lot.LotId));

        var partly = await seller.Edit(lot.LotId, new { priceMinor = 7000 });
        Assert.Equal(edited with { PriceMinor = 7000, Version = partly.Version }, partly);
    }

    [Fact]
    public async Task A_shopper_who_looked_before_an_edit_holds_on_the_new_terms()
    {
        var seller = await api.SignUpSeller();
        var shopper = await api.SignUpShopper();
        var lot = await seller.CreateLot(quantity: 50, perShopperLimit: 5, priceMinor: 6800, startsAt: api.Clock.GetUtcNow().AddHours(1));
        using (var early = await shopper.SetItem(lot.LotId, 3))
        {
            await early.ReadProblem(HttpStatusCode.Conflict, Problems.SaleNotLive); // the cart has read the lot's terms
        }

        await seller.Edit(lot.LotId, new { priceMinor = 9000, perShopperLimit = 2 });
        api.Clock.Advance(TimeSpan.FromHours(1));

        using (var overLimit = await shopper.SetItem(lot.LotId, 3))
        {
            await overLimit.ReadProblem(HttpStatusCode.Conflict, Problems.LimitExceeded);
        }

        var cart = await shopper.Hold(lot.LotId, 2);
        Assert.Equal(18_000, cart.TotalMinor);
        Assert.Equal(48, (await shopper.GetLot(lot.LotId)).Available);
    }

    [Fact]
    public async Task Once_a_lot_has_opened_its_terms_stay_as_they_are()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot();

        using var response = await seller.Http.PatchAsJsonAsync($"/api/lots/{lot.LotId}", new { priceMinor = 100 }, ApiJson.Options);

        await response.ReadProblem(HttpStatusCode.Conflict, Problems.Conflict);
        Assert.Equal(lot, await seller.GetLot(lot.LotId));
    }

    [Theory]
    [InlineData("""{"perShopperLimit":51}""", "perShopperLimit")]
    [InlineData("""{"priceMinor":500000000}""", "priceMinor")]
    [InlineData("""{"priceMinor":400000000,"perShopperLimit":3}""", "perShopperLimit")]
    [InlineData("""{"endsAt":"2026-01-01T00:00:00Z"}""", "endsAt")]
    [InlineData("""{"name":""}""", "name")]
    [InlineData("""{"unit":"  "}""", "unit")]
    [InlineData("""{}""", "body")]
    public async Task An_edit_that_breaks_a_rule_names_the_field_and_changes_nothing(string body, string field)
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 50, perShopperLimit: 5, startsAt: api.Clock.GetUtcNow().AddHours(1), endsAt: api.Clock.GetUtcNow().AddHours(3));

        using var response = await seller.Http.PatchAsync(new Uri($"/api/lots/{lot.LotId}", UriKind.Relative), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = await response.ReadProblem(HttpStatusCode.BadRequest, Problems.InvalidRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(lot, await seller.GetLot(lot.LotId));
    }

    [Theory]
    [InlineData("""{"quantity":80}""")]
    [InlineData("""{"currency":"KES"}""")]
    [InlineData("""{"name":"Pears","waitingRoom":{"admitPerSecond":5}}""")]
    public async Task A_field_an_edit_cannot_change_is_refused_not_ignored(string body)
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(startsAt: api.Clock.GetUtcNow().AddHours(1));

        using var response = await seller.Http.PatchAsync(new Uri($"/api/lots/{lot.LotId}", UriKind.Relative), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await response.ReadProblem(HttpStatusCode.BadRequest, Problems.InvalidRequest);
        Assert.Equal(lot, await seller.GetLot(lot.LotId));
    }

    [Fact]
    public async Task A_waiting_room_draws_at_the_opening_the_seller_moved()
    {
        var seller = await api.SignUpSeller();
        var now = api.Clock.GetUtcNow();
        using var created = await seller.Http.PostAsJsonAsync("/api/lots", new
        {
            name = "Navel oranges", unit = "box", priceMinor = 9900, currency = "CNY", quantity = 800, perShopperLimit = 4,
            startsAt = now.AddHours(1), waitingRoom = new { admitPerSecond = 5, admissionWindowSeconds = 120 },
        }, ApiJson.Options);
        var lot = await created.ReadAs<Lot>(HttpStatusCode.Created);
        var shopper = await api.SignUpShopper();
        using (var joined = await shopper.Http.PostAsync(new Uri($"/api/lots/{lot.LotId}/queue", UriKind.Relative), null))
        {
            Assert.Equal(TicketState.AwaitingDraw, (await joined.ReadAs<QueueTicket>()).State);
        }

        await seller.Edit(lot.LotId, new { startsAt = now.AddMinutes(10) });
        api.Clock.Advance(TimeSpan.FromMinutes(10));

        using var ticket = await shopper.Http.GetAsync(new Uri($"/api/lots/{lot.LotId}/queue", UriKind.Relative));
        Assert.Equal((TicketState.Admitted, 1), ((await ticket.ReadAs<QueueTicket>()).State, (await ticket.ReadAs<QueueTicket>()).Position));
        await shopper.Hold(lot.LotId, 2);
    }

    [Fact]
    public async Task Ending_a_lot_returns_its_holds_takes_no_new_ones_and_lets_placed_orders_be_paid()
    {
        var seller = await api.SignUpSeller();
        var holder = await api.SignUpShopper();
        var buyer = await api.SignUpShopper();
        var lot = await seller.CreateLot(quantity: 10, perShopperLimit: 5);
        await holder.Hold(lot.LotId, 2);
        await buyer.Hold(lot.LotId, 3);
        var order = await buyer.PlaceOrder("wallet");

        var ended = await seller.Act(lot.LotId, "end");

        Assert.Equal((LotStatus.Ended, 7, 3, 0), (ended.Status, ended.Available, ended.Reserved, ended.Sold));
        AssertInvariant(ended);
        Assert.Empty((await holder.GetCart()).Items);
        using (var late = await holder.SetItem(lot.LotId, 1))
        {
            await late.ReadProblem(HttpStatusCode.Conflict, Problems.SaleNotLive);
        }

        using (var restock = await seller.Http.PostAsJsonAsync($"/api/lots/{lot.LotId}/restock", new { quantity = 5 }, ApiJson.Options))
        {
            await restock.ReadProblem(HttpStatusCode.Conflict, Problems.Conflict);
        }

        var payment = GatewayApi.Body(GatewayApi.NewEventId(), order);
        using (var paid = await api.SendWebhook("wallet", payment, GatewayApi.Sign(payment, api.WebhookSecret())))
        {
            Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        }

        Assert.Equal(Orders.OrderStatus.Paid, (await buyer.GetOrder(order.OrderId)).Status);
        var after = await seller.GetLot(lot.LotId);
        Assert.Equal((LotStatus.Ended, 7, 0, 3), (after.Status, after.Available, after.Reserved, after.Sold));
        Assert.Equal(after, await seller.Act(lot.LotId, "end")); // ending again changes nothing
    }

    [Fact]
    public async Task An_ended_lot_stays_in_the_catalog_as_ended_and_frees_the_sellers_quota()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot();

        var ended = await seller.Act(lot.LotId, "end");

        var listed = await api.CreateAnonymousClient().GetFromJsonAsync<Lot[]>("/api/lots", ApiJson.Options);
        Assert.Contains(ended, listed!);
        using var mine = await seller.Http.GetAsync(new Uri("/api/sellers/me/lots", UriKind.Relative));
        Assert.Contains(ended, await mine.ReadAs<Lot[]>());
    }

    [Theory]
    [InlineData("PATCH", "", """{"priceMinor":100}""")]
    [InlineData("POST", "/end", null)]
    public async Task Another_seller_may_not_edit_or_end_a_lot(string method, string action, string? body)
    {
        var scene = await Scene.Create(api);
        var stranger = await api.SignUpSeller("Chen Jie");
        var before = await scene.Snapshot();

        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri($"/api/lots/{scene.Lot.LotId}{action}", UriKind.Relative))
        {
            Content = body is null ? null : new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        using var response = await stranger.Http.SendAsync(request);

        await response.ReadProblem(HttpStatusCode.Forbidden, Problems.Forbidden);
        Assert.Equal(before, await scene.Snapshot());
    }
}
