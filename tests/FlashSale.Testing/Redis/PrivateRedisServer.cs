using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using FlashSale.Cluster.Embedded;

namespace FlashSale.Testing.Redis;

/// <summary>
/// A redis-server of the caller's own on a loopback port, with AOF on and the given fsync policy
/// (<c>always</c>, as <c>scripts/cluster.sh</c> runs it, unless told otherwise), in a temporary
/// folder removed afterwards. Private so that no other process's load or data reaches a test or a
/// measurement, and so that each starts from an empty AOF. RDB snapshots are off: durability
/// comes from the AOF alone, as in the cluster, and a background save never lands mid-measurement.
/// </summary>
public sealed class PrivateRedisServer : IAsyncDisposable
{
    private readonly string _directory;
    private readonly string _appendFsync;
    private Process _process;

    private PrivateRedisServer(Process process, string directory, int port, string appendFsync)
    {
        _process = process;
        _directory = directory;
        _appendFsync = appendFsync;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <param name="appendFsync">Redis's <c>appendfsync</c>: <c>always</c> or <c>everysec</c>.</param>
    /// <param name="port">The port to listen on; a free one when not given.</param>
    public static async Task<PrivateRedisServer> StartAsync(string appendFsync = "always", int? port = null)
    {
        var directory = Directory.CreateTempSubdirectory("flashsale-redis-").FullName;
        var listenOn = port ?? LoopbackPorts.Unused();
        var server = new PrivateRedisServer(Launch(directory, listenOn, appendFsync), directory, listenOn, appendFsync);
        await server.WaitListening();
        return server;
    }

    /// <summary>SIGKILL, as a crash: the AOF keeps what was fsynced.</summary>
    public async Task Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>Starts the server again on the same port and folder, after <see cref="Kill"/>; it replays its AOF.</summary>
    public async Task Restart()
    {
        await Kill();
        _process.Dispose();
        _process = Launch(_directory, Port, _appendFsync);
        await WaitListening();
    }

    public async ValueTask DisposeAsync()
    {
        await Kill();
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }
    }

    private static Process Launch(string directory, int port, string appendFsync)
    {
        var process = Process.Start(new ProcessStartInfo("redis-server",
            ["--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--dir", directory,
             "--appendonly", "yes", "--appendfsync", appendFsync, "--save", ""])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("redis-server did not start; run scripts/install-prerequisites.sh");
        // Drained so that a full pipe never blocks the server.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitListening()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port, deadline.Token);
                return;
            }
            catch (SocketException) when (!deadline.IsCancellationRequested && !_process.HasExited)
            {
                await Task.Delay(50, deadline.Token);
            }
        }
    }
}
