using BenchmarkDotNet.Running;

namespace FlashSale.Benchmarks;

/// <summary>
/// Every benchmark class in this assembly; choose with --filter, e.g. --filter '*HotLot*'. A named
/// class rather than top-level statements: this assembly references the API, whose own
/// <c>Program</c> the catalog benchmark hosts.
/// </summary>
public static class BenchmarkProgram
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
}
