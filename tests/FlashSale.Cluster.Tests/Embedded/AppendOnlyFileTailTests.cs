using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using FlashSale.Cluster.Embedded;
using StackExchange.Redis;

namespace FlashSale.Cluster.Tests.Embedded;

/// <summary>
/// What a SIGKILL in the middle of writing a commit leaves on disk, made deterministic: a copy of
/// a running store's folder (everything acknowledged is on disk, nothing is being written), then
/// the last commit cut as the crash would have cut it. The restart must keep every write whose
/// commit was whole. Before the repair, Garnet read a commit cut 8 bytes in as "until address 0"
/// and recovered an empty append-only file (EmbeddedHostFailureTests caught it once).
/// </summary>
public sealed class AppendOnlyFileTailTests : IDisposable
{
    private const int Acknowledged = 50;

    /// <summary>A commit record: a 4-byte length of -40, then version, checksum, begin, until, commit number and cookie length.</summary>
    private const int CommitRecordSize = 44;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "flashsale-aof-tail-" + Guid.NewGuid().ToString("N"));

    private string Folder(string name) => Path.Combine(_root, name);

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Theory]
    [InlineData(4, false)] // the length only: version 0, which Tsavorite refuses, keeping the commit before
    [InlineData(8, true)] // length and version, then zeros: a valid commit "until 0" (what the kept folder held)
    [InlineData(12, false)] // part of the checksum: it does not match, and Tsavorite keeps the commit before
    [InlineData(24, false)]
    [InlineData(40, false)]
    public async Task A_commit_cut_short_by_a_crash_loses_only_the_write_it_would_have_committed(int bytesWritten, bool repaired)
    {
        var crashed = await RunAndCopyWhileRunning();
        CutLastCommit(crashed, bytesWritten);

        using var restarted = EmbeddedRedisServer.Start(new DataFolderOptions { Path = crashed.Folder });

        await AssertEveryAcknowledgedWriteIsThere(restarted);
        // Its commit never completed, so the write was never answered; recovery ends at the commit before it.
        Assert.False(await KeyExists(restarted, "uncommitted"));
        if (repaired)
        {
            Assert.Contains("a commit record cut short", restarted.RepairedBeforeRecovery, StringComparison.Ordinal);
        }
        else
        {
            Assert.Null(restarted.RepairedBeforeRecovery);
        }
    }

    /// <summary>
    /// A crash can also leave the newest commit file empty (created, never written). Tsavorite skips
    /// it and scans from the one before; so must the repair, or it would miss the cut commit record.
    /// </summary>
    [Fact]
    public async Task A_commit_record_cut_short_is_found_behind_an_empty_newest_commit_file()
    {
        var crashed = await RunAndCopyWhileRunning();
        var commits = Path.Combine(crashed.Folder, EmbeddedRedisServer.StoreFolder, AppendOnlyFileTail.Folder, "log-commits");
        var newest = Directory.GetFiles(commits).Select(file => long.Parse(Path.GetFileName(file).Split('.')[1], CultureInfo.InvariantCulture)).Max();
        File.WriteAllBytes(Path.Combine(commits, $"commit.{newest + 1}.0"), []);
        CutLastCommit(crashed, 8);

        using var restarted = EmbeddedRedisServer.Start(new DataFolderOptions { Path = crashed.Folder });

        await AssertEveryAcknowledgedWriteIsThere(restarted);
        Assert.Contains("a commit record cut short", restarted.RepairedBeforeRecovery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_whole_log_is_left_exactly_as_it_is()
    {
        var crashed = await RunAndCopyWhileRunning();
        var store = Path.Combine(crashed.Folder, EmbeddedRedisServer.StoreFolder);
        var before = Fingerprint(store);

        Assert.Null(AppendOnlyFileTail.RepairCutCommit(store));

        Assert.Equal(before, Fingerprint(store));
        using var restarted = EmbeddedRedisServer.Start(new DataFolderOptions { Path = crashed.Folder });
        await AssertEveryAcknowledgedWriteIsThere(restarted);
        Assert.True(await KeyExists(restarted, "uncommitted"));
    }

    /// <summary>
    /// Writes the acknowledged keys and one more, then copies the folder while the server still
    /// runs, as a SIGKILL would leave it. Returns the copy and the log's tail address.
    /// </summary>
    private async Task<(string Folder, long Tail)> RunAndCopyWhileRunning()
    {
        var folder = Folder("data");
        var crashed = Folder("crashed");
        using var server = EmbeddedRedisServer.Start(new DataFolderOptions { Path = folder });
        await using (var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString))
        {
            var db = connection.GetDatabase();
            for (var i = 0; i < Acknowledged; i++)
            {
                Assert.True(await db.StringSetAsync($"acknowledged:{i}", i));
            }

            Assert.True(await db.StringSetAsync("uncommitted", "its commit is the one cut"));
        }

        var (_, tail) = await EmbeddedRedisServerTests.AppendOnlyFileRange(server);
        EmbeddedRedisServerTests.CopyFolder(folder, crashed);
        return (crashed, tail);
    }

    /// <summary>Keeps the first <paramref name="bytesWritten"/> bytes of the log's last record, its last commit, as a flush that ended inside it would.</summary>
    private static void CutLastCommit((string Folder, long Tail) crashed, int bytesWritten)
    {
        var log = Path.Combine(crashed.Folder, EmbeddedRedisServer.StoreFolder, AppendOnlyFileTail.Folder, "aof.log.0");
        var commitAt = crashed.Tail - CommitRecordSize;
        using var stream = new FileStream(log, FileMode.Open, FileAccess.ReadWrite);
        Span<byte> length = stackalloc byte[4];
        stream.Position = commitAt;
        stream.ReadExactly(length);
        Assert.Equal(-(CommitRecordSize - 4), BinaryPrimitives.ReadInt32LittleEndian(length));
        stream.SetLength(commitAt + bytesWritten);
    }

    private static async Task AssertEveryAcknowledgedWriteIsThere(EmbeddedRedisServer server)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var db = connection.GetDatabase();
        var lost = new List<int>();
        for (var i = 0; i < Acknowledged; i++)
        {
            if ((int?)await db.StringGetAsync($"acknowledged:{i}") != i)
            {
                lost.Add(i);
            }
        }

        Assert.Empty(lost);
    }

    private static async Task<bool> KeyExists(EmbeddedRedisServer server, string key)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        return await connection.GetDatabase().KeyExistsAsync(key);
    }

    private static string Fingerprint(string folder) => string.Join('\n', Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
        .Select(file => $"{Path.GetRelativePath(folder, file)} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)))}"));
}
