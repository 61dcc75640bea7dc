using System.Net;
using System.Net.Sockets;
using FlashSale.Cluster.Embedded;

namespace FlashSale.Cluster.Tests.Embedded;

/// <summary>
/// Ports chosen now and bound later: never from the range the kernel hands to outgoing
/// connections, never one somebody listens on, never the same one twice.
/// </summary>
public sealed class LoopbackPortsTests
{
    [Fact]
    public void Ports_come_from_below_the_ephemeral_range_and_differ()
    {
        var (from, below) = LoopbackPorts.Range;
        var ports = Enumerable.Range(0, 200).Select(_ => LoopbackPorts.Unused()).ToList();

        Assert.All(ports, p => Assert.InRange(p, from, below - 1));
        Assert.Equal(ports.Count, ports.Distinct().Count());
    }

    [Fact]
    public void The_range_ends_where_the_kernel_starts_handing_out_ports()
    {
        // Every outgoing connection's local port comes from the ephemeral range: a port drawn
        // from below it is never one of them.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient();
        client.Connect(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);

        Assert.True(((IPEndPoint)client.Client.LocalEndPoint!).Port >= LoopbackPorts.Range.Below);
    }

    [Fact]
    public void A_port_somebody_listens_on_is_not_free()
    {
        var port = LoopbackPorts.Unused();
        Assert.True(LoopbackPorts.IsFree(port));

        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();

        Assert.False(LoopbackPorts.IsFree(port));
    }
}
