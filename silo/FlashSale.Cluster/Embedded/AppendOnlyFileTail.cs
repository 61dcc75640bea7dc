using System.Buffers.Binary;
using System.Globalization;
using Tsavorite.core;

namespace FlashSale.Cluster.Embedded;

/// <summary>
/// Removes, before Garnet opens the data folder, the one kind of crash debris that makes Garnet
/// 2.2.8 throw away its whole append-only file: a commit that a SIGKILL cut short and that reads
/// back as "commit 0, until address 0".
/// </summary>
/// <remarks>
/// <para>
/// Why: Tsavorite (Garnet's log) recovers the append-only file from its newest commit file, then
/// scans the log forward for commit records written after it. Both are checked by a checksum that
/// is the XOR of their fields, so all zeros is a valid commit. A commit record whose first bytes
/// were flushed and whose rest never was (the flush ended at a sector boundary inside it, then the
/// process was killed) reads past the end of the file as zeros, passes, and becomes the
/// recovery's commit: until address 0 means "no commit at all", and the recovered log is empty.
/// Every write since the last checkpoint is then gone, the start-up seal checkpoints that loss,
/// and it is permanent. EmbeddedHostFailureTests caught it once (fault seed 1433780198): the
/// kept folder's log ended with such a commit record, 8 of its 44 bytes in the file.
/// </para>
/// <para>
/// The repair walks exactly what that recovery walks, with Tsavorite's own commit parsing, and
/// cuts the log at the first commit record that reads as until address 0. Nothing it removes was
/// acknowledged: a write is answered only once a complete commit after it is on disk
/// (<c>--aof-commit-wait</c>), and a cut commit is the last thing a killed process wrote.
/// </para>
/// </remarks>
internal static class AppendOnlyFileTail
{
    /// <summary>Garnet's append-only file folder and file name inside the store folder (database 0).</summary>
    internal const string Folder = "AOF";

    private const string LogFileName = "aof.log";

    /// <summary>Passed to Garnet as <c>--aof-page-size</c>: records never cross a page, and a page's unused end is zeros.</summary>
    internal const int PageSizeBits = 25;

    /// <summary>Passed to Garnet as <c>--aof-segment-size</c>: one file per segment, <c>aof.log.N</c>.</summary>
    internal const int SegmentSizeBits = 27;

    /// <summary>The first record's address: the log's first 64 bytes are reserved.</summary>
    private const long FirstAddress = 64;

    /// <summary>A record is a 4-byte length (negative for a commit record) and its payload, padded to 4 bytes.</summary>
    private const int HeaderSize = 4;

    /// <summary>
    /// Repairs the append-only file under <paramref name="storeFolder"/> if a crash left a commit
    /// that reads as until address 0; returns what it removed, or null when there was nothing to do.
    /// </summary>
    public static string? RepairCutCommit(string storeFolder)
    {
        var folder = Path.Combine(storeFolder, Folder);
        if (!Directory.Exists(folder))
        {
            return null;
        }

        if (FirstCutCommitRecord(folder, NewestCommitUntil(folder)) is not { } at)
        {
            return null;
        }

        var (file, offset) = Locate(folder, at);
        using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite);
        var length = stream.Length;
        stream.SetLength(offset);
        stream.Flush(flushToDisk: true);
        return string.Create(CultureInfo.InvariantCulture, $"a commit record cut short at address {at} ({length - offset} bytes from the end of {Path.GetFileName(file)})");
    }

    /// <summary>
    /// The until address of the newest commit file that reads as a commit, where Tsavorite's scan
    /// starts (it skips the ones that do not, such as one a crash left empty); the log's first
    /// address when there is none.
    /// </summary>
    private static long NewestCommitUntil(string folder)
    {
        using var commits = new DeviceLogCommitCheckpointManager(
            new LocalStorageNamedDeviceFactoryCreator(deviceType: DeviceType.RandomAccess),
            new DefaultCheckpointNamingScheme(folder),
            removeOutdated: false);
        foreach (var number in commits.ListCommits())
        {
            if (ParsedUntilAddress(() => commits.GetCommitMetadata(number)) is > 0 and var until)
            {
                return until;
            }
        }

        return FirstAddress;
    }

    /// <summary>
    /// Walks the log's records from <paramref name="from"/> as Tsavorite's recovery scan does and
    /// returns the address of the first commit record that reads as until address 0, if any.
    /// </summary>
    private static long? FirstCutCommitRecord(string folder, long from)
    {
        const long pageSize = 1L << PageSizeBits;
        Span<byte> header = stackalloc byte[HeaderSize];
        var payload = new byte[64];
        using var log = new SegmentReader(folder);
        var address = from;
        while (log.Read(address, header) > 0)
        {
            var recordLength = BinaryPrimitives.ReadInt32LittleEndian(header);
            var offsetOnPage = address & (pageSize - 1);
            if (recordLength == 0)
            {
                // A page's unused end: the scan goes on at the next page, and stops at a page
                // that begins with zeros.
                if (offsetOnPage == 0)
                {
                    return null;
                }

                address = (address | (pageSize - 1)) + 1;
                continue;
            }

            var payloadLength = recordLength < 0 ? -(long)recordLength : recordLength;
            var recordSize = HeaderSize + ((payloadLength + 3) & ~3L);
            if (recordLength == int.MinValue || offsetOnPage + recordSize > pageSize)
            {
                // Tsavorite stops its scan at an impossible length; so does this walk.
                return null;
            }

            if (recordLength < 0 && payloadLength <= payload.Length)
            {
                var body = payload.AsSpan(0, (int)payloadLength);
                _ = log.Read(address + HeaderSize, body);
                var bytes = body.ToArray();
                // Until address 0 is what only a record that was not written in full reads as; one
                // that does not parse at all stops Tsavorite's scan at the last good commit, as it should.
                if (ParsedUntilAddress(() => bytes) == 0)
                {
                    return address;
                }
            }

            address += recordSize;
        }

        return null;
    }

    /// <summary>A commit's until address as Tsavorite parses it; null when it does not parse.</summary>
    private static long? ParsedUntilAddress(Func<byte[]?> read)
    {
        try
        {
            if (read() is not { } metadata)
            {
                return null;
            }

            var info = new TsavoriteLogRecoveryInfo();
            info.Initialize(metadata);
            return info.UntilAddress;
        }
        catch (Exception ex) when (ex is TsavoriteException or IOException or ArgumentException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>The segment file that holds <paramref name="address"/>, and the offset in it.</summary>
    private static (string File, long Offset) Locate(string folder, long address)
    {
        var segment = address >> SegmentSizeBits;
        var file = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{LogFileName}.{segment}"));
        return (file, address & ((1L << SegmentSizeBits) - 1));
    }

    /// <summary>Reads the log by address across its segment files, keeping the current one open.</summary>
    private sealed class SegmentReader(string folder) : IDisposable
    {
        private FileStream? _stream;
        private string? _file;

        /// <summary>
        /// Reads <paramref name="buffer"/> at <paramref name="address"/>, zeros past the end of
        /// the file (as Tsavorite's device reads them); returns how many bytes were in the file.
        /// </summary>
        public int Read(long address, Span<byte> buffer)
        {
            buffer.Clear();
            var (file, offset) = Locate(folder, address);
            if (file != _file)
            {
                _stream?.Dispose();
                _stream = File.Exists(file) ? new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16) : null;
                _file = file;
            }

            if (_stream is null || offset >= _stream.Length)
            {
                return 0;
            }

            _stream.Position = offset;
            var read = 0;
            while (read < buffer.Length)
            {
                var n = _stream.Read(buffer[read..]);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            return read;
        }

        public void Dispose() => _stream?.Dispose();
    }
}
