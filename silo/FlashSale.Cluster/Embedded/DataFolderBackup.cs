namespace FlashSale.Cluster.Embedded;

/// <summary>A backup taken of a running data folder: a data folder of its own, ready for <c>--data</c>.</summary>
public sealed record DataFolderBackupResult(string Path, DateTimeOffset TakenAt, long Bytes, int Files);

/// <summary>
/// Copies a running data folder into a new folder that a later process can start on with
/// <c>--data</c>. The copy is what a crash at one moment during it would leave, and the store
/// recovers from that as from any crash (the fault tests kill it at random moments):
/// <list type="number">
/// <item>A checkpoint is taken first, and no other checkpoint runs until the copy ends: the
/// checkpoint's files, and the store's log up to it, are not changed or deleted meanwhile.</item>
/// <item>The store's files are copied, except the append-only file.</item>
/// <item>The append-only file's commit records are copied before its segments: a commit record
/// names an address the segments already hold, so the copy never claims more than it has, and
/// replay stops at the last commit copied.</item>
/// </list>
/// Everything else in the folder (the installation's secrets, so that tokens and webhooks keep
/// verifying after a restore) is copied with its owner-only permissions; the folder's lock is not.
/// </summary>
public static class DataFolderBackup
{
    private const string AppendOnlyFileFolder = "AOF";
    private const string CommitRecordsFolder = "log-commits";

    public static async Task<DataFolderBackupResult> TakeAsync(EmbeddedRedisServer store, string destination, TimeProvider time, CancellationToken cancellation)
    {
        var source = store.DataPath ?? throw new InvalidOperationException("An in-memory store has nothing on disk to back up.");
        if (Directory.Exists(destination) && Directory.EnumerateFileSystemEntries(destination).Any())
        {
            throw new IOException($"The backup folder {destination} already exists and is not empty.");
        }

        try
        {
            return await CopyAfterCheckpointAsync(store, source, destination, time, cancellation);
        }
        catch
        {
            // A backup that did not finish is no backup: nothing half-copied is left to be restored.
            if (Directory.Exists(destination))
            {
                Directory.Delete(destination, recursive: true);
            }

            throw;
        }
    }

    private static Task<DataFolderBackupResult> CopyAfterCheckpointAsync(
        EmbeddedRedisServer store, string source, string destination, TimeProvider time, CancellationToken cancellation) =>
        store.WhileNoCheckpointRuns(async () =>
        {
            await store.CheckpointNowAsync();
            var takenAt = time.GetUtcNow();
            CreateOwnerOnly(destination);
            var copied = new Totals();
            var aof = Path.Combine(source, EmbeddedRedisServer.StoreFolder, AppendOnlyFileFolder);
            foreach (var entry in Directory.EnumerateFileSystemEntries(source))
            {
                if (Path.GetFileName(entry) != DataFolderLock.FileName)
                {
                    await CopyAsync(entry, Path.Combine(destination, Path.GetFileName(entry)), skip: aof, copied, cancellation);
                }
            }

            if (Directory.Exists(aof))
            {
                var aofCopy = Path.Combine(destination, EmbeddedRedisServer.StoreFolder, AppendOnlyFileFolder);
                var commits = Path.Combine(aof, CommitRecordsFolder);
                CreateOwnerOnly(aofCopy);
                if (Directory.Exists(commits))
                {
                    await CopyAsync(commits, Path.Combine(aofCopy, CommitRecordsFolder), skip: null, copied, cancellation);
                }

                foreach (var entry in Directory.EnumerateFileSystemEntries(aof).Where(e => e != commits))
                {
                    await CopyAsync(entry, Path.Combine(aofCopy, Path.GetFileName(entry)), skip: null, copied, cancellation);
                }
            }

            return new DataFolderBackupResult(destination, takenAt, copied.Bytes, copied.Files);
        });

    private static async Task CopyAsync(string source, string destination, string? skip, Totals copied, CancellationToken cancellation)
    {
        if (source == skip)
        {
            return;
        }

        if (Directory.Exists(source))
        {
            CreateOwnerOnly(destination);
            foreach (var entry in Directory.EnumerateFileSystemEntries(source))
            {
                await CopyAsync(entry, Path.Combine(destination, Path.GetFileName(entry)), skip, copied, cancellation);
            }

            return;
        }

        try
        {
            await using var from = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, useAsync: true);
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 1 << 16, Options = FileOptions.Asynchronous };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            await using var to = new FileStream(destination, create);
            await from.CopyToAsync(to, cancellation);
            to.Flush(flushToDisk: true); // the backup is on the device before it is reported taken
            copied.Add(to.Length);
        }
        catch (FileNotFoundException)
        {
            // A commit record or segment the store let go of while the folder was listed: the
            // records copied after it carry the same and more.
        }
    }

    private static void CreateOwnerOnly(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private sealed class Totals
    {
        public long Bytes { get; private set; }

        public int Files { get; private set; }

        public void Add(long bytes)
        {
            Bytes += bytes;
            Files++;
        }
    }
}
