using System.Net;
using FlashSale.Api.Tests.Infrastructure;

namespace FlashSale.Api.Tests.Apis;

[CollectionDefinition(Name)]
public sealed class ObservabilityCollection : ICollectionFixture<FlashSaleApiFactory>
{
    public const string Name = "observability";
}

[Collection(ObservabilityCollection.Name)]
public sealed class ObservabilityTests(FlashSaleApiFactory api)
{
    [Fact]
    public async Task Metrics_expose_the_engine_meters_under_flashsale_names()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 1, perShopperLimit: 1);
        await (await api.SignUpShopper()).Hold(lot.LotId, 1);
        (await (await api.SignUpShopper()).SetItem(lot.LotId, 1)).Dispose(); // sold out
        await (await api.SignUpShopper()).Hold((await seller.CreateLot(quantity: 5)).LotId, 1);

        using var anonymous = api.CreateAnonymousClient();
        var metrics = await anonymous.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        foreach (var name in new[] { "flashsale_holds_total", "flashsale_sold_out_total", "flashsale_grain_activations" })
        {
            Assert.Contains(name, metrics, StringComparison.Ordinal);
        }

        Assert.Contains("outcome=\"sold-out\"", metrics, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/health")]
    public async Task Health_is_split_into_live_and_ready(string path)
    {
        using var anonymous = api.CreateAnonymousClient();
        using var response = await anonymous.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_orleans_dashboard_is_served()
    {
        using var anonymous = api.CreateClient();
        using var response = await anonymous.GetAsync(new Uri("/dashboard/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("html", response.Content.Headers.ContentType?.MediaType ?? "", StringComparison.Ordinal);
    }
}
