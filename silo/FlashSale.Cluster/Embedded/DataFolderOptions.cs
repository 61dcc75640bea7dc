namespace FlashSale.Cluster.Embedded;

/// <summary>
/// Where the embedded host keeps its state (section <c>FlashSale:Data</c>; the run command's
/// <c>--data &lt;dir&gt;</c> and <c>--in-memory</c> set it).
/// </summary>
public sealed class DataFolderOptions
{
    public const string Section = "FlashSale:Data";

    /// <summary>The data folder, relative to the working directory unless absolute.</summary>
    public string Path { get; set; } = System.IO.Path.Combine(".flashsale", "data");

    /// <summary>Keep nothing on disk: the same embedded Redis, without its append-only file or checkpoints.</summary>
    public bool InMemory { get; set; }

    /// <summary>
    /// Acknowledge a write only once its append-only-file record is written to the device
    /// (Garnet's <c>--aof-commit-wait</c>; concurrent writes share one commit): a killed process
    /// loses nothing acknowledged (for a power cut, see docs/architecture.md, "Storage"). Off, a
    /// write is acknowledged when it is queued for the file: a killed process may then lose the
    /// last few milliseconds.
    /// </summary>
    public bool FsyncEveryCommit { get; set; } = true;

    /// <summary>How often a checkpoint is taken; a checkpoint lets the append-only file be truncated.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Where an operator's backups of the running folder go, each in a folder named by its time
    /// (<c>POST /api/operator/backups</c>); beside the data folder, as <c>&lt;data&gt;-backups</c>, unless set.
    /// </summary>
    public string? BackupPath { get; set; }

    public string FullPath => System.IO.Path.GetFullPath(Path);

    public string FullBackupPath => System.IO.Path.GetFullPath(BackupPath ?? FullPath.TrimEnd(System.IO.Path.DirectorySeparatorChar) + "-backups");
}
