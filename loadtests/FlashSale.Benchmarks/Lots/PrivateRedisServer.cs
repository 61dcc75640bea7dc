using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace FlashSale.Benchmarks.Lots;

/// <summary>
/// A redis-server of the benchmark's own on a free loopback port, with AOF on and the given fsync
/// policy, in a temporary folder removed afterwards. Private so that no other process's load on a
/// shared Redis lands in the figures, and so that each case starts from an empty AOF.
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

    /// <param name="appendFsync">Redis's <c>appendfsync</c> value: <c>always</c> or <c>everysec</c>.</param>
    public static async Task<PrivateRedisServer> StartAsync(string appendFsync)
    {
        var directory = Directory.CreateTempSubdirectory("flashsale-bench-redis-").FullName;
        var port = FreeLoopbackPort();
        // RDB snapshots off (--save ""): durability comes from the AOF alone, as in the cluster,
        // and a background RDB save must not fall into a measured iteration.
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

        var server = new PrivateRedisServer(process, directory, port);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, deadline.Token);
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
