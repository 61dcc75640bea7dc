using FlashSale.Cluster.Embedded;
using StackExchange.Redis;

namespace FlashSale.Cluster.Tests.Embedded;

/// <summary>The embedded host's Garnet: its data folder's lock, what survives a restart, and a backup restored elsewhere.</summary>
public sealed class EmbeddedRedisServerTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "flashsale-embedded-" + Guid.NewGuid().ToString("N"));

    private string Folder(string name) => Path.Combine(_root, name);

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void A_second_server_on_a_folder_in_use_is_refused_and_the_folder_is_free_again_once_the_first_stops()
    {
        var folder = Folder("data");
        var first = EmbeddedRedisServer.Start(new DataFolderOptions { Path = folder });

        var refused = Assert.Throws<StartupRefusedException>(() => EmbeddedRedisServer.Start(new DataFolderOptions { Path = folder }));

        Assert.Contains(Path.GetFullPath(folder), refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refused.Message);
        first.Dispose();
        using var second = EmbeddedRedisServer.Start(new DataFolderOptions { Path = folder });
        Assert.True(second.Durable);
    }

    [Fact]
    public void Two_servers_on_different_folders_run_side_by_side_on_their_own_ports()
    {
        using var one = EmbeddedRedisServer.Start(new DataFolderOptions { Path = Folder("one") });
        using var two = EmbeddedRedisServer.Start(new DataFolderOptions { Path = Folder("two") });

        Assert.NotEqual(one.Port, two.Port);
    }

    [Fact]
    public async Task Writes_survive_a_restart_on_the_same_folder_and_a_transaction_and_a_script_run()
    {
        var folder = Folder("data");
        using (var server = EmbeddedRedisServer.Start(new DataFolderOptions { Path = folder }))
        {
            Assert.True(server.IsNewDataFolder);
            await using var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
            var db = connection.GetDatabase();
            await db.StringSetAsync("k", "v1");

            // Conditional transactions (MULTI/EXEC under a condition), as the Orleans providers use them.
            var refusedTx = db.CreateTransaction();
            refusedTx.AddCondition(Condition.StringEqual("k", "other"));
            _ = refusedTx.StringSetAsync("k", "never");
            Assert.False(await refusedTx.ExecuteAsync());
            var tx = db.CreateTransaction();
            tx.AddCondition(Condition.StringEqual("k", "v1"));
            _ = tx.StringSetAsync("k", "v2");
            Assert.True(await tx.ExecuteAsync());

            Assert.Equal(3, (long)await db.ScriptEvaluateAsync("return redis.call('RPUSH', KEYS[1], ARGV[1], ARGV[2], ARGV[3])", ["list"], ["a", "b", "c"]));
        }

        using (var restarted = EmbeddedRedisServer.Start(new DataFolderOptions { Path = folder }))
        {
            Assert.False(restarted.IsNewDataFolder);
            await using var connection = await ConnectionMultiplexer.ConnectAsync(restarted.ConnectionString);
            var db = connection.GetDatabase();
            Assert.Equal("v2", (string?)await db.StringGetAsync("k"));
            Assert.Equal(["a", "b", "c"], (await db.ListRangeAsync("list")).Select(v => (string)v!));
        }
    }

    /// <summary>
    /// Garnet's replay groups a transaction's records by a session id that starts again at 1 in each
    /// process: a transaction a crash cut short would swallow the next run's writes of the session
    /// with its id at the recovery after that. So every start seals what it recovered with a
    /// checkpoint before anyone writes: nothing a previous run wrote is ever replayed again.
    /// </summary>
    [Fact]
    public async Task Every_start_seals_the_previous_runs_log_so_no_record_of_it_is_replayed_again()
    {
        var folder = Folder("data");
        long firstRunTail;
        using (var server = EmbeddedRedisServer.Start(new DataFolderOptions { Path = folder }))
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
            var db = connection.GetDatabase();
            var tx = db.CreateTransaction();
            _ = tx.StringSetAsync("k", "v1");
            Assert.True(await tx.ExecuteAsync());
            await db.ScriptEvaluateAsync("return redis.call('SET', KEYS[1], ARGV[1])", ["k"], ["v2"]);
            var (_, tail) = await AppendOnlyFileRange(server);
            firstRunTail = tail;
        }

        using var restarted = EmbeddedRedisServer.Start(new DataFolderOptions { Path = folder });
        var (begin, _) = await AppendOnlyFileRange(restarted);
        Assert.True(begin >= firstRunTail, $"the restarted store would replay the previous run's records from {begin} to {firstRunTail} again");
        await using var restartedConnection = await ConnectionMultiplexer.ConnectAsync(restarted.ConnectionString);
        Assert.Equal("v2", (string?)await restartedConnection.GetDatabase().StringGetAsync("k"));
    }

    /// <summary>
    /// The defect itself, made deterministic: a copy of the append-only file taken in the middle of
    /// a long MULTI/EXEC is what a SIGKILL at that moment leaves on disk (the transaction's start
    /// without its commit). A store started on that copy, written to over many connections (one of
    /// which gets the cut transaction's session id again) and restarted must keep every one of
    /// those acknowledged writes.
    /// </summary>
    [Fact]
    public async Task A_transaction_cut_short_by_a_crash_swallows_none_of_the_next_runs_writes()
    {
        var folder = Folder("data");
        var crashed = Folder("crashed");
        using (var server = EmbeddedRedisServer.Start(new DataFolderOptions { Path = folder }))
        {
            await using var writer = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
            await writer.GetDatabase().StringSetAsync("before", "1");
            var (_, before) = await AppendOnlyFileRange(server);

            var tx = writer.GetDatabase().CreateTransaction();
            for (var i = 0; i < 200_000; i++)
            {
                _ = tx.StringSetAsync($"tx:{i}", i);
            }

            var exec = tx.ExecuteAsync();
            // Once a megabyte of the transaction is committed its start is on disk; its commit is
            // written only when all of it has run.
            while ((await AppendOnlyFileRange(server)).Tail < before + 1_000_000 && !exec.IsCompleted)
            {
                await Task.Delay(1);
            }

            CopyFolder(Path.Combine(folder, "garnet", "AOF"), Path.Combine(crashed, "garnet", "AOF"));
            Assert.False(exec.IsCompleted, "the transaction finished before the copy; it must be longer for this test to mean anything");
            Assert.True(await exec);
        }

        var written = new List<string>();
        using (var recovered = EmbeddedRedisServer.Start(new DataFolderOptions { Path = crashed }))
        {
            for (var connection = 0; connection < 8; connection++)
            {
                await using var client = await ConnectionMultiplexer.ConnectAsync(recovered.ConnectionString);
                var key = $"after:{connection}";
                Assert.True(await client.GetDatabase().StringSetAsync(key, "acknowledged"));
                written.Add(key);
            }
        }

        using var restarted = EmbeddedRedisServer.Start(new DataFolderOptions { Path = crashed });
        await using var reader = await ConnectionMultiplexer.ConnectAsync(restarted.ConnectionString);
        var db = reader.GetDatabase();
        Assert.Equal("1", (string?)await db.StringGetAsync("before"));
        Assert.False(await db.KeyExistsAsync("tx:0"), "a transaction without its commit must not be applied");
        var lost = new List<string>();
        foreach (var key in written)
        {
            if (!await db.KeyExistsAsync(key))
            {
                lost.Add(key);
            }
        }

        Assert.Empty(lost);
    }

    /// <summary>The append-only file's begin and tail addresses, from <c>INFO persistence</c>.</summary>
    internal static async Task<(long Begin, long Tail)> AppendOnlyFileRange(EmbeddedRedisServer server)
    {
        var options = ConfigurationOptions.Parse(server.ConnectionString);
        options.AllowAdmin = true;
        await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
        var info = (await connection.GetServer(connection.GetEndPoints()[0]).InfoAsync("persistence")).SelectMany(section => section).ToDictionary(item => item.Key, item => item.Value);
        return (Address(info["BeginAddress"]), Address(info["TailAddress"]));

        static long Address(string text) => long.Parse(new string([.. text.Where(char.IsAsciiDigit)]), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_checkpointed_folder_copied_while_stopped_restores_elsewhere_with_every_write()
    {
        var folder = Folder("data");
        using (var server = EmbeddedRedisServer.Start(new DataFolderOptions { Path = folder }))
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
            var db = connection.GetDatabase();
            await db.StringSetAsync("before", "1");
            await server.CheckpointAsync();
            await db.StringSetAsync("after", "2"); // only in the append-only file
        }

        var backup = Folder("backup");
        CopyFolder(folder, backup);

        using var restored = EmbeddedRedisServer.Start(new DataFolderOptions { Path = backup });
        await using var restoredConnection = await ConnectionMultiplexer.ConnectAsync(restored.ConnectionString);
        var restoredDb = restoredConnection.GetDatabase();
        Assert.Equal("1", (string?)await restoredDb.StringGetAsync("before"));
        Assert.Equal("2", (string?)await restoredDb.StringGetAsync("after"));
    }

    [Fact]
    public async Task In_memory_nothing_is_written_and_nothing_is_locked()
    {
        using var server = EmbeddedRedisServer.Start(new DataFolderOptions { Path = Folder("unused"), InMemory = true });
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        await connection.GetDatabase().StringSetAsync("k", "v");

        Assert.False(server.Durable);
        Assert.False(Directory.Exists(Folder("unused")));
    }

    [Fact]
    public async Task The_server_refuses_a_client_without_its_password()
    {
        using var server = EmbeddedRedisServer.Start(new DataFolderOptions { InMemory = true });
        // A raw RESP command on a bare socket: the server's own answer, with no client library's
        // retries and timeouts in between.
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(System.Net.IPAddress.Loopback, server.Port);
        var stream = socket.GetStream();
        await stream.WriteAsync("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"u8.ToArray());
        using var reader = new StreamReader(stream, System.Text.Encoding.ASCII);
        var answer = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.StartsWith("-NOAUTH", answer, StringComparison.Ordinal);
        await using var authenticated = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        Assert.False(await authenticated.GetDatabase().KeyExistsAsync("k"));
    }

    internal static void CopyFolder(string from, string to)
    {
        foreach (var directory in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(directory.Replace(from, to, StringComparison.Ordinal));
        }

        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            if (Path.GetFileName(file) != DataFolderLock.FileName)
            {
                File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
            }
        }
    }
}
