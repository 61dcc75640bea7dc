using FlashSale.Cluster.Tests.Infrastructure;
using FlashSale.Lots;
using FlashSale.Lots.Storage;
using FlashSale.Testing.Redis;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using StackExchange.Redis;

namespace FlashSale.Cluster.Tests;

/// <summary>The lot journal against a real redis-server: conditional appends, atomic compaction, replay.</summary>
public sealed class RedisLotJournalTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly LotDefinition Pears = new("sel_x", "Pears", "box", 500, "CNY", 10, 5, null, null);

    private PrivateRedisServer? _redis;
    private ConnectionMultiplexer? _connection;
    private ServiceProvider? _services;

    private RedisLotJournal Journal => new(_connection!, _services!.GetRequiredService<Serializer>());

    public async Task InitializeAsync()
    {
        _redis = await PrivateRedisServer.StartAsync(port: FreePorts.Next());
        _connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        _services = new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(LotEvent).Assembly).AddAssembly(typeof(LotDefinition).Assembly)).BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services!.DisposeAsync();
        await _connection!.DisposeAsync();
        await _redis!.DisposeAsync();
    }

    [Fact]
    public async Task Appends_are_read_back_in_order()
    {
        var lot = "lot_" + Guid.NewGuid().ToString("N")[..16];
        await Journal.AppendAsync(lot, 0, [new LotCreated(T0, Pears)], null);
        await Journal.AppendAsync(lot, 1, [new HoldSet(T0, "a", 2, T0.AddMinutes(10)), new HoldSet(T0, "b", 1, T0.AddMinutes(10))], null);

        var contents = await Journal.ReadAsync(lot);

        Assert.Null(contents.Snapshot);
        Assert.Equal(3, contents.Sequence);
        Assert.Equal(["LotCreated", "HoldSet", "HoldSet"], contents.Events.Select(e => e.GetType().Name));
        Assert.Equal("b", ((HoldSet)contents.Events[2]).ShopperId);
    }

    [Fact]
    public async Task An_append_at_a_stale_sequence_is_refused_and_writes_nothing()
    {
        var lot = "lot_" + Guid.NewGuid().ToString("N")[..16];
        await Journal.AppendAsync(lot, 0, [new LotCreated(T0, Pears)], null);

        await Assert.ThrowsAsync<LotJournalConflictException>(() => Journal.AppendAsync(lot, 0, [new LotCreated(T0, Pears)], null));

        Assert.Single((await Journal.ReadAsync(lot)).Events);
    }

    [Fact]
    public async Task A_snapshot_replaces_the_events_before_it_in_the_same_step()
    {
        var lot = "lot_" + Guid.NewGuid().ToString("N")[..16];
        var inventory = new LotInventory(lot);
        var created = new LotCreated(T0, Pears);
        var held = new HoldSet(T0, "a", 3, T0.AddMinutes(10));
        inventory.Apply(created);
        inventory.Apply(held);
        await Journal.AppendAsync(lot, 0, [created], null);
        await Journal.AppendAsync(lot, 1, [held], inventory.ToSnapshot());
        await Journal.AppendAsync(lot, 2, [new HoldReleased(T0, "a", Expired: false)], null);

        var contents = await Journal.ReadAsync(lot);

        Assert.Equal(2, contents.Snapshot!.Sequence);
        Assert.Equal((7, 3), (contents.Snapshot.Available, contents.Snapshot.Reserved));
        Assert.IsType<HoldReleased>(Assert.Single(contents.Events));
        Assert.Equal(3, contents.Sequence);
    }
}
