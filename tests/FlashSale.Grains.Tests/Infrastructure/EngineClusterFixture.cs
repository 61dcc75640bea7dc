using FlashSale.Common;
using FlashSale.Live;
using FlashSale.Lots.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace FlashSale.Tests.Infrastructure;

/// <summary>
/// One in-process Orleans cluster (a single silo) shared by a collection of tests, with the
/// engine's clock replaced by a <see cref="FakeTimeProvider"/> and its lot journal wrapped so
/// tests can count writes, hold them back, or make them fail. Tests in one collection run one
/// after another, so moving the clock never surprises a neighbour.
/// </summary>
public sealed class EngineClusterFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Epoch = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    private InProcessTestCluster? _cluster;

    public FakeTimeProvider Clock { get; } = new(Epoch);

    public ControllableLotJournal Journal { get; private set; } = null!;

    public IGrainFactory Grains => _cluster!.Client;

    /// <summary>
    /// The collection's API host on the live feed, subscribed before any lot exists: the
    /// publishers' relay then lists it from its first read, so every update of every test reaches
    /// it. A host subscribed by a test would reach that relay only at its next background read,
    /// after updates the test waits for. Tests tell their updates apart by their own lots.
    /// </summary>
    public RecordingFeedHost FeedHost { get; private set; } = null!;

    /// <summary>
    /// Longer than any run of the collection, so <see cref="FeedHost"/> needs no renewals (the
    /// lapse of a subscription is tested on the registry's table itself).
    /// </summary>
    public static readonly TimeSpan HostSubscriptionLifetime = TimeSpan.FromHours(6);

    /// <summary>The silo's own container, for tests of how the engine is wired.</summary>
    public IServiceProvider SiloServices => _cluster!.Silos[0].ServiceProvider;

    /// <summary>The names of the reminders a grain has registered, read from the silo's reminder table.</summary>
    public async Task<string[]> ReminderNames(IAddressable grain)
    {
        var rows = await SiloServices.GetRequiredService<IReminderTable>().ReadRows(grain.GetGrainId());
        return rows.Reminders.Select(r => r.ReminderName).ToArray();
    }

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(StorageNames.Default);
            silo.UseInMemoryReminderService();
            silo.Services.AddKeyedSingleton<TimeProvider>(FlashSaleClock.Key, Clock);
            silo.Services.AddSingleton<InMemoryLotJournal>();
            silo.Services.AddSingleton<ControllableLotJournal>();
            silo.Services.AddSingleton<ILotJournal>(sp => sp.GetRequiredService<ControllableLotJournal>());
            silo.AddFlashSaleEngine(new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?>
                {
                    [$"{LiveStockOptions.Section}:{nameof(LiveStockOptions.HostSubscriptionLifetime)}"] = HostSubscriptionLifetime.ToString(),
                })
                .Build());
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        Journal = _cluster.Silos[0].ServiceProvider.GetRequiredService<ControllableLotJournal>();
        FeedHost = await RecordingFeedHost.Subscribe(Grains);
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class EngineCluster : ICollectionFixture<EngineClusterFixture>
{
    public const string Name = "engine cluster";
}
