namespace FlashSale.LoadTests.Workload;

/// <summary>
/// Zipf popularity over n items: item k (0-based) is chosen with probability proportional to
/// 1 / (k + 1)^s. s = 0 is uniform; s around 1 is the classic "a few lots take most of the
/// traffic" of a marketplace. Sampling is a binary search over the precomputed CDF.
/// </summary>
public sealed class ZipfDistribution
{
    private readonly double[] _cdf;

    public ZipfDistribution(int count, double exponent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(exponent);
        _cdf = new double[count];
        double sum = 0;
        for (var k = 0; k < count; k++)
        {
            sum += 1.0 / Math.Pow(k + 1, exponent);
            _cdf[k] = sum;
        }

        for (var k = 0; k < count; k++)
        {
            _cdf[k] /= sum;
        }
    }

    public int Count => _cdf.Length;

    /// <summary>The probability of item <paramref name="index"/>.</summary>
    public double Probability(int index) => _cdf[index] - (index == 0 ? 0 : _cdf[index - 1]);

    public int Sample(Random random)
    {
        var u = random.NextDouble();
        var index = Array.BinarySearch(_cdf, u);
        return Math.Min(index >= 0 ? index : ~index, _cdf.Length - 1);
    }
}
