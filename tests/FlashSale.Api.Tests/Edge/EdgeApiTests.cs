using System.Diagnostics.Metrics;
using System.Net;
using FlashSale.Api.Edge;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Common;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace FlashSale.Api.Tests.Edge;

/// <summary>The API with an edge that engages at the first refusal, so a test needs no surge.</summary>
public sealed class EdgeApiFactory : FlashSaleApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("FlashSale:Edge:EngageAfterRefusals", "1");
    }
}

[CollectionDefinition(Name)]
public sealed class EdgeApiCollection : ICollectionFixture<EdgeApiFactory>
{
    public const string Name = "edge api";
}

/// <summary>
/// Answers at the edge through the whole API: the same bytes as the lot's refusal, never for a
/// holder or a release, and never past the freshness once stock came back.
/// </summary>
[Collection(EdgeApiCollection.Name)]
public sealed class EdgeApiTests(EdgeApiFactory api)
{
    private static readonly TimeSpan Freshness = new EdgeOptions().Freshness;

    [Theory]
    [InlineData("en")]
    [InlineData("zh-CN")]
    public async Task The_edges_sold_out_is_byte_for_byte_the_lots(string language)
    {
        var (lotId, _) = await SoldOutLot();
        using var asked = await Stranger(language);
        using var refusedByTheLot = await asked.SetItemAt(lotId, 1);
        await Edge.PendingRead(lotId);

        using var edgeAnswers = new EdgeAnswerCount();
        using var stranger = await Stranger(language);
        using var refusedAtTheEdge = await stranger.SetItemAt(lotId, 1);

        Assert.Equal(1, edgeAnswers.Count);
        await refusedByTheLot.ReadProblem(HttpStatusCode.Conflict, "sold-out");
        Assert.Equal(await refusedByTheLot.Content.ReadAsByteArrayAsync(), await refusedAtTheEdge.Content.ReadAsByteArrayAsync());
        Assert.Equal(refusedByTheLot.StatusCode, refusedAtTheEdge.StatusCode);
        Assert.Equal(refusedByTheLot.Content.Headers.ContentType, refusedAtTheEdge.Content.Headers.ContentType);
        Assert.Equal(refusedByTheLot.Content.Headers.ContentLanguage, refusedAtTheEdge.Content.Headers.ContentLanguage);
    }

    [Fact]
    public async Task A_holder_keeping_or_releasing_a_hold_reaches_the_lot_and_the_released_unit_is_sold_at_once()
    {
        var (lotId, holder) = await SoldOutLot();
        using var refused = await (await api.SignUpShopper()).SetItem(lotId, 1);
        await refused.ReadProblem(HttpStatusCode.Conflict, "sold-out");
        await Edge.PendingRead(lotId);

        using var edgeAnswers = new EdgeAnswerCount();
        Assert.Single((await holder.Hold(lotId, 1)).Items); // keeps the hold: the lot says yes
        await holder.Release(lotId); // through this host: the view is gone at once
        var next = await api.SignUpShopper();
        Assert.Single((await next.Hold(lotId, 1)).Items);
        Assert.Equal(0, edgeAnswers.Count);
    }

    [Fact]
    public async Task An_ended_lot_is_refused_at_the_edge_with_the_lots_sale_not_live_while_a_holder_still_releases()
    {
        var seller = await api.SignUpSeller();
        var endsAt = api.Clock.GetUtcNow().AddMinutes(5); // before the holder's hold lapses
        var lot = await seller.CreateLot(quantity: 10, perShopperLimit: 2, endsAt: endsAt);
        var holder = await api.SignUpShopper();
        await holder.Hold(lot.LotId, 1);
        api.Clock.Advance(TimeSpan.FromMinutes(5));
        using var refusedByTheLot = await (await api.SignUpShopper()).SetItem(lot.LotId, 1);
        await Edge.PendingRead(lot.LotId);

        using var edgeAnswers = new EdgeAnswerCount();
        using var refusedAtTheEdge = await (await api.SignUpShopper()).SetItem(lot.LotId, 1);

        Assert.Equal(1, edgeAnswers.Count);
        var problem = await refusedAtTheEdge.ReadProblem(HttpStatusCode.Conflict, "sale-not-live");
        Assert.Equal("The sale is over.", problem.GetProperty("detail").GetString());
        Assert.Equal(await refusedByTheLot.Content.ReadAsByteArrayAsync(), await refusedAtTheEdge.Content.ReadAsByteArrayAsync());
        Assert.Empty((await holder.Release(lot.LotId)).Items);
    }

    [Fact]
    public async Task Stock_that_comes_back_is_never_refused_at_the_edge_past_the_freshness()
    {
        var (lotId, _) = await SoldOutLot();
        var seller = await api.SignUpSeller();
        using var refused = await (await api.SignUpShopper()).SetItem(lotId, 1);
        await Edge.PendingRead(lotId);

        // A restock races shoppers who are answered from the sold-out view: each is either held
        // or refused as sold out, and no more are held than came back.
        var owner = Owners[lotId];
        const int restocked = 4;
        var racers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => api.SignUpShopper()));
        var answers = await Task.WhenAll(
            racers.Select(async s => (await s.SetItem(lotId, 1)).StatusCode)
                .Append(owner.Restock(lotId, restocked).ContinueWith(_ => HttpStatusCode.NoContent, TaskScheduler.Default)));
        Assert.All(answers, status => Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict, HttpStatusCode.NoContent }));

        // Past the freshness, whatever this host heard, a shopper reaches the lot and gets a unit.
        api.Clock.Advance(Freshness);
        var late = await api.SignUpShopper();
        Assert.Single((await late.Hold(lotId, 1)).Items);
        var lot = await seller.Http.GetLot(lotId);
        Assert.Equal(1 + restocked, lot.Available + lot.Reserved + lot.Sold);
        Assert.Equal(answers.Count(a => a == HttpStatusCode.OK) + 2, lot.Reserved);
    }

    [Fact]
    public async Task A_restock_answered_through_this_host_is_on_sale_at_once()
    {
        var (lotId, _) = await SoldOutLot();
        using var refused = await (await api.SignUpShopper()).SetItem(lotId, 1);
        await Edge.PendingRead(lotId);

        await Owners[lotId].Restock(lotId, 1);

        Assert.Single((await (await api.SignUpShopper()).Hold(lotId, 1)).Items); // no clock moved, no feed awaited
    }

    [Fact]
    public async Task A_hold_that_expired_is_on_sale_again_for_the_next_shopper_whatever_the_view_said()
    {
        var (lotId, _) = await SoldOutLot();
        using var refused = await (await api.SignUpShopper()).SetItem(lotId, 1);
        await Edge.PendingRead(lotId);
        using (var atTheEdge = await (await api.SignUpShopper()).SetItem(lotId, 1))
        {
            await atTheEdge.ReadProblem(HttpStatusCode.Conflict, "sold-out");
        }

        api.Clock.Advance(TimeSpan.FromMinutes(10)); // the holder's hold lapses

        Assert.Single((await (await api.SignUpShopper()).Hold(lotId, 1)).Items);
    }

    private LotEdgeCache Edge => api.Services.GetRequiredService<LotEdgeCache>();

    private Dictionary<string, Caller> Owners { get; } = new(StringComparer.Ordinal);

    /// <summary>A lot of one unit, held by one shopper.</summary>
    private async Task<(string LotId, Caller Holder)> SoldOutLot()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 1, perShopperLimit: 1);
        Owners[lot.LotId] = seller;
        var holder = await api.SignUpShopper();
        await holder.Hold(lot.LotId, 1);
        return (lot.LotId, holder);
    }

    private async Task<HttpClient> Stranger(string language)
    {
        var shopper = await api.SignUpShopper();
        var client = api.CreateClientWithToken(shopper.Token);
        client.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Language", language);
        return client;
    }

    /// <summary>Counts the edge's answers while it lives (the engine's meter is process-wide).</summary>
    private sealed class EdgeAnswerCount : IDisposable
    {
        private readonly MeterListener _listener = new();
        private int _count;

        public EdgeAnswerCount()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == FlashSaleMetrics.MeterName && instrument.Name == "flashsale.edge.answers")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, (int)value));
            _listener.Start();
        }

        public int Count => Volatile.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}

internal static class EdgeCalls
{
    public static Task<HttpResponseMessage> SetItemAt(this HttpClient client, string lotId, int quantity) =>
        System.Net.Http.Json.HttpClientJsonExtensions.PutAsJsonAsync(client, $"/api/cart/items/{lotId}", new FlashSale.Api.Apis.SetCartItemRequest(quantity), ApiJson.Options);
}
