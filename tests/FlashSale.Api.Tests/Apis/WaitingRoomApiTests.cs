using System.Net;
using System.Net.Http.Json;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Lots;
using FlashSale.WaitingRooms;

namespace FlashSale.Api.Tests.Apis;

[CollectionDefinition(Name)]
public sealed class WaitingRoomApiCollection : ICollectionFixture<FlashSaleApiFactory>
{
    public const string Name = "waiting room api";
}

[Collection(WaitingRoomApiCollection.Name)]
public sealed class WaitingRoomApiTests(FlashSaleApiFactory api)
{
    [Fact]
    public async Task A_big_sale_admits_shoppers_through_its_waiting_room()
    {
        var seller = await api.SignUpSeller();
        using var created = await seller.Http.PostAsJsonAsync("/api/lots", new
        {
            name = "Navel oranges", unit = "box", priceMinor = 9900, currency = "CNY", quantity = 800, perShopperLimit = 4,
            waitingRoom = new { admitPerSecond = 1, admissionWindowSeconds = 120 },
        }, ApiJson.Options);
        var lot = await created.ReadAs<Lot>(HttpStatusCode.Created);
        Assert.Equal(new WaitingRoomPolicy(1, 120), lot.WaitingRoom);

        var first = await api.SignUpShopper();
        var second = await api.SignUpShopper();
        using (var refused = await second.SetItem(lot.LotId, 1))
        {
            await refused.ReadProblem(HttpStatusCode.Conflict, "sale-not-live");
        }

        var firstTicket = await Join(first, lot.LotId);
        var secondTicket = await Join(second, lot.LotId);
        Assert.Equal((TicketState.Admitted, 1), (firstTicket.State, firstTicket.Position));
        Assert.Equal((TicketState.Waiting, 2, 0), (secondTicket.State, secondTicket.Position, secondTicket.Ahead));
        Assert.Equal(secondTicket.Position, (await Join(second, lot.LotId)).Position); // asking again gains nothing
        await first.Hold(lot.LotId, 2);

        api.Clock.Advance(TimeSpan.FromSeconds(1));
        await second.Hold(lot.LotId, 1);
        Assert.Equal(797, (await api.CreateAnonymousClient().GetLot(lot.LotId)).Available);
    }

    [Fact]
    public async Task A_waiting_room_is_validated_like_the_rest_of_the_lot()
    {
        var seller = await api.SignUpSeller();
        using var response = await seller.Http.PostAsJsonAsync("/api/lots", new
        {
            name = "Pears", unit = "box", priceMinor = 100, currency = "CNY", quantity = 10, perShopperLimit = 1,
            waitingRoom = new { admitPerSecond = 0, admissionWindowSeconds = 5 },
        }, ApiJson.Options);

        var problem = await response.ReadProblem(HttpStatusCode.BadRequest, "invalid-request");
        Assert.True(problem.GetProperty("errors").TryGetProperty("waitingRoom.admitPerSecond", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("waitingRoom.admissionWindowSeconds", out _));
    }

    private static async Task<QueueTicket> Join(Caller shopper, string lotId)
    {
        using var response = await shopper.Http.PostAsync(new Uri($"/api/lots/{lotId}/queue", UriKind.Relative), null);
        return await response.ReadAs<QueueTicket>();
    }
}
