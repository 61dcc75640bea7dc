using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FlashSale.Api.Apis;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Lots;
using static FlashSale.Api.Tests.Infrastructure.SaleApi;

namespace FlashSale.Api.Tests.Apis;

/// <summary>
/// <c>GET /api/lots?limit=N</c>: pages in creation order with a cursor, the filters a shopper
/// uses, and a host's copy of the catalog that follows the lots through the sale feed. Each test
/// filters by its own seller, so other tests' lots never land on its pages.
/// </summary>
[Collection(LotsApiCollection.Name)]
public sealed class LotCatalogPagingTests(FlashSaleApiFactory api)
{
    private static readonly TimeSpan FeedBound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Pages_walk_the_lots_in_creation_order_and_the_last_page_has_no_next()
    {
        var seller = await api.SignUpSeller();
        var created = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            created.Add((await seller.CreateLot(name: $"Pears {i}")).LotId);
        }

        var walked = new List<string>();
        var sizes = new List<int>();
        string? after = null;
        do
        {
            var page = await Page($"sellerId={seller.Id}&limit=3" + (after is null ? "" : $"&after={after}"));
            sizes.Add(page.Items.Count);
            walked.AddRange(page.Items.Select(l => l.LotId));
            after = page.Next;
        }
        while (after is not null);

        Assert.Equal([3, 3, 1], sizes);
        Assert.Equal(created, walked);
    }

    [Fact]
    public async Task A_page_has_exactly_the_contract_fields_and_next_only_while_more_follow()
    {
        var seller = await api.SignUpSeller();
        await seller.CreateLot();
        await seller.CreateLot();
        using var anonymous = api.CreateAnonymousClient();

        var first = await anonymous.GetFromJsonAsync<JsonElement>($"/api/lots?sellerId={seller.Id}&limit=1", ApiJson.Options);
        var last = await anonymous.GetFromJsonAsync<JsonElement>($"/api/lots?sellerId={seller.Id}&limit=1&after={first.GetProperty("next").GetString()}", ApiJson.Options);

        Assert.Equal(["items", "next"], ApiJson.PropertyNames(first).Order());
        Assert.Equal(["items"], ApiJson.PropertyNames(last));
        Assert.Equal(1, last.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Filters_pick_what_is_on_sale_now_what_opens_soon_and_a_currency()
    {
        var seller = await api.SignUpSeller();
        var now = api.Clock.GetUtcNow();
        var live = await seller.CreateLot(name: "On sale now");
        var soon = await seller.CreateLot(name: "Opening soon", startsAt: now.AddHours(2));
        var shillings = await seller.CreateLot(name: "Kenyan mangoes", currency: "KES");
        var paused = await seller.Act((await seller.CreateLot(name: "Paused")).LotId, "pause");

        Assert.Equal([live.LotId, shillings.LotId], await Ids($"sellerId={seller.Id}&status=live&limit=10"));
        Assert.Equal([soon.LotId], await Ids($"sellerId={seller.Id}&status=scheduled&limit=10"));
        Assert.Equal([live.LotId], await Ids($"sellerId={seller.Id}&status=live&currency=CNY&limit=10"));
        Assert.Equal([soon.LotId, paused.LotId], await Ids($"sellerId={seller.Id}&status=scheduled,paused&limit=10"));
        Assert.Equal([live.LotId, soon.LotId, paused.LotId], await PlainIds($"sellerId={seller.Id}&currency=CNY"));
    }

    [Fact]
    public async Task A_page_follows_holds_edits_and_the_opening_through_the_feed()
    {
        var seller = await api.SignUpSeller();
        var shopper = await api.SignUpShopper();
        var lot = await seller.CreateLot(quantity: 20, perShopperLimit: 5);
        var scheduled = await seller.CreateLot(name: "Before the edit", startsAt: api.Clock.GetUtcNow().AddHours(1));
        Assert.Equal(20, (await Listed(seller.Id, lot.LotId)).Available); // the host has seen both lots

        await shopper.Hold(lot.LotId, 3);
        await seller.Edit(scheduled.LotId, new { name = "After the edit", priceMinor = 7100 });

        Assert.Equal(await shopper.GetLot(lot.LotId), await ListedWhen(seller.Id, lot.LotId, l => l.Available == 17));
        Assert.Equal(await shopper.GetLot(scheduled.LotId), await ListedWhen(seller.Id, scheduled.LotId, l => l.Name == "After the edit"));

        api.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(LotStatus.Live, (await ListedWhen(seller.Id, scheduled.LotId, l => l.Status == LotStatus.Live)).Status);
    }

    [Fact]
    public async Task A_pages_lot_is_written_byte_for_byte_as_a_single_read_writes_it_also_after_a_change()
    {
        // The page copies each lot's JSON kept by the catalog view; it must be exactly what the
        // serializer writes for the lot itself, and follow the lot when it changes.
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 20, perShopperLimit: 5, endsAt: api.Clock.GetUtcNow().AddHours(3));
        await AssertSameJson(seller.Id, lot.LotId);
        await (await api.SignUpShopper()).Hold(lot.LotId, 2);
        await ListedWhen(seller.Id, lot.LotId, l => l.Available == 18);
        await AssertSameJson(seller.Id, lot.LotId);
    }

    private async Task AssertSameJson(string sellerId, string lotId)
    {
        using var anonymous = api.CreateAnonymousClient();
        using var page = await anonymous.GetAsync(new Uri($"/api/lots?sellerId={sellerId}&limit=100", UriKind.Relative));
        var listed = (await page.ReadAs<System.Text.Json.JsonElement>()).GetProperty("items").EnumerateArray().Single(i => i.GetProperty("lotId").GetString() == lotId);
        Assert.Equal(await anonymous.GetStringAsync(new Uri($"/api/lots/{lotId}", UriKind.Relative)), listed.GetRawText());
    }

    [Fact]
    public async Task A_new_lot_is_on_the_next_page_read_and_a_lot_taken_down_leaves_it()
    {
        var seller = await api.SignUpSeller();
        var first = await seller.CreateLot();
        Assert.Equal([first.LotId], await Ids($"sellerId={seller.Id}&limit=10"));

        var second = await seller.CreateLot();
        Assert.Equal([first.LotId, second.LotId], await Ids($"sellerId={seller.Id}&limit=10"));

        var op = api.AsCaller(await api.Operator());
        (await op.Http.PostAsync(new Uri($"/api/operator/lots/{first.LotId}/take-down", UriKind.Relative), null)).EnsureSuccessStatusCode();
        Assert.Equal([second.LotId], await Ids($"sellerId={seller.Id}&limit=10"));
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=101")]
    [InlineData("limit=-1")]
    [InlineData("limit=ten")]
    [InlineData("after=3")]
    [InlineData("limit=5&after=abc")]
    [InlineData("limit=5&after=-3")]
    [InlineData("status=bogus")]
    [InlineData("status=")]
    [InlineData("status=live,")]
    [InlineData("status=LIVE")]
    [InlineData("currency=cny")]
    [InlineData("currency=XXX")]
    public async Task A_query_that_is_not_one_is_refused_with_a_problem(string query)
    {
        using var anonymous = api.CreateAnonymousClient();
        using var response = await anonymous.GetAsync(new Uri($"/api/lots?{query}", UriKind.Relative));
        await response.ReadProblem(HttpStatusCode.BadRequest, FlashSale.Api.Extensions.Problems.InvalidRequest);
    }

    private async Task<LotPage> Page(string query)
    {
        using var anonymous = api.CreateAnonymousClient();
        using var response = await anonymous.GetAsync(new Uri($"/api/lots?{query}", UriKind.Relative));
        return await response.ReadAs<LotPage>();
    }

    private async Task<List<string>> Ids(string query) => (await Page(query)).Items.Select(l => l.LotId).ToList();

    private async Task<List<string>> PlainIds(string query)
    {
        using var anonymous = api.CreateAnonymousClient();
        return (await anonymous.GetFromJsonAsync<Lot[]>($"/api/lots?{query}", ApiJson.Options))!.Select(l => l.LotId).ToList();
    }

    private async Task<Lot> Listed(string sellerId, string lotId) =>
        (await Page($"sellerId={sellerId}&limit=100")).Items.Single(l => l.LotId == lotId);

    /// <summary>The page's copy of the lot once it shows <paramref name="done"/>: the feed reaches the host a moment after the change's own answer.</summary>
    private async Task<Lot> ListedWhen(string sellerId, string lotId, Func<Lot, bool> done)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var lot = await Listed(sellerId, lotId);
        while (!done(lot) && waited.Elapsed < FeedBound)
        {
            await Task.Delay(20);
            lot = await Listed(sellerId, lotId);
        }

        Assert.True(done(lot), $"the page still shows {lot} after {FeedBound.TotalSeconds} s");
        return lot;
    }
}
