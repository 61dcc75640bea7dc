using FlashSale.Common;
using FlashSale.Lots;

namespace FlashSale.Tests.Infrastructure;

/// <summary>Small helpers that make a test read like the sale it describes.</summary>
public static class Sale
{
    public static string NewShopper() => Ids.New(Ids.ShopperPrefix);

    public static string NewSeller() => Ids.New(Ids.SellerPrefix);

    public static async Task<(string LotId, IProduceLotGrain Lot)> CreateLot(
        IGrainFactory grains, int quantity = 100, int limit = 2, long price = 1000, string currency = "CNY",
        string? sellerId = null, DateTimeOffset? startsAt = null, DateTimeOffset? endsAt = null)
    {
        var lotId = Ids.New(Ids.LotPrefix);
        var lot = grains.GetGrain<IProduceLotGrain>(lotId);
        var created = await lot.Create(new LotDefinition(sellerId ?? NewSeller(), "Honey pears", "box", price, currency, quantity, limit, startsAt, endsAt));
        Assert.True(created.Succeeded, created.Refusal?.Detail);
        return (lotId, lot);
    }

    public static void AssertInvariant(Lot lot)
    {
        Assert.True(lot.Available >= 0 && lot.Reserved >= 0 && lot.Sold >= 0, $"negative count in {lot}");
        Assert.Equal(lot.Quantity, lot.Available + lot.Reserved + lot.Sold);
    }

    public static T Value<T>(Outcome<T> outcome)
    {
        Assert.True(outcome.Succeeded, outcome.Refusal?.Detail);
        return outcome.Value!;
    }

    public static void Refused<T>(Outcome<T> outcome, RefusalCode code)
    {
        Assert.False(outcome.Succeeded, $"expected {code}, got success");
        Assert.Equal(code, outcome.Refusal!.Code);
    }
}
