using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace FlashSale.Cluster.Embedded;

/// <summary>
/// Loopback ports for listeners that are chosen before they are bound: Orleans binds the silo and
/// gateway ports itself and cannot take port 0, and a restarted server must come back on the port
/// it had. The usual trick, binding port 0 and letting go, hands out a port from the kernel's
/// ephemeral range, and in the moment before the real bind any outgoing connection on the machine
/// may be given the same port (a clean-clone CI run lost its API suite to exactly that:
/// <c>AddressInUseException</c> from the silo's listener). A port below that range is never handed
/// to an outgoing connection; only an explicit bind takes one. So a port is drawn at random below
/// the ephemeral range, probed free, and never handed out twice by this process.
/// </summary>
public static class LoopbackPorts
{
    /// <summary>The lowest port drawn: above the registered ports common services listen on.</summary>
    internal const int Lowest = 20_000;

    /// <summary>Where ephemeral ports start when the system does not say (the IANA dynamic range, Windows' and macOS's default).</summary>
    private const int IanaDynamicStart = 49_152;

    private static readonly HashSet<int> HandedOut = [];
    private static readonly Lock Gate = new();

    /// <summary>The ports drawn from: from <see cref="Lowest"/> up to the first ephemeral port (exclusive).</summary>
    internal static (int From, int Below) Range { get; } = (Lowest, EphemeralStart());

    /// <summary>
    /// A loopback port nobody listens on now, outside the ephemeral range, and not one this process
    /// handed out before. Falls back to a port the system picks when the ephemeral range leaves
    /// too little room below it.
    /// </summary>
    public static int Unused()
    {
        var (from, below) = Range;
        if (below - from < 1_000)
        {
            return SystemPicked();
        }

        lock (Gate)
        {
            for (var attempt = 0; attempt < 200; attempt++)
            {
                var port = Random.Shared.Next(from, below);
                if (!HandedOut.Contains(port) && IsFree(port))
                {
                    HandedOut.Add(port);
                    return port;
                }
            }
        }

        return SystemPicked();
    }

    /// <summary>True when a listener can bind <paramref name="port"/> on 127.0.0.1 now.</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int SystemPicked()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>The first port of the kernel's ephemeral range (Linux says so in <c>/proc</c>).</summary>
    private static int EphemeralStart()
    {
        try
        {
            var text = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range");
            var first = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0];
            return int.Parse(first, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return IanaDynamicStart;
        }
    }
}
