using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using FlashSale.Cluster.Embedded;
using FlashSale.RedisLuaBaseline;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FlashSale.LoadTests.Tests.Infrastructure;

/// <summary>
/// The Redis-Lua baseline on real Kestrel, against a private redis-server on a free port (in a
/// temporary folder, without persistence), both stopped at the end.
/// </summary>
public sealed class RedisLuaBaselineServer : IAsyncLifetime
{
    private Process? _redis;
    private Factory? _app;
    private readonly int _redisPort;
    private readonly int _httpPort;
    private readonly string _directory = Directory.CreateTempSubdirectory("flashsale-loadtests-redis-").FullName;

    public RedisLuaBaselineServer() => (_redisPort, _httpPort) = (LoopbackPorts.Unused(), LoopbackPorts.Unused());

    public Uri Url => new($"http://127.0.0.1:{_httpPort}");

    public async Task InitializeAsync()
    {
        _redis = Process.Start(new ProcessStartInfo("redis-server",
            ["--bind", "127.0.0.1", "--port", _redisPort.ToString(CultureInfo.InvariantCulture), "--dir", _directory, "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("redis-server did not start; run scripts/install-prerequisites.sh");
        _redis.OutputDataReceived += (_, _) => { };
        _redis.ErrorDataReceived += (_, _) => { };
        _redis.BeginOutputReadLine();
        _redis.BeginErrorReadLine();
        await WaitForRedis();

        _app = new Factory($"127.0.0.1:{_redisPort}", _httpPort);
        _app.StartServer();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (_redis is { HasExited: false })
        {
            _redis.Kill(entireProcessTree: true);
            await _redis.WaitForExitAsync();
        }

        _redis?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // a temporary folder left behind is harmless
        }
    }

    private async Task WaitForRedis()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", _redisPort, deadline.Token);
                return;
            }
            catch (SocketException) when (!deadline.IsCancellationRequested)
            {
                await Task.Delay(50, deadline.Token);
            }
        }
    }

    private sealed class Factory : WebApplicationFactory<BaselineProgram>
    {
        private readonly string _redis;

        public Factory(string redis, int port)
        {
            _redis = redis;
            UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, port));
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseSetting("Redis", _redis);
    }
}

[CollectionDefinition(Name)]
public sealed class LoadTargetsCollection : ICollectionFixture<KestrelApi>, ICollectionFixture<RedisLuaBaselineServer>
{
    // One FlashSale API and one baseline for every smoke: each scenario makes its own lots and
    // shoppers, so they share the servers, and run one after another so each gets the machine.
    public const string Name = "load targets";
}
