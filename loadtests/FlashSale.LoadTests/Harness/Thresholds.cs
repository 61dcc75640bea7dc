using System.Globalization;
using System.Text.RegularExpressions;

namespace FlashSale.LoadTests.Harness;

/// <summary>
/// Pass/fail rules for a run, given on the command line: <c>hold:p99&lt;250ms</c>,
/// <c>hold:rps&gt;=1000</c>, <c>checkout:error-rate&lt;1%</c>, <c>*:error-rate&lt;0.5%</c> (every
/// step), or a scenario figure such as <c>metric:knee.rate&gt;=2000</c>. A failed threshold makes
/// the command exit non-zero.
/// </summary>
public static partial class Thresholds
{
    private static readonly string[] Metrics = ["rps", "ok-rps", "count", "failed", "error-rate", "mean", "p50", "p75", "p90", "p99", "p99.9", "max"];

    /// <summary>Null when <paramref name="expression"/> reads as a threshold; otherwise why not (checked before a run, not after it).</summary>
    public static string? Check(string expression)
    {
        var match = Rule().Match(expression.Replace(" ", "", StringComparison.Ordinal));
        if (!match.Success)
        {
            return $"'{expression}' is not a threshold such as hold:p99<250ms, hold:rps>=1000, *:error-rate<1% or metric:knee.rate>=2000.";
        }

        return match.Groups["target"].Value != "metric" && !Metrics.Contains(match.Groups["metric"].Value)
            ? $"'{match.Groups["metric"].Value}' is not one of {string.Join(", ", Metrics)}."
            : null;
    }

    public static IReadOnlyList<ThresholdResult> Evaluate(IEnumerable<string> expressions, RunReport report) =>
        expressions.SelectMany(e => Evaluate(e, report)).ToList();

    public static IEnumerable<ThresholdResult> Evaluate(string expression, RunReport report)
    {
        var match = Rule().Match(expression.Replace(" ", "", StringComparison.Ordinal));
        if (!match.Success)
        {
            throw new FormatException($"'{expression}' is not a threshold such as hold:p99<250ms, hold:rps>=1000, *:error-rate<1% or metric:knee.rate>=2000.");
        }

        var target = match.Groups["target"].Value;
        var metric = match.Groups["metric"].Value;
        var op = match.Groups["op"].Value;
        var limit = double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture) * (match.Groups["unit"].Value == "s" ? 1000 : 1);

        if (target == "metric")
        {
            if (!report.Metrics.TryGetValue(metric, out var figure))
            {
                yield return new ThresholdResult(expression, false, double.NaN, $"the run has no figure '{metric}'");
                yield break;
            }

            yield return Judge(expression, figure, op, limit, metric);
            yield break;
        }

        if (!Metrics.Contains(metric))
        {
            throw new FormatException($"'{metric}' is not one of {string.Join(", ", Metrics)}.");
        }

        var steps = target == "*" ? report.Steps : report.Steps.Where(s => s.Name == target).ToList();
        if (steps.Count == 0)
        {
            yield return new ThresholdResult(expression, false, double.NaN, $"no step named '{target}' ran");
            yield break;
        }

        foreach (var step in steps)
        {
            var actual = metric switch
            {
                "rps" => step.RequestsPerSecond,
                "ok-rps" => step.OkPerSecond,
                "count" => step.Count,
                "failed" => step.Failed,
                "error-rate" => step.FailedPercent,
                "mean" => step.Latency.Mean,
                "p50" => step.Latency.P50,
                "p75" => step.Latency.P75,
                "p90" => step.Latency.P90,
                "p99" => step.Latency.P99,
                "p99.9" => step.Latency.P999,
                _ => step.Latency.Max,
            };
            yield return Judge(expression, actual, op, limit, $"{step.Name} {metric}");
        }
    }

    private static ThresholdResult Judge(string expression, double actual, string op, double limit, string what)
    {
        var passed = op switch
        {
            "<" => actual < limit,
            "<=" => actual <= limit,
            ">" => actual > limit,
            ">=" => actual >= limit,
            _ => false,
        };
        return new ThresholdResult(expression, passed, actual, string.Create(CultureInfo.InvariantCulture, $"{what} = {actual:0.###} (limit {op} {limit:0.###})"));
    }

    [GeneratedRegex(@"^(?<target>[^:]+):(?<metric>[a-z0-9.\-_]+)(?<op><=|>=|<|>)(?<value>[0-9]+(\.[0-9]+)?)(?<unit>ms|s|%|/s)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Rule();
}
