using FlashSale.Cluster.Embedded;
using FlashSale.Cluster.Tests.Infrastructure;
using FlashSale.Lots;
using FlashSale.Lots.Storage;
using FlashSale.Testing.Redis;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using StackExchange.Redis;

namespace FlashSale.Cluster.Tests;

/// <summary>
/// The lot journal against a real server: conditional appends, atomic compaction,
/// replay. Run against redis-server (the cluster's store) and against Garnet in process (the
/// embedded host's), durable, so the one journal is checked on both.
/// </summary>
public abstract class RedisLotJournalTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly LotDefinition Pears = new("sel_x", "Pears", "box", 500, "CNY", 10, 5, null, null);

    private ConnectionMultiplexer? _connection;
    private ServiceProvider? _services;

    private RedisLotJournal Journal => new(_connection!, _services!.GetRequiredService<Serializer>());

    public async Task InitializeAsync()
    {
        _connection = await ConnectionMultiplexer.ConnectAsync(await StartServer());
        _services = new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(LotEvent).Assembly).AddAssembly(typeof(LotDefinition).Assembly)).BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services!.DisposeAsync();
        await _connection!.DisposeAsync();
        await StopServer();
    }

    /// <summary>Starts the server under test; returns its connection string.</summary>
    protected abstract Task<string> StartServer();

    protected abstract Task StopServer();

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
    public async Task An_append_the_server_aborted_without_a_conflict_is_tried_again()
    {
        // Garnet tracks a WATCH per hash bucket, so another key's write can abort an append whose
        // sequence never moved; before this was retried, the lot dropped its activation and every
        // queued hold answered 503 (seen in a hot-lot benchmark on the embedded host).
        var lot = "lot_" + Guid.NewGuid().ToString("N")[..16];
        await Journal.AppendAsync(lot, 0, [new LotCreated(T0, Pears)], null);
        var executions = 0;

        await AbortingFirst(2, () => executions++).AppendAsync(lot, 1, [new HoldSet(T0, "a", 2, T0.AddMinutes(10))], null);

        var contents = await Journal.ReadAsync(lot);
        Assert.Equal(3, executions);
        Assert.Equal(2, contents.Sequence);
        Assert.Equal(["LotCreated", "HoldSet"], contents.Events.Select(e => e.GetType().Name));
    }

    [Fact]
    public async Task An_append_the_server_keeps_aborting_gives_up_as_a_conflict_and_writes_nothing()
    {
        var lot = "lot_" + Guid.NewGuid().ToString("N")[..16];
        await Journal.AppendAsync(lot, 0, [new LotCreated(T0, Pears)], null);
        var executions = 0;

        await Assert.ThrowsAsync<LotJournalConflictException>(() =>
            AbortingFirst(int.MaxValue, () => executions++).AppendAsync(lot, 1, [new HoldSet(T0, "a", 2, T0.AddMinutes(10))], null));

        Assert.Equal(RedisLotJournal.MaxAttempts, executions);
        Assert.Equal(1, (await Journal.ReadAsync(lot)).Sequence);
    }

    [Fact]
    public async Task An_append_behind_another_writer_is_not_tried_again()
    {
        var lot = "lot_" + Guid.NewGuid().ToString("N")[..16];
        await Journal.AppendAsync(lot, 0, [new LotCreated(T0, Pears)], null);
        await Journal.AppendAsync(lot, 1, [new HoldSet(T0, "a", 1, T0.AddMinutes(10))], null);
        var executions = 0;

        await Assert.ThrowsAsync<LotJournalConflictException>(() =>
            AbortingFirst(0, () => executions++).AppendAsync(lot, 1, [new HoldSet(T0, "b", 1, T0.AddMinutes(10))], null));

        Assert.Equal(1, executions);
        Assert.Equal(["LotCreated", "HoldSet"], (await Journal.ReadAsync(lot)).Events.Select(e => e.GetType().Name));
    }

    /// <summary>A journal whose first <paramref name="aborts"/> transactions report "not applied" without reaching the server.</summary>
    private RedisLotJournal AbortingFirst(int aborts, Action executed)
    {
        var seen = 0;
        var redis = Interceptor.Wrap<IConnectionMultiplexer>(_connection!, (method, _, proceed) =>
            method.Name != nameof(IConnectionMultiplexer.GetDatabase) ? proceed() : Interceptor.Wrap((IDatabase)proceed()!, (method, _, proceed) =>
                method.Name != nameof(IDatabase.CreateTransaction) ? proceed() : Interceptor.Wrap((ITransaction)proceed()!, (method, _, proceed) =>
                {
                    if (method.Name != nameof(ITransaction.ExecuteAsync))
                    {
                        return proceed();
                    }

                    executed();
                    return seen++ < aborts ? Task.FromResult(false) : proceed();
                })));
        return new RedisLotJournal(redis, _services!.GetRequiredService<Serializer>());
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

public sealed class RedisServerLotJournalTests : RedisLotJournalTests
{
    private PrivateRedisServer? _redis;

    protected override async Task<string> StartServer()
    {
        _redis = await PrivateRedisServer.StartAsync(port: LoopbackPorts.Unused());
        return _redis.ConnectionString;
    }

    protected override async Task StopServer() => await _redis!.DisposeAsync();
}

public sealed class GarnetLotJournalTests : RedisLotJournalTests
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "flashsale-garnet-" + Guid.NewGuid().ToString("N"));
    private EmbeddedRedisServer? _garnet;

    protected override Task<string> StartServer()
    {
        _garnet = EmbeddedRedisServer.Start(new DataFolderOptions { Path = _folder });
        return Task.FromResult(_garnet.ConnectionString);
    }

    protected override Task StopServer()
    {
        _garnet!.Dispose();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}
