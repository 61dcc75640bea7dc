using FlashSale.Common;
using FlashSale.Lots;
using FlashSale.Tests.Infrastructure;
using static FlashSale.Tests.Infrastructure.Sale;

namespace FlashSale.Tests.Lots;

/// <summary>
/// The per-seller live-lot quota (100 by default): concurrent creations never pass it, a refused
/// creation creates nothing, and a lot stops counting once it has ended or been taken down.
/// </summary>
[Collection(EngineCluster.Name)]
public sealed class SellerLotsGrainTests(EngineClusterFixture cluster)
{
    private const int Quota = 100;

    private IGrainFactory Grains => cluster.Grains;

    [Fact]
    public async Task One_hundred_and_fifty_creations_at_once_create_exactly_the_quota()
    {
        var sellerId = NewSeller();
        var seller = Grains.GetGrain<ISellerLotsGrain>(sellerId);
        var lotIds = Enumerable.Range(0, 150).Select(_ => Ids.New(Ids.LotPrefix)).ToList();

        var outcomes = await Task.WhenAll(lotIds.Select(id => seller.CreateLot(id, Definition(sellerId))));

        Assert.Equal(Quota, outcomes.Count(o => o.Succeeded));
        Assert.All(outcomes.Where(o => !o.Succeeded), o => Assert.Equal(RefusalCode.LimitExceeded, o.Refusal!.Code));
        var existing = await Task.WhenAll(lotIds.Select(id => Grains.GetGrain<IProduceLotGrain>(id).Get()));
        Assert.Equal(Quota, existing.Count(l => l is not null)); // a refused creation created nothing
        Assert.Equal(Quota, await seller.CountLive());
    }

    [Fact]
    public async Task A_lot_taken_down_or_past_its_end_stops_counting_and_sold_out_or_paused_ones_count()
    {
        var sellerId = NewSeller();
        var seller = Grains.GetGrain<ISellerLotsGrain>(sellerId);
        var now = cluster.Clock.GetUtcNow();
        var lots = new List<string>();
        for (var i = 0; i < Quota; i++)
        {
            var lotId = Ids.New(Ids.LotPrefix);
            var endsAt = i == 0 ? now.AddHours(1) : (DateTimeOffset?)null;
            Value(await seller.CreateLot(lotId, Definition(sellerId, quantity: 1) with { EndsAt = endsAt }));
            lots.Add(lotId);
        }

        // Sold out and paused lots can sell again: they still count.
        Value(await Grains.GetGrain<IProduceLotGrain>(lots[1]).SetHold(NewShopper(), 1, now.AddMinutes(10)));
        Value(await Grains.GetGrain<IProduceLotGrain>(lots[2]).Pause(sellerId));
        Refused(await seller.CreateLot(Ids.New(Ids.LotPrefix), Definition(sellerId)), RefusalCode.LimitExceeded);

        Value(await Grains.GetGrain<IProduceLotGrain>(lots[3]).TakeDown());
        Value(await seller.CreateLot(Ids.New(Ids.LotPrefix), Definition(sellerId)));
        Refused(await seller.CreateLot(Ids.New(Ids.LotPrefix), Definition(sellerId)), RefusalCode.LimitExceeded);

        cluster.Clock.Advance(TimeSpan.FromHours(1)); // lots[0] ends
        Value(await seller.CreateLot(Ids.New(Ids.LotPrefix), Definition(sellerId)));
        Assert.Equal(Quota, await seller.CountLive());
    }

    [Fact]
    public async Task A_refused_definition_frees_its_place_and_another_sellers_lot_is_not_created()
    {
        var sellerId = NewSeller();
        var seller = Grains.GetGrain<ISellerLotsGrain>(sellerId);

        Refused(await seller.CreateLot(Ids.New(Ids.LotPrefix), Definition(sellerId, quantity: 0)), RefusalCode.InvalidRequest);
        var foreign = Ids.New(Ids.LotPrefix);
        Refused(await seller.CreateLot(foreign, Definition(NewSeller())), RefusalCode.Forbidden);

        Assert.Null(await Grains.GetGrain<IProduceLotGrain>(foreign).Get());
        Assert.Equal(0, await seller.CountLive());
    }

    private static LotDefinition Definition(string sellerId, int quantity = 10) =>
        new(sellerId, "Honey pears", "box", 1000, "CNY", quantity, Math.Max(1, Math.Min(2, quantity)), null, null);
}
