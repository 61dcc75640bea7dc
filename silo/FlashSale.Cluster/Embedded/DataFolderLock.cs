namespace FlashSale.Cluster.Embedded;

/// <summary>
/// An exclusive lock on a data folder, held for the life of the process. On Linux and macOS .NET
/// takes it with <c>flock</c> for a file opened with <see cref="FileShare.None"/>, so it is
/// released by the kernel when the process dies, even by SIGKILL: a crash never leaves a stale lock.
/// </summary>
public sealed class DataFolderLock : IDisposable
{
    public const string FileName = "flashsale.lock";

    private readonly FileStream _file;

    private DataFolderLock(FileStream file) => _file = file;

    public static DataFolderLock Acquire(string folder)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, FileName);
        try
        {
            var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            file.SetLength(0);
            using (var writer = new StreamWriter(file, leaveOpen: true))
            {
                writer.Write(Environment.ProcessId);
            }

            file.Flush();
            return new DataFolderLock(file);
        }
        catch (IOException)
        {
            throw new StartupRefusedException(
                $"The data folder {folder} is in use by another FlashSale process (it holds {path}); stop that one, or start this one with another --data <dir>.");
        }
    }

    public void Dispose() => _file.Dispose();
}
