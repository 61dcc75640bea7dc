using System.Net;
using System.Net.Sockets;

namespace FlashSale.LoadTests.Tests.Infrastructure;

internal static class FreePorts
{
    /// <summary>Loopback ports nobody listens on now; all listeners are open at once so the ports differ.</summary>
    public static int[] Take(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
