using FlashSale.Carts;
using FlashSale.Common;
using FlashSale.Lots;
using FlashSale.Tests.Infrastructure;
using FlashSale.WaitingRooms;
using static FlashSale.Tests.Infrastructure.Sale;

namespace FlashSale.Tests.WaitingRooms;

[Collection(EngineCluster.Name)]
public sealed class WaitingRoomGrainTests(EngineClusterFixture cluster)
{
    private const int AdmitPerSecond = 10;
    private const int WindowSeconds = 60;

    private IGrainFactory Grains => cluster.Grains;

    private async Task<(string LotId, DateTimeOffset Opening)> LotWithRoom(TimeSpan opensIn, int quantity = 1000)
    {
        var opening = cluster.Clock.GetUtcNow() + opensIn;
        var lotId = Ids.New(Ids.LotPrefix);
        var created = await Grains.GetGrain<IProduceLotGrain>(lotId).Create(new LotDefinition(
            NewSeller(), "Honey pears", "box", 100, "CNY", quantity, 2, opensIn > TimeSpan.Zero ? opening : null, null,
            new WaitingRoomPolicy(AdmitPerSecond, WindowSeconds)));
        Assert.True(created.Succeeded);
        return (lotId, opening);
    }

    [Fact]
    public async Task Arrivals_before_the_opening_are_shuffled_at_the_opening_and_later_ones_are_first_come_first_served()
    {
        var (lotId, opening) = await LotWithRoom(TimeSpan.FromMinutes(5));
        var room = Grains.GetGrain<IWaitingRoomGrain>(lotId);
        var early = Enumerable.Range(0, 60).Select(_ => NewShopper()).ToList();
        foreach (var shopper in early)
        {
            Assert.Equal(TicketState.AwaitingDraw, Value(await room.Join(shopper)).State);
        }

        cluster.Clock.Advance(TimeSpan.FromMinutes(5));
        var late = Enumerable.Range(0, 5).Select(_ => NewShopper()).ToList();
        var lateTickets = new List<QueueTicket>();
        foreach (var shopper in late)
        {
            lateTickets.Add(Value(await room.Join(shopper)));
        }

        var earlyTickets = await Task.WhenAll(early.Select(async s => (await room.TicketOf(s))!));
        var drawnOrder = earlyTickets.OrderBy(t => t.Position).Select(t => t.ShopperId).ToList();
        Assert.Equal(Enumerable.Range(1, 60), earlyTickets.Select(t => t.Position!.Value).Order());
        Assert.NotEqual(early, drawnOrder); // 1 in 60! that a fair shuffle keeps arrival order
        Assert.Equal(Enumerable.Range(61, 5), lateTickets.Select(t => t.Position!.Value));

        // Admission at the lot's rate, in position order, from the opening.
        var all = earlyTickets.Concat(lateTickets).OrderBy(t => t.Position).ToList();
        Assert.Equal(opening, all[0].AdmitsAt);
        Assert.All(all.Zip(all.Skip(1)), p => Assert.Equal(TimeSpan.FromSeconds(1.0 / AdmitPerSecond), p.Second.AdmitsAt - p.First.AdmitsAt));
    }

    [Fact]
    public async Task Asking_again_gains_nothing()
    {
        var (lotId, _) = await LotWithRoom(TimeSpan.Zero);
        var room = Grains.GetGrain<IWaitingRoomGrain>(lotId);
        var first = NewShopper();
        var second = NewShopper();

        var ticket = Value(await room.Join(first));
        Value(await room.Join(second));
        var again = Value(await room.Join(first));

        Assert.Equal((ticket.Position, ticket.AdmitsAt), (again.Position, again.AdmitsAt));
        Assert.Equal(2, Value(await room.Join(second)).Position);
    }

    [Fact]
    public async Task Nobody_holds_without_admission_and_an_admitted_shopper_has_a_window()
    {
        var (lotId, _) = await LotWithRoom(TimeSpan.Zero);
        var room = Grains.GetGrain<IWaitingRoomGrain>(lotId);
        var shoppers = Enumerable.Range(0, 30).Select(_ => NewShopper()).ToList();
        var outsider = Grains.GetGrain<IShopperCartGrain>(NewShopper());
        Refused(await outsider.SetItem(lotId, 1), RefusalCode.SaleNotLive);

        var tickets = new List<QueueTicket>();
        foreach (var shopper in shoppers)
        {
            tickets.Add(Value(await room.Join(shopper)));
        }

        var last = tickets[^1];
        Assert.Equal(TicketState.Waiting, last.State);
        Assert.Equal(28, last.Ahead); // the first is admitted at once; 28 are still ahead of the 30th
        var lastCart = Grains.GetGrain<IShopperCartGrain>(last.ShopperId);
        Refused(await lastCart.SetItem(lotId, 1), RefusalCode.SaleNotLive);

        cluster.Clock.Advance(last.AdmitsAt!.Value - cluster.Clock.GetUtcNow());
        Assert.Equal(TicketState.Admitted, (await room.TicketOf(last.ShopperId))!.State);
        Value(await lastCart.SetItem(lotId, 2));

        cluster.Clock.Advance(TimeSpan.FromSeconds(WindowSeconds));
        Assert.Equal(TicketState.Lapsed, (await room.TicketOf(last.ShopperId))!.State);
        Refused(await Grains.GetGrain<IShopperCartGrain>(shoppers[0]).SetItem(lotId, 1), RefusalCode.SaleNotLive);
        Value(await lastCart.SetItem(lotId, 1)); // keeping less of a hold needs no admission
    }

    [Fact]
    public async Task A_lot_without_a_room_refuses_tickets()
    {
        var (lotId, _) = await CreateLot(Grains);

        Refused(await Grains.GetGrain<IWaitingRoomGrain>(lotId).Join(NewShopper()), RefusalCode.Conflict);
        Refused(await Grains.GetGrain<IWaitingRoomGrain>(Ids.New(Ids.LotPrefix)).Join(NewShopper()), RefusalCode.NotFound);
    }

    [Fact]
    public async Task The_room_draws_at_the_opening_and_reports_admissions_without_anyone_asking()
    {
        var host = cluster.FeedHost;
        var (lotId, _) = await LotWithRoom(TimeSpan.FromMinutes(5));
        var room = Grains.GetGrain<IWaitingRoomGrain>(lotId);
        foreach (var shopper in Enumerable.Range(0, 30).Select(_ => NewShopper()))
        {
            Value(await room.Join(shopper));
        }

        // Only the clock moves: no join, no ticket asked for.
        cluster.Clock.Advance(TimeSpan.FromMinutes(5));
        await host.Until(h => h.Queue(lotId).Any(p => p.Drawn && p.Positions == 30 && p.AwaitingDraw == 0),
            "the opening should draw the room and publish it");

        cluster.Clock.Advance(TimeSpan.FromSeconds(1));
        await host.Until(h => h.Queue(lotId).Any(p => p.AdmittedThrough >= AdmitPerSecond),
            "a second of admissions should be published without anyone asking");
    }
}
