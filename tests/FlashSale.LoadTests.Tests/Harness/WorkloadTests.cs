using FlashSale.LoadTests.Workload;

namespace FlashSale.LoadTests.Tests.Harness;

public sealed class WorkloadTests
{
    [Fact]
    public void Zipf_probabilities_sum_to_one_and_fall_with_rank()
    {
        var zipf = new ZipfDistribution(50, 1.1);

        var probabilities = Enumerable.Range(0, 50).Select(zipf.Probability).ToList();

        Assert.Equal(1.0, probabilities.Sum(), 9);
        Assert.All(probabilities.Zip(probabilities.Skip(1)), p => Assert.True(p.First > p.Second));
        Assert.Equal(Math.Pow(2, 1.1), probabilities[0] / probabilities[1], 9);
    }

    [Fact]
    public void Zipf_samples_follow_the_probabilities()
    {
        var zipf = new ZipfDistribution(10, 1.0);
        var random = new Random(20261129);
        var counts = new int[10];

        for (var i = 0; i < 100_000; i++)
        {
            counts[zipf.Sample(random)]++;
        }

        Assert.All(Enumerable.Range(0, 10), k => Assert.Equal(zipf.Probability(k), counts[k] / 100_000.0, tolerance: 0.01));
    }

    [Fact]
    public void Zipf_with_exponent_zero_is_uniform()
    {
        var zipf = new ZipfDistribution(4, 0);

        Assert.All(Enumerable.Range(0, 4), k => Assert.Equal(0.25, zipf.Probability(k), 9));
    }

    [Fact]
    public void A_mix_is_parsed_and_picks_by_weight()
    {
        var mix = WeightedMix<string>.Parse("browse=50, hold=25,checkout=25,pay=0", ["browse", "hold", "checkout", "pay"]);
        var random = new Random(7);

        var picks = Enumerable.Range(0, 40_000).Select(_ => mix.Pick(random)).GroupBy(p => p).ToDictionary(g => g.Key, g => g.Count() / 40_000.0);

        Assert.Equal([("browse", 0.5), ("hold", 0.25), ("checkout", 0.25)], mix.Shares);
        Assert.Equal(0.5, picks["browse"], tolerance: 0.02);
        Assert.Equal(0.25, picks["hold"], tolerance: 0.02);
        Assert.False(picks.ContainsKey("pay"));
    }

    [Theory]
    [InlineData("browse")]
    [InlineData("fly=10")]
    [InlineData("browse=lots")]
    [InlineData("browse=0")]
    public void A_mix_that_names_nothing_it_knows_is_refused(string text)
    {
        Assert.ThrowsAny<Exception>(() => WeightedMix<string>.Parse(text, ["browse", "hold"]));
    }
}
