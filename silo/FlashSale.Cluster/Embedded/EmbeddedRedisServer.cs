using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using Garnet;
using StackExchange.Redis;

namespace FlashSale.Cluster.Embedded;

/// <summary>
/// The embedded host's Redis: a Garnet server in this process, on 127.0.0.1 at a free port, with
/// a password made up at each start (another local user cannot reach it), Lua on (the lot journal
/// and the Orleans providers run scripts). Durable, it keeps an append-only file and checkpoints
/// in the data folder, recovers from them at start and holds the folder's lock; in memory, it is
/// the same server without them. Either way the silo talks to it exactly as a cluster's silo
/// talks to its Redis.
/// </summary>
public sealed class EmbeddedRedisServer : IDisposable
{
    /// <summary>The store's folder inside the data folder.</summary>
    public const string StoreFolder = "garnet";

    private readonly SemaphoreSlim _checkpoints = new(1, 1);

    private readonly GarnetServer _server;
    private readonly DataFolderLock? _lock;
    private int _disposed;

    private EmbeddedRedisServer(GarnetServer server, DataFolderLock? folderLock, int port, string password, string? dataPath, bool isNewDataFolder, bool waitsForDisk, string? repairedBeforeRecovery)
    {
        RepairedBeforeRecovery = repairedBeforeRecovery;
        WaitsForDisk = waitsForDisk;
        _server = server;
        _lock = folderLock;
        Port = port;
        DataPath = dataPath;
        IsNewDataFolder = isNewDataFolder;
        // The store lives in this process: a call it has not answered within the client's default
        // 5 s is one starved by this process's own load (the API suite's parallel hosts on two cores
        // saw it), not a lost server. Each request is still bounded by the engine's deadline.
        ConnectionString = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)},password={password},syncTimeout={ClientTimeoutMs},asyncTimeout={ClientTimeoutMs}";
    }

    /// <summary>How long this process's clients wait for an answer from the store in it.</summary>
    public const int ClientTimeoutMs = 20_000;

    public int Port { get; }

    /// <summary>The data folder, or null in memory.</summary>
    public string? DataPath { get; }

    public bool Durable => DataPath is not null;

    /// <summary>A write is acknowledged only once it is on disk (<see cref="DataFolderOptions.FsyncEveryCommit"/>).</summary>
    public bool WaitsForDisk { get; }

    /// <summary>True when this start created the data folder's store (always true in memory).</summary>
    public bool IsNewDataFolder { get; }

    /// <summary>
    /// What this start removed from the append-only file before recovering it (a commit a crash
    /// cut short, see <see cref="AppendOnlyFileTail"/>), or null when the file was whole.
    /// </summary>
    public string? RepairedBeforeRecovery { get; }

    /// <summary>For StackExchange.Redis and the Orleans Redis providers; carries the password.</summary>
    public string ConnectionString { get; }

    public static EmbeddedRedisServer Start(DataFolderOptions options)
    {
        string? dataPath = null;
        DataFolderLock? folderLock = null;
        var isNew = true;
        if (!options.InMemory)
        {
            dataPath = options.FullPath;
            folderLock = DataFolderLock.Acquire(dataPath);
            isNew = !Directory.Exists(Path.Combine(dataPath, StoreFolder));
        }

        string? repaired = null;
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        try
        {
            if (dataPath is not null && !isNew)
            {
                repaired = AppendOnlyFileTail.RepairCutCommit(Path.Combine(dataPath, StoreFolder));
            }

            // A free port is chosen, then bound by Garnet a moment later: another process's explicit
            // bind may take it in between, so a failed bind tries another one, a few times.
            for (var attempt = 1; ; attempt++)
            {
                var port = LoopbackPorts.Unused();
                var server = new GarnetServer(Arguments(options, dataPath, port, password));
                EmbeddedRedisServer started;
                try
                {
                    server.Start();
                    started = new EmbeddedRedisServer(server, folderLock, port, password, dataPath, isNew, dataPath is not null && options.FsyncEveryCommit, repaired);
                }
                catch (Exception ex) when (attempt < 3 && ex is SocketException or IOException or InvalidOperationException)
                {
                    server.Dispose();
                    continue;
                }

                try
                {
                    started.SealRecoveredLog();
                }
                catch
                {
                    server.Dispose();
                    throw;
                }

                return started;
            }
        }
        catch
        {
            folderLock?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Takes a checkpoint and waits for it: the store's state as of now is on disk, and the
    /// append-only file before it may be truncated. A no-op in memory.
    /// </summary>
    public Task CheckpointAsync() => Durable ? WhileNoCheckpointRuns(CheckpointNowAsync) : Task.CompletedTask;

    /// <summary>Runs <paramref name="work"/> while no other checkpoint is taken (a backup copies the files of one).</summary>
    internal async Task<T> WhileNoCheckpointRuns<T>(Func<Task<T>> work)
    {
        await _checkpoints.WaitAsync();
        try
        {
            return await work();
        }
        finally
        {
            _checkpoints.Release();
        }
    }

    private Task WhileNoCheckpointRuns(Func<Task> work) => WhileNoCheckpointRuns(async () =>
    {
        await work();
        return true;
    });

    internal async Task CheckpointNowAsync()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(AdminOptions());
        // Garnet's SAVE answers once the checkpoint is complete (BGSAVE would answer at once).
        await connection.GetServer(connection.GetEndPoints()[0]).ExecuteAsync("SAVE");
    }

    /// <summary>
    /// Takes a checkpoint right after recovery, before any client connects, so that the next
    /// recovery never replays this start's append-only file on top of the previous run's.
    /// Why: Garnet's replay groups a transaction's records by the id of the session that wrote
    /// them, and those ids start again at 1 in every process. A SIGKILL in the middle of a
    /// MULTI/EXEC (the lot journal's append is one) leaves a transaction start with no commit;
    /// without this checkpoint, the next run's session with the same id had its acknowledged
    /// writes swallowed into that open transaction at the following recovery, and lost
    /// (EmbeddedHostFailureTests caught it; EmbeddedRedisServerTests reproduces it). The
    /// checkpoint truncates the file before the open transaction, so no later run can join it.
    /// </summary>
    private void SealRecoveredLog()
    {
        // A new folder recovered nothing, so there is nothing to seal; the checkpoint would only
        // write Garnet's 128 MB index once more.
        if (!Durable || IsNewDataFolder)
        {
            return;
        }

        using var connection = ConnectionMultiplexer.Connect(AdminOptions());
        connection.GetServer(connection.GetEndPoints()[0]).Execute("SAVE");
    }

    private ConfigurationOptions AdminOptions()
    {
        var admin = ConfigurationOptions.Parse(ConnectionString);
        admin.AllowAdmin = true;
        return admin;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _server.Dispose();
            _lock?.Dispose();
        }
    }

    private static string[] Arguments(DataFolderOptions options, string? dataPath, int port, string password)
    {
        List<string> args =
        [
            "--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture),
            "--auth", "Password", "--password", password,
            "--lua",
            "--logger-level", "Warning",
            "-q",
        ];
        if (dataPath is not null)
        {
            var store = Path.Combine(dataPath, StoreFolder);
            args.AddRange(
            [
                // Every write goes to the append-only file, one commit per operation (concurrent
                // ones share a commit), into a file Garnet opens write-through.
                "--aof", "--aof-commit-freq", "0",
                // A checkpoint frees the file only in whole segments: at Garnet's 1 GB, a surge's
                // folder grew past 1.3 GB between checkpoints (docs/benchmarks.md, "data folder").
                "--aof-segment-size", (1L << AppendOnlyFileTail.SegmentSizeBits).ToString(CultureInfo.InvariantCulture),
                // Garnet's default page size, named because AppendOnlyFileTail walks the pages.
                "--aof-page-size", (1L << AppendOnlyFileTail.PageSizeBits).ToString(CultureInfo.InvariantCulture),
                // The store spills to disk beyond memory instead of evicting: nothing is dropped.
                // The managed device: the native one needs libaio, which a plain machine lacks.
                "--storage-tier", "--device-type", "RandomAccess",
                "--checkpointdir", store, "--logdir", store,
                "--recover",
                // A replay that fails stops the start: serving part of the store would be worse.
                "--fail-on-recovery-error",
            ]);
            if (options.FsyncEveryCommit)
            {
                args.Add("--aof-commit-wait");
            }
        }

        return [.. args];
    }
}
