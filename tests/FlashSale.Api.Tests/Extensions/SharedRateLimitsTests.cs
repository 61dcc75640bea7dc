using System.Globalization;
using System.Net;
using FlashSale.Api.Tests.Apis;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Cluster.Embedded;
using Microsoft.AspNetCore.Hosting;

namespace FlashSale.Api.Tests.Extensions;

/// <summary>An API node whose rate-limit buckets live in a given Redis, as a cluster's nodes keep them in the cluster's.</summary>
public sealed class SharedLimitsNodeFactory(string redis) : FlashSaleApiFactory
{
    public const int AuthPerAddressPerMinute = 4;

    public const int ShopperBurst = 3;

    protected override bool RateLimited => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("FlashSale:RateLimits:Store", "Redis");
        builder.UseSetting("FlashSale:RateLimits:Redis", redis);
        builder.UseSetting("FlashSale:RateLimits:AuthPerAddressPerMinute", AuthPerAddressPerMinute.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("FlashSale:RateLimits:ShopperBurst", ShopperBurst.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("FlashSale:RateLimits:ShopperPerSecond", "1");
    }
}

/// <summary>Two API nodes sharing one Redis for their limits, and a third whose Redis is gone.</summary>
public sealed class SharedLimitsNodes : IAsyncLifetime
{
    private readonly EmbeddedRedisServer _redis = EmbeddedRedisServer.Start(new DataFolderOptions { InMemory = true });

    public SharedLimitsNodes()
    {
        First = new SharedLimitsNodeFactory(_redis.ConnectionString);
        Second = new SharedLimitsNodeFactory(_redis.ConnectionString);
        Orphan = new SharedLimitsNodeFactory($"127.0.0.1:{LoopbackPorts.Unused().ToString(CultureInfo.InvariantCulture)}");
    }

    public SharedLimitsNodeFactory First { get; }

    public SharedLimitsNodeFactory Second { get; }

    /// <summary>A node whose limits' Redis does not answer.</summary>
    public SharedLimitsNodeFactory Orphan { get; }

    public async Task InitializeAsync()
    {
        await First.InitializeAsync();
        await Second.InitializeAsync();
        await Orphan.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
        await Orphan.DisposeAsync();
        _redis.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class SharedLimitsCollection : ICollectionFixture<SharedLimitsNodes>
{
    public const string Name = "shared rate limits";
}

[Collection(SharedLimitsCollection.Name)]
public sealed class SharedRateLimitsTests(SharedLimitsNodes nodes)
{
    /// <summary>
    /// Sign-in codes from one address, sent alternately to two API nodes: the budget is the
    /// address's, not each node's, so the two together allow it once (per-node limits would
    /// have allowed it twice).
    /// </summary>
    [Fact]
    public async Task Two_api_nodes_share_one_budget_per_address()
    {
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 2 * SharedLimitsNodeFactory.AuthPerAddressPerMinute; i++)
        {
            var node = i % 2 == 0 ? nodes.First : nodes.Second;
            using var response = await node.RequestCode(PhoneAccounts.NewPhone());
            answers.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await RateLimitCoverageTests.AssertRateLimited(response);
            }
        }

        Assert.Equal(SharedLimitsNodeFactory.AuthPerAddressPerMinute, answers.Count(a => a == HttpStatusCode.Accepted));
        Assert.Equal(SharedLimitsNodeFactory.AuthPerAddressPerMinute, answers.Count(a => a == HttpStatusCode.TooManyRequests));
        Assert.All(answers.Skip(SharedLimitsNodeFactory.AuthPerAddressPerMinute), a => Assert.Equal(HttpStatusCode.TooManyRequests, a));
    }

    /// <summary>
    /// Fail-open to the node's own buckets: with its Redis gone a node still answers every hold
    /// (no 5xx) and still limits each shopper with in-process buckets.
    /// </summary>
    [Fact]
    public async Task A_node_whose_redis_is_gone_answers_and_still_limits_with_its_own_buckets()
    {
        var seller = await nodes.Orphan.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 50, perShopperLimit: 5);
        var shopper = await nodes.Orphan.SignUpShopper();

        using var limited = await RateLimitCoverageTests.SendUntilLimited(shopper.Http,
            () => new HttpRequestMessage(HttpMethod.Put, $"/api/cart/items/{lot.LotId}") { Content = System.Net.Http.Json.JsonContent.Create(new { quantity = 1 }) },
            SharedLimitsNodeFactory.ShopperBurst);

        await RateLimitCoverageTests.AssertRateLimited(limited);
        Assert.Equal(1, (await shopper.GetCart()).Items.Single().Quantity);
    }
}
