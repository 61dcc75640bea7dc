using System.Net;
using FlashSale.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace FlashSale.Api.Tests.Apis;

/// <summary>
/// The API with its rate limits on, small enough to reach in a test, and its buckets in Redis
/// (the host's in-process Garnet), as every node of a cluster keeps them.
/// </summary>
public sealed class RateLimitedApiFactory : FlashSaleApiFactory
{
    public const int ShopperBurst = 5;

    public const int AuthPerAddressPerMinute = 3;

    public const int HubCallBurst = 5;

    protected override bool RateLimited => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("FlashSale:RateLimits:Store", "Redis");
        builder.UseSetting("FlashSale:RateLimits:ShopperBurst", ShopperBurst.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("FlashSale:RateLimits:ShopperPerSecond", "1");
        builder.UseSetting("FlashSale:RateLimits:AuthPerAddressPerMinute", AuthPerAddressPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("FlashSale:RateLimits:HubCallBurst", HubCallBurst.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("FlashSale:RateLimits:HubCallsPerSecond", "1");
        builder.UseSetting("FlashSale:RateLimits:SignUpPerAddressPerMinute", "1000"); // every test here signs up its callers; sign-up has its own factory
    }
}

[CollectionDefinition(Name)]
public sealed class RateLimitCollection : ICollectionFixture<RateLimitedApiFactory>
{
    public const string Name = "rate limits";
}

[Collection(RateLimitCollection.Name)]
public sealed class RateLimitTests(RateLimitedApiFactory api)
{
    [Fact]
    public async Task A_shopper_past_the_burst_gets_429_with_retry_after_and_changes_nothing()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 50, perShopperLimit: 5);
        var shopper = await api.SignUpShopper();

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < RateLimitedApiFactory.ShopperBurst + 3; i++)
        {
            answers.Add(await shopper.SetItem(lot.LotId, 1 + (i % 2)));
        }

        var limited = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.True(limited.All(a => a.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1)), "every 429 says when to retry");
        await limited[0].ReadProblem(HttpStatusCode.TooManyRequests, "rate-limited");

        // What the shopper holds is what the last admitted request set, nothing more.
        var lastAdmitted = answers.Last(a => a.StatusCode == HttpStatusCode.OK);
        var held = (await lastAdmitted.ReadAs<FlashSale.Carts.Cart>()).Items.Single().Quantity;
        Assert.Equal(held, (await api.CreateAnonymousClient().GetLot(lot.LotId)).Reserved);
        answers.ForEach(a => a.Dispose());
    }

    /// <summary>Codes cost an SMS each: one address asking for many numbers is stopped, whatever the numbers.</summary>
    [Fact]
    public async Task One_address_asking_codes_for_many_numbers_gets_429_past_its_limit_per_minute()
    {
        var answers = new List<System.Net.HttpStatusCode>();
        for (var i = 0; i < RateLimitedApiFactory.AuthPerAddressPerMinute + 2; i++)
        {
            using var response = await api.RequestCode(PhoneAccounts.NewPhone());
            answers.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await response.ReadProblem(HttpStatusCode.TooManyRequests, "rate-limited");
                Assert.NotNull(response.Headers.RetryAfter);
            }
        }

        Assert.Equal(RateLimitedApiFactory.AuthPerAddressPerMinute, answers.Count(a => a == HttpStatusCode.Accepted));
        Assert.Equal(2, answers.Count(a => a == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task A_chinese_reader_is_told_to_slow_down_in_chinese()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 50, perShopperLimit: 5);
        var shopper = await api.SignUpShopper();
        shopper.Http.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Language", "zh-CN");

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < RateLimitedApiFactory.ShopperBurst + 3; i++)
        {
            answers.Add(await shopper.SetItem(lot.LotId, 1 + (i % 2)));
        }

        var limited = answers.First(a => a.StatusCode == HttpStatusCode.TooManyRequests);
        var problem = await limited.ReadProblem(HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.Equal(("请求过多。", "请求过多；请在 Retry-After 所示的时间之后重试。"), (problem.GetProperty("title").GetString(), problem.GetProperty("detail").GetString()));
        answers.ForEach(a => a.Dispose());
    }

    [Fact]
    public async Task One_shoppers_limit_does_not_touch_another_shopper()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 50, perShopperLimit: 5);
        var eager = await api.SignUpShopper();
        for (var i = 0; i < RateLimitedApiFactory.ShopperBurst + 2; i++)
        {
            (await eager.SetItem(lot.LotId, 1)).Dispose();
        }

        var patient = await api.SignUpShopper();
        using var answer = await patient.SetItem(lot.LotId, 1);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }
}
