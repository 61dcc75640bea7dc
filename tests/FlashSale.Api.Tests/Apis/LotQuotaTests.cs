using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using FlashSale.Api.Extensions;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Lots;
using Microsoft.AspNetCore.Hosting;

namespace FlashSale.Api.Tests.Apis;

/// <summary>
/// The API with a small live-lot quota per seller (<c>FlashSale:Limits:MaxLiveLotsPerSeller</c>)
/// and the money ceiling as high as it may be set (2⁶², <c>FlashSale:Limits:MaxOrderTotalMinor</c>),
/// where lots worth up to 10¹⁸ each can be created and the overflow attack can be tried.
/// </summary>
public sealed class LimitsApiFactory : FlashSaleApiFactory
{
    public const int Quota = 15;

    public const long Ceiling = long.MaxValue / 2;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("FlashSale:Limits:MaxLiveLotsPerSeller", Quota.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("FlashSale:Limits:MaxOrderTotalMinor", Ceiling.ToString(CultureInfo.InvariantCulture));
    }
}

[CollectionDefinition(Name)]
public sealed class LimitsCollection : ICollectionFixture<LimitsApiFactory>
{
    public const string Name = "limits";
}

/// <summary>
/// Issue #12: one seller created 1,000 lots in 0.6 s and every shopper's sale list grew to 715
/// KB. Past the quota of live lots a creation is 409 <c>limit-exceeded</c> and creates nothing,
/// however many arrive at once; an operator's take-down frees a place.
/// </summary>
[Collection(LimitsCollection.Name)]
public sealed class LotQuotaTests(LimitsApiFactory api)
{
    [Fact]
    public async Task Creations_sent_at_once_past_the_quota_are_409_limit_exceeded_and_create_nothing()
    {
        var seller = await api.SignUpSeller();
        using var before = await api.CreateAnonymousClient().GetAsync(new Uri("/api/lots", UriKind.Relative));
        var listed = (await before.ReadAs<Lot[]>()).Length;

        var answers = await Task.WhenAll(Enumerable.Range(0, 3 * LimitsApiFactory.Quota).Select(i =>
            seller.Http.PostAsJsonAsync("/api/lots", new { name = $"Pears {i}", unit = "box", priceMinor = 100, currency = "CNY", quantity = 10, perShopperLimit = 2 }, ApiJson.Options)));

        Assert.Equal(LimitsApiFactory.Quota, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.Created))
        {
            await refused.ReadProblem(HttpStatusCode.Conflict, Problems.LimitExceeded);
        }

        using var mine = await seller.Http.GetAsync(new Uri("/api/sellers/me/lots", UriKind.Relative));
        Assert.Equal(LimitsApiFactory.Quota, (await mine.ReadAs<Lot[]>()).Length);
        using var after = await api.CreateAnonymousClient().GetAsync(new Uri("/api/lots", UriKind.Relative));
        Assert.Equal(listed + LimitsApiFactory.Quota, (await after.ReadAs<Lot[]>()).Length);
        Array.ForEach(answers, a => a.Dispose());
    }

    [Fact]
    public async Task A_lot_taken_down_frees_a_place_and_another_seller_has_a_quota_of_their_own()
    {
        var seller = await api.SignUpSeller();
        var lots = new List<Lot>();
        for (var i = 0; i < LimitsApiFactory.Quota; i++)
        {
            lots.Add(await seller.CreateLot(quantity: 10, perShopperLimit: 2));
        }

        using var refused = await seller.Http.PostAsJsonAsync("/api/lots", new { name = "One more", unit = "box", priceMinor = 100, currency = "CNY", quantity = 10, perShopperLimit = 2 }, ApiJson.Options);
        await refused.ReadProblem(HttpStatusCode.Conflict, Problems.LimitExceeded);

        var other = await api.SignUpSeller("Chen Jie");
        await other.CreateLot();

        var operatorCaller = api.AsCaller(await api.Operator());
        using var down = await operatorCaller.Http.PostAsync(new Uri($"/api/operator/lots/{lots[0].LotId}/take-down", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, down.StatusCode);

        await seller.CreateLot();
    }
}
