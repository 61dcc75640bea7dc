using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

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
    private readonly Process _process;
    private readonly string _directory;

    private PrivateRedisServer(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <param name="appendFsync">Redis's <c>appendfsync</c>: <c>always</c> or <c>everysec</c>.</param>
    /// <param name="port">The port to listen on; a free one when not given.</param>
    public static async Task<PrivateRedisServer> StartAsync(string appendFsync = "always", int? port = null)
    {
        var directory = Directory.CreateTempSubdirectory("flashsale-redis-").FullName;
        var listenOn = port ?? FreeLoopbackPort();
        var process = Process.Start(new ProcessStartInfo("redis-server",
            ["--bind", "127.0.0.1", "--port", listenOn.ToString(CultureInfo.InvariantCulture), "--dir", directory,
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

        var server = new PrivateRedisServer(process, directory, listenOn);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, listenOn, deadline.Token);
                return server;
            }
            catch (SocketException) when (!deadline.IsCancellationRequested && !process.HasExited)
            {
                await Task.Delay(50, deadline.Token);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

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

    /// <summary>A loopback port nobody listens on right now.</summary>
    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
