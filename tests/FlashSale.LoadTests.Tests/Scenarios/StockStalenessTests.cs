using FlashSale.LoadTests.Sale;
using FlashSale.LoadTests.Scenarios;

namespace FlashSale.LoadTests.Tests.Scenarios;

/// <summary>What a watcher run reports when the live feed delivered nothing, and when it did.</summary>
public sealed class StockStalenessTests
{
    [Fact]
    public void A_measurement_without_a_message_reports_no_staleness_rather_than_failing_or_zero()
    {
        var staleness = new StockStaleness();
        staleness.Start();
        staleness.Stop();

        var figures = staleness.Figures(watchers: 2_000, seconds: 15);

        Assert.Equal(0, figures["messages"]);
        Assert.DoesNotContain(figures.Keys, key => key.StartsWith("staleness.", StringComparison.Ordinal));
    }

    [Fact]
    public void Messages_in_the_measurement_give_every_staleness_figure()
    {
        var staleness = new StockStaleness();
        staleness.Start();
        staleness.Record(new StockMessage("lot_1", 5, 1, 0, "live", 2, DateTimeOffset.UtcNow.AddMilliseconds(-40)));
        staleness.Stop();

        var figures = staleness.Figures(watchers: 1, seconds: 1);

        Assert.Equal(1, figures["messages"]);
        Assert.InRange(figures["staleness.p99_ms"], 40, 60_000);
        Assert.Equal(["staleness.max_ms", "staleness.p50_ms", "staleness.p90_ms", "staleness.p99_ms"],
            figures.Keys.Where(key => key.StartsWith("staleness.", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }
}
