using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using FlashSale.Carts;
using FlashSale.Orders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Serialization;
using Orleans.Storage;

namespace FlashSale.Benchmarks.Carts;

/// <summary>
/// The cart's state write, which every hold pays: Orleans' default grain-storage serializer
/// (Newtonsoft JSON with type names, the baseline) against the Orleans binary serializer the
/// engine registers. Both serializers come from one silo container, so each is configured
/// exactly as a silo would configure it. A read happens only when a cart activates.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class CartStateStorageBenchmarks
{
    private IHost? _host;
    private IGrainStorageSerializer _json = null!;
    private IGrainStorageSerializer _binary = null!;
    private CartState _cart = null!;
    private BinaryData _jsonBytes = null!;
    private BinaryData _binaryBytes = null!;

    /// <summary>Held lines in the cart: one on the hot lot, or a shopper holding ten lots.</summary>
    [Params(1, 10)]
    public int Lines { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Built, never started: only the container's serializers are wanted.
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => silo.UseLocalhostClustering());
        _host = builder.Build();
        _json = _host.Services.GetRequiredService<IGrainStorageSerializer>();
        _binary = new OrleansGrainStorageSerializer(_host.Services.GetRequiredService<Serializer>());
        if (_json is OrleansGrainStorageSerializer)
        {
            throw new InvalidOperationException("The baseline must be Orleans' default storage serializer, not the binary one.");
        }

        _cart = SampleCart(Lines);
        _jsonBytes = _json.Serialize(_cart);
        _binaryBytes = _binary.Serialize(_cart);
    }

    [GlobalCleanup]
    public void Cleanup() => _host?.Dispose();

    [Benchmark(Baseline = true), BenchmarkCategory("write")]
    public BinaryData WriteDefaultJson() => _json.Serialize(_cart);

    [Benchmark, BenchmarkCategory("write")]
    public BinaryData WriteOrleansBinary() => _binary.Serialize(_cart);

    [Benchmark(Baseline = true), BenchmarkCategory("read")]
    public CartState? ReadDefaultJson() => _json.Deserialize<CartState>(_jsonBytes);

    [Benchmark, BenchmarkCategory("read")]
    public CartState? ReadOrleansBinary() => _binary.Deserialize<CartState>(_binaryBytes);

    /// <summary>A cart as a busy shopper has it: held lines, two past orders and their ledger.</summary>
    private static CartState SampleCart(int lines)
    {
        var expiresAt = new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
        var cart = new CartState();
        for (var i = 0; i < lines; i++)
        {
            var lotId = $"lot_{i:D24}";
            cart.Lines[lotId] = new CartLine(lotId, 2, 1_250, "CNY", expiresAt);
        }

        foreach (var orderId in new[] { $"ord_{1:D24}", $"ord_{2:D24}" })
        {
            cart.OrderIds.Add(orderId);
            cart.Orders[orderId] = new OrderLedgerEntry(new Dictionary<string, int> { [$"lot_{0:D24}"] = 1 }, Released: false);
        }

        return cart;
    }
}
