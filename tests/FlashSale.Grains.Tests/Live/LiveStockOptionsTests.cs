using FlashSale.Live;

namespace FlashSale.Tests.Live;

/// <summary>What a host refuses to start with (the options are validated on start).</summary>
public sealed class LiveStockOptionsTests
{
    [Fact]
    public void The_defaults_are_valid() => Assert.Equal("", new LiveStockOptions().Invalidity());

    [Fact]
    public void Batching_may_not_take_more_than_a_quarter_of_the_publish_interval()
    {
        Assert.Equal("", new LiveStockOptions { BatchInterval = TimeSpan.FromMilliseconds(25) }.Invalidity());
        Assert.Contains("BatchInterval", new LiveStockOptions { BatchInterval = TimeSpan.FromMilliseconds(26) }.Invalidity());
        Assert.Contains("BatchInterval", new LiveStockOptions { BatchInterval = TimeSpan.Zero }.Invalidity());
    }

    [Fact]
    public void A_batch_holds_at_least_one_update_and_a_host_list_is_read_again_before_a_subscription_lapses()
    {
        Assert.Contains("MaxBatchSize", new LiveStockOptions { MaxBatchSize = 0 }.Invalidity());
        Assert.Contains("HostListRefresh", new LiveStockOptions { HostListRefresh = TimeSpan.FromSeconds(30) }.Invalidity());
        Assert.Contains("HostListRefresh", new LiveStockOptions { HostListRefresh = TimeSpan.Zero }.Invalidity());
    }
}
