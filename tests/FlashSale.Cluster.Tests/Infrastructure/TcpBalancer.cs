using System.Net;
using System.Net.Sockets;

namespace FlashSale.Cluster.Tests.Infrastructure;

/// <summary>
/// A minimal TCP load balancer in front of the API nodes, as a deployment would have: each new
/// connection goes to the next backend that accepts it, so when a node dies its clients reconnect
/// to another one. It only forwards bytes.
/// </summary>
public sealed class TcpBalancer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IReadOnlyList<int> _backends;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private int _next;

    public TcpBalancer(IReadOnlyList<int> backendPorts)
    {
        _backends = backendPorts;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string BaseAddress => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>The backend port each connection went to, in order.</summary>
    public List<int> Routed { get; } = [];

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        using (client)
        {
            var backend = await ConnectAsync();
            if (backend is null)
            {
                return;
            }

            using (backend)
            {
                var a = client.GetStream();
                var b = backend.GetStream();
                using var done = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                await Task.WhenAny(Pump(a, b, done.Token), Pump(b, a, done.Token));
                await done.CancelAsync();
            }
        }
    }

    private async Task<TcpClient?> ConnectAsync()
    {
        for (var attempt = 0; attempt < _backends.Count; attempt++)
        {
            var port = _backends[Interlocked.Increment(ref _next) % _backends.Count];
            var backend = new TcpClient();
            try
            {
                await backend.ConnectAsync(IPAddress.Loopback, port, _stopping.Token);
                lock (Routed)
                {
                    Routed.Add(port);
                }

                return backend;
            }
            catch (SocketException)
            {
                backend.Dispose();
            }
        }

        return null;
    }

    private static async Task Pump(NetworkStream from, NetworkStream to, CancellationToken cancellation)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, cancellation)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, read), cancellation);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // either side closed
        }
    }
}
