using System.Globalization;
using FlashSale.Cluster.Embedded;
using FlashSale.Testing.Redis;

namespace FlashSale.Cluster.Tests.Infrastructure;

/// <summary>
/// A durable FlashSale cluster on loopback, as <c>scripts/cluster.sh</c> runs it: a private Redis,
/// N silo processes and M API processes (Orleans clients), each with free ports.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(60);

    private LocalCluster(PrivateRedisServer redis, List<NodeProcess> silos, List<NodeProcess> apis)
    {
        Redis = redis;
        Silos = silos;
        Apis = apis;
    }

    public PrivateRedisServer Redis { get; }

    public IReadOnlyList<NodeProcess> Silos { get; }

    public IReadOnlyList<NodeProcess> Apis { get; }

    public static async Task<LocalCluster> StartAsync(int silos, int apis)
    {
        var redis = await PrivateRedisServer.StartAsync(port: LoopbackPorts.Unused());
        var clusterId = "test-" + Guid.NewGuid().ToString("N")[..8];
        var silo = NodeProcess.Locate("silo/FlashSale.Silo", "FlashSale.Silo");
        var api = NodeProcess.Locate("api/FlashSale.Api", "FlashSale.Api");
        var siloNodes = Enumerable.Range(1, silos).Select(i =>
        {
            var http = LoopbackPorts.Unused();
            return new NodeProcess($"silo-{i}", silo.Assembly, silo.ProjectDirectory,
            [
                $"--FlashSale:Redis={redis.ConnectionString}", $"--FlashSale:Cluster:ClusterId={clusterId}",
                $"--FlashSale:Cluster:SiloPort={Port(LoopbackPorts.Unused())}", $"--FlashSale:Cluster:GatewayPort={Port(LoopbackPorts.Unused())}",
                $"--urls=http://127.0.0.1:{Port(http)}",
            ], http);
        }).ToList();
        var apiNodes = Enumerable.Range(1, apis).Select(i =>
        {
            var http = LoopbackPorts.Unused();
            return new NodeProcess($"api-{i}", api.Assembly, api.ProjectDirectory,
            [
                $"--FlashSale:Redis={redis.ConnectionString}", $"--FlashSale:Cluster:ClusterId={clusterId}",
                $"--urls=http://127.0.0.1:{Port(http)}", "--no-demo",
            ], http);
        }).ToList();

        var cluster = new LocalCluster(redis, siloNodes, apiNodes);
        try
        {
            siloNodes.ForEach(n => n.Start());
            await Task.WhenAll(siloNodes.Select(n => n.WaitHealthy(StartBound)));
            apiNodes.ForEach(n => n.Start());
            await Task.WhenAll(apiNodes.Select(n => n.WaitHealthy(StartBound)));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task Restart(NodeProcess node)
    {
        await node.Kill();
        node.Start();
        await node.WaitHealthy(StartBound);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Apis.Concat(Silos))
        {
            await node.DisposeAsync();
        }

        await Redis.DisposeAsync();
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
