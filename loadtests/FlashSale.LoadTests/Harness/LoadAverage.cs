using System.Globalization;

namespace FlashSale.LoadTests.Harness;

/// <summary>
/// The machine's load averages (1, 5 and 15 minutes) as <c>/proc/loadavg</c> gives them. A figure
/// measured while other work ran says little about the engine, so every report carries the load
/// before and after its run and says when the machine was busy.
/// </summary>
public sealed record LoadAverage(double OneMinute, double FiveMinutes, double FifteenMinutes)
{
    /// <summary>Busy above this 1-minute load per core, the same bound <c>loadtests/run-benchmarks.sh</c> refuses above.</summary>
    public const double BusyPerCore = 1.5;

    /// <summary>The first three fields of a <c>/proc/loadavg</c> line, or null when it is not one.</summary>
    public static LoadAverage? Parse(string line)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 3)
        {
            return null;
        }

        var values = new double[3];
        for (var i = 0; i < 3; i++)
        {
            if (!double.TryParse(fields[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || values[i] < 0)
            {
                return null;
            }
        }

        return new LoadAverage(values[0], values[1], values[2]);
    }

    /// <summary>This machine's load now, or null where there is no <c>/proc/loadavg</c>.</summary>
    public static LoadAverage? Read(string path = "/proc/loadavg")
    {
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="cores"/> cores carrying this load are too busy to measure on.</summary>
    public bool IsBusy(int cores) => OneMinute > BusyPerCore * Math.Max(1, cores);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{OneMinute:0.00} {FiveMinutes:0.00} {FifteenMinutes:0.00}");
}
