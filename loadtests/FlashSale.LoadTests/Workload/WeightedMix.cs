using System.Globalization;

namespace FlashSale.LoadTests.Workload;

/// <summary>A weighted choice among actions: weights 50/25/25 pick the first half the time.</summary>
public sealed class WeightedMix<T>
{
    private readonly (T Item, double Cumulative)[] _items;
    private readonly double _total;

    public WeightedMix(IEnumerable<(T Item, double Weight)> items)
    {
        var list = new List<(T, double)>();
        double total = 0;
        foreach (var (item, weight) in items)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(weight);
            if (weight == 0)
            {
                continue;
            }

            total += weight;
            list.Add((item, total));
        }

        if (list.Count == 0)
        {
            throw new ArgumentException("A mix needs at least one positive weight.", nameof(items));
        }

        _items = [.. list];
        _total = total;
    }

    public IReadOnlyList<(T Item, double Share)> Shares =>
        _items.Select((e, i) => (e.Item, (e.Cumulative - (i == 0 ? 0 : _items[i - 1].Cumulative)) / _total)).ToList();

    public T Pick(Random random)
    {
        var u = random.NextDouble() * _total;
        foreach (var (item, cumulative) in _items)
        {
            if (u < cumulative)
            {
                return item;
            }
        }

        return _items[^1].Item;
    }

    /// <summary>Parses <c>browse=50,hold=25,checkout=10</c> into a mix over known names.</summary>
    public static WeightedMix<string> Parse(string text, IReadOnlyCollection<string> known)
    {
        var items = new List<(string, double)>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pieces = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pieces.Length != 2 || !known.Contains(pieces[0]) || !double.TryParse(pieces[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var weight))
            {
                throw new FormatException($"'{part}' is not name=weight with a name among {string.Join(", ", known)}.");
            }

            items.Add((pieces[0], weight));
        }

        return new WeightedMix<string>(items);
    }
}
