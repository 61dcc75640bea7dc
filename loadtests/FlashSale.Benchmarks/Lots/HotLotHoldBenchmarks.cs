using BenchmarkDotNet.Attributes;
using FlashSale.Carts;
using FlashSale.Cluster;
using FlashSale.Common;
using FlashSale.Lots;
using FlashSale.Lots.Storage;
using FlashSale.Testing.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using StackExchange.Redis;

namespace FlashSale.Benchmarks.Lots;

/// <summary>
/// Holds per second on one hot lot (one in-process silo), with the lot carrying 100 or 100,000
/// live holds, on each <see cref="LotJournalUnderTest"/>: the embedded in-memory journal that
/// serializes every event, and the durable cluster's Redis journal on a private redis-server
/// with AOF fsynced on every write or once a second. The design goal under test: persistence
/// cost grows with the change, not with the state, so time per hold at 100,000 live holds should
/// stay close to time per hold at 100, whatever the journal.
/// </summary>
/// <remarks>
/// <para>
/// One operation is one <c>SetHold</c> call that writes one event. An invocation places a batch
/// of holds, each by a new shopper for 1 unit, then releases them again (<c>SetHold</c> with 0):
/// had the holds been kept, the lot would grow by every hold measured and the "100 live holds"
/// case would end far from 100. A release takes the same path as a hold (decide, apply, one
/// event, one journal append slot), so counting both keeps the figure per call honest.
/// During a concurrent batch the lot carries between N and N + <see cref="BatchSize"/> holds.
/// </para>
/// <para>
/// The sequential variant's batch is smaller (<see cref="SequentialBatchSize"/>): with an fsync
/// of a few milliseconds behind every call, a thousand one-by-one holds and releases would make
/// one invocation last seconds and the whole run far too long. It holds and releases each hold
/// before the next, so the lot carries N or N + 1 holds whatever the batch size.
/// </para>
/// <para>
/// Calls go through the silo's own grain factory, as the embedded API (co-hosted with its
/// silo) makes them. The system clock stays: holds expire after the product's 10 minutes,
/// far beyond one case, so expiry never runs during the measurement.
/// </para>
/// </remarks>
[Config(typeof(HotLotBenchmarkConfig))]
public class HotLotHoldBenchmarks
{
    /// <summary>Holds per concurrent invocation; each is released again, so an invocation is twice this many calls.</summary>
    public const int BatchSize = 1_000;

    /// <summary>Holds per sequential invocation, likewise released again.</summary>
    public const int SequentialBatchSize = 100;

    private const int CallsPerBatch = 2 * BatchSize;
    private const int CallsPerSequentialBatch = 2 * SequentialBatchSize;
    private const int FewLiveHolds = 100;
    private const int ManyLiveHolds = 100_000;
    private const int PopulationChunk = 1_000;
    private const int WarmUpBatches = 10;
    private const string LotId = "hot-lot";

    private InProcessTestCluster? _cluster;
    private PrivateRedisServer? _redisServer;
    private ConnectionMultiplexer? _redis;
    private CountingLotJournal? _journal;
    private IProduceLotGrain _lot = null!;
    private string _benchmarkMethod = "";
    private int _liveHolds;
    private long _nextShopper;
    private string _loadAtStart = "";

    private static TimeSpan HoldDuration { get; } = new HoldExpiryOptions().Duration;

    /// <summary>The journal behind the lot; each value gets its own silo (and redis-server) per case.</summary>
    [ParamsAllValues]
    public LotJournalUnderTest Journal { get; set; }

    [GlobalSetup(Target = nameof(ConcurrentAt100LiveHolds))]
    public Task SetUpConcurrentAt100() => StartAsync(nameof(ConcurrentAt100LiveHolds), FewLiveHolds);

    [GlobalSetup(Target = nameof(ConcurrentAt100kLiveHolds))]
    public Task SetUpConcurrentAt100k() => StartAsync(nameof(ConcurrentAt100kLiveHolds), ManyLiveHolds);

    [GlobalSetup(Target = nameof(SequentialAt100LiveHolds))]
    public Task SetUpSequentialAt100() => StartAsync(nameof(SequentialAt100LiveHolds), FewLiveHolds);

    [GlobalSetup(Target = nameof(SequentialAt100kLiveHolds))]
    public Task SetUpSequentialAt100k() => StartAsync(nameof(SequentialAt100kLiveHolds), ManyLiveHolds);

    /// <summary>
    /// A thousand holds at once, then their releases at once: group commit batches those decided
    /// while a write is in flight (the in-memory journal's never is; Redis's is for the round
    /// trip and the fsync; see Events/write).
    /// </summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = CallsPerBatch)]
    [BenchmarkCategory("Concurrent")]
    public Task ConcurrentAt100LiveHolds() => HoldAndReleaseConcurrentlyAsync();

    [Benchmark(OperationsPerInvoke = CallsPerBatch)]
    [BenchmarkCategory("Concurrent")]
    public Task ConcurrentAt100kLiveHolds() => HoldAndReleaseConcurrentlyAsync();

    /// <summary>One call at a time, each awaited: every write carries one event, so this is per-call latency.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = CallsPerSequentialBatch)]
    [BenchmarkCategory("Sequential")]
    public Task SequentialAt100LiveHolds() => HoldAndReleaseOneByOneAsync();

    [Benchmark(OperationsPerInvoke = CallsPerSequentialBatch)]
    [BenchmarkCategory("Sequential")]
    public Task SequentialAt100kLiveHolds() => HoldAndReleaseOneByOneAsync();

    [GlobalCleanup]
    public async Task StopAsync()
    {
        if (_cluster is null)
        {
            return;
        }

        var activity = _journal!.Read();
        HotLotActivityColumn.Record(_benchmarkMethod, Journal, activity);

        // The measured batches release everything they hold; a different count here would mean
        // holds were lost or expired, and the case did not measure what it says.
        var lot = await _lot.Get();
        Console.WriteLine(
            $"// {_benchmarkMethod} on {Journal}: lot ends with {lot?.Reserved:N0} held (expected {_liveHolds:N0}); journal wrote " +
            $"{activity.Events:N0} events in {activity.Appends:N0} appends ({activity.EventsPerAppend:0.0} events/append), " +
            $"{activity.AppendMicrosecondsPerEvent:0.00} µs/event in appends, {activity.Snapshots} snapshot(s) of " +
            $"{activity.HoldsPerSnapshot:N0} holds taking {activity.SnapshotAppendTime.TotalMilliseconds:N0} ms in all; " +
            $"load average {_loadAtStart} at start, {LoadAverage()} at end.");

        await _cluster.DisposeAsync();
        _cluster = null;

        // After the silo, which may still write while it shuts down.
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
            _redis = null;
        }

        if (_redisServer is not null)
        {
            await _redisServer.DisposeAsync();
            _redisServer = null;
        }
    }

    private async Task StartAsync(string benchmarkMethod, int liveHolds)
    {
        _benchmarkMethod = benchmarkMethod;
        _liveHolds = liveHolds;

        var appendFsync = Journal switch
        {
            LotJournalUnderTest.Embedded => null,
            LotJournalUnderTest.RedisFsyncAlways => "always",
            LotJournalUnderTest.RedisFsyncEverySec => "everysec",
            _ => throw new InvalidOperationException($"Unknown journal {Journal}."),
        };
        if (appendFsync is not null)
        {
            _redisServer = await PrivateRedisServer.StartAsync(appendFsync);
            _redis = await ConnectionMultiplexer.ConnectAsync(_redisServer.ConnectionString);
        }

        var redis = _redis;
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            // Carts and the rest stay in memory: only the lot's journal is under test, and
            // SetHold touches nothing else.
            silo.AddMemoryGrainStorage(StorageNames.Default);
            silo.UseInMemoryReminderService(); // a lot with holds keeps a wake reminder
            if (redis is null)
            {
                silo.Services.AddSingleton<InMemoryLotJournal>();
                silo.Services.AddSingleton(sp => new CountingLotJournal(sp.GetRequiredService<InMemoryLotJournal>()));
            }
            else
            {
                silo.Services.AddSingleton<IConnectionMultiplexer>(redis);
                silo.Services.AddSingleton<RedisLotJournal>();
                silo.Services.AddSingleton(sp => new CountingLotJournal(sp.GetRequiredService<RedisLotJournal>()));
            }

            // Registered before the engine, whose own registration (the in-memory journal) only
            // applies when no journal is registered yet.
            silo.Services.AddSingleton<ILotJournal>(sp => sp.GetRequiredService<CountingLotJournal>());
            silo.AddFlashSaleEngine(new ConfigurationBuilder().Build());
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();

        var services = _cluster.Silos[0].ServiceProvider;
        _journal = services.GetRequiredService<CountingLotJournal>();
        _lot = services.GetRequiredService<IGrainFactory>().GetGrain<IProduceLotGrain>(LotId);

        var created = await _lot.Create(new LotDefinition(
            SellerId: "bench-seller",
            Name: "Benchmark tomatoes",
            Unit: "kg",
            PriceMinor: 250,
            Currency: "EUR",
            Quantity: LotLimits.MaxQuantity,
            PerShopperLimit: 1,
            StartsAt: null,
            EndsAt: null));
        if (!created.Succeeded)
        {
            throw new InvalidOperationException($"Could not create the lot: {created.Refusal.Detail}");
        }

        // Chunks of concurrent holds: one by one, 100,000 holds would take minutes of setup (with
        // an fsync per write, most of an hour); concurrently, group commit writes each chunk in
        // a few appends.
        var expiresAt = DateTimeOffset.UtcNow + HoldDuration;
        for (var placed = 0; placed < liveHolds; placed += PopulationChunk)
        {
            var chunk = Math.Min(PopulationChunk, liveHolds - placed);
            var holds = new Task<Outcome<HoldReceipt>>[chunk];
            for (var i = 0; i < chunk; i++)
            {
                holds[i] = _lot.SetHold($"resident-{placed + i}", 1, expiresAt);
            }

            EnsureSucceeded(await Task.WhenAll(holds));
        }

        // A fresh process runs the call path on unoptimized (tier-0) code at first, and a fresh
        // silo (and connection to Redis) still settles in; neither belongs in the measured
        // iterations of whichever case happens to run first.
        for (var batch = 0; batch < WarmUpBatches; batch++)
        {
            await HoldAndReleaseConcurrentlyAsync();
            await HoldAndReleaseOneByOneAsync();
        }

        var lot = await _lot.Get();
        if (lot?.Reserved != liveHolds)
        {
            throw new InvalidOperationException($"The lot holds {lot?.Reserved}, not {liveHolds}.");
        }

        _journal.Reset();
        _loadAtStart = LoadAverage();
    }

    /// <summary>
    /// The 1-minute load average, where Linux reports it. The machines this runs on are shared:
    /// a load well above the core count during a case means its figure includes waiting for a CPU.
    /// </summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private async Task HoldAndReleaseConcurrentlyAsync()
    {
        var expiresAt = DateTimeOffset.UtcNow + HoldDuration;
        var shoppers = NextShoppers(BatchSize);
        var calls = new Task<Outcome<HoldReceipt>>[BatchSize];
        for (var i = 0; i < BatchSize; i++)
        {
            calls[i] = _lot.SetHold(shoppers[i], 1, expiresAt);
        }

        EnsureSucceeded(await Task.WhenAll(calls));

        for (var i = 0; i < BatchSize; i++)
        {
            calls[i] = _lot.SetHold(shoppers[i], 0, expiresAt);
        }

        EnsureSucceeded(await Task.WhenAll(calls));
    }

    private async Task HoldAndReleaseOneByOneAsync()
    {
        var expiresAt = DateTimeOffset.UtcNow + HoldDuration;
        foreach (var shopper in NextShoppers(SequentialBatchSize))
        {
            EnsureSucceeded(await _lot.SetHold(shopper, 1, expiresAt));
            EnsureSucceeded(await _lot.SetHold(shopper, 0, expiresAt));
        }
    }

    /// <summary>Shoppers never seen by the lot, so each hold is a new one and is taken from stock.</summary>
    private string[] NextShoppers(int count)
    {
        var shoppers = new string[count];
        for (var i = 0; i < count; i++)
        {
            shoppers[i] = $"shopper-{_nextShopper++}";
        }

        return shoppers;
    }

    private static void EnsureSucceeded(Outcome<HoldReceipt>[] outcomes)
    {
        foreach (var outcome in outcomes)
        {
            EnsureSucceeded(outcome);
        }
    }

    // A refused call would be cheap and flatter the figures: stop the run instead.
    private static void EnsureSucceeded(Outcome<HoldReceipt> outcome)
    {
        if (!outcome.Succeeded)
        {
            throw new InvalidOperationException($"A hold was refused: {outcome.Refusal.Code} {outcome.Refusal.Detail}");
        }
    }
}
