using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace FlashSale.Cluster.Tests.Infrastructure;

/// <summary>
/// One process of the cluster under test (a silo or an API node), started from its build output
/// with its own ports, its output kept in a log file, and killed with SIGKILL on demand: no
/// graceful shutdown, as a crash would be. Without <paramref name="sharedSecrets"/>, an embedded
/// host is given no keys and makes its own in its data folder, as the run command does. It runs
/// in <paramref name="environment"/> (Development unless told: the tests sign up through the demo routes).
/// </summary>
public sealed class NodeProcess(
    string name, string assemblyPath, string workingDirectory, IReadOnlyList<string> arguments, int httpPort, bool sharedSecrets = true, string environment = "Development")
    : IAsyncDisposable
{
    private static readonly HttpClient Health = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly Lock _logLock = new();
    private Process? _process;
    private StreamWriter? _log;

    public string Name { get; } = name;

    public int HttpPort { get; } = httpPort;

    public string BaseAddress => $"http://127.0.0.1:{HttpPort}";

    public string LogPath { get; } = Path.Combine(Path.GetTempPath(), $"flashsale-{name}-{Guid.NewGuid():N}.log");

    public bool Running => _process is { HasExited: false };

    /// <summary>One signing key and webhook secrets for every node of this test run, random per run.</summary>
    private static readonly IReadOnlyList<(string Key, string Value)> ClusterSecrets =
    [
        ("FlashSale__Identity__SigningKeys__0__Id", "test-" + Guid.NewGuid().ToString("N")[..8]),
        ("FlashSale__Identity__SigningKeys__0__Key", NewSecret()),
        ("FlashSale__Payments__Webhooks__Secrets__wallet__0", NewSecret()),
        ("FlashSale__Payments__Webhooks__Secrets__bank-transfer__0", NewSecret()),
        ("FlashSale__Payments__Webhooks__Secrets__mobile-money__0", NewSecret()),
        ("FlashSale__Phone__Gateway__Secrets__0", NewSecret()),
    ];

    private static string NewSecret() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public void Start()
    {
        _log ??= new StreamWriter(LogPath, append: true) { AutoFlush = true };
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(assemblyPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The cluster's secrets are given to every node in its environment, as scripts/cluster.sh does.
        start.Environment["DOTNET_ENVIRONMENT"] = environment;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        // The surge-path warm-up has its own tests (SurgePathWarmUpTests); here it would only take
        // CPU from each start's own checks, restarts after a kill included.
        start.Environment["FlashSale__WarmUp__Enabled"] = "false";
        foreach (var (key, value) in sharedSecrets ? ClusterSecrets : [])
        {
            start.Environment[key] = value;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"{Name} did not start");
        _process.OutputDataReceived += (_, e) => Log(e.Data);
        _process.ErrorDataReceived += (_, e) => Log(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>SIGKILL: the process gets no chance to clean up.</summary>
    public async Task Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>SIGSTOP: the process stops answering without closing a connection, as a long stall would.</summary>
    public void Pause() => Signal(Sigstop);

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume() => Signal(Sigcont);

    /// <summary>SIGTERM: a graceful stop, as an orchestrator asks for one; returns once the process exited.</summary>
    public async Task Terminate()
    {
        if (_process is { HasExited: false } process)
        {
            Signal(Sigterm);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Waits for the process to end by itself (a refused start), and gives its exit code.</summary>
    public async Task<int> WaitForExit(TimeSpan bound)
    {
        var process = _process ?? throw new InvalidOperationException($"{Name} was never started");
        using var deadline = new CancellationTokenSource(bound);
        await process.WaitForExitAsync(deadline.Token);
        return process.ExitCode;
    }

    public async Task WaitHealthy(TimeSpan bound)
    {
        using var deadline = new CancellationTokenSource(bound);
        while (true)
        {
            if (_process is { HasExited: true })
            {
                throw new InvalidOperationException($"{Name} exited; its log: {Tail()}");
            }

            try
            {
                using var response = await Health.GetAsync($"{BaseAddress}/health", deadline.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !deadline.IsCancellationRequested)
            {
                // not up yet
            }

            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"{Name} was not healthy within {bound}; its log: {Tail()}");
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }

    public string Tail(int lines = 40) => string.Join(Environment.NewLine, ReadLog().Split('\n').TakeLast(lines));

    /// <summary>True when the node's log so far has a line containing <paramref name="text"/>.</summary>
    public bool Logged(string text) => ReadLog().Contains(text, StringComparison.Ordinal);

    private string ReadLog()
    {
        lock (_logLock)
        {
            _log?.Flush();
        }

        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Kill();
        _process?.Dispose();
        lock (_logLock)
        {
            _log?.Dispose();
            _log = null;
        }
    }

    private const int Sigterm = 15;
    private const int Sigcont = 18;
    private const int Sigstop = 19;

    private void Signal(int signal)
    {
        if (_process is { HasExited: false } process && NativeSignals.kill(process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({process.Id}, {signal}) failed for {Name}");
        }
    }

    private void Log(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logLock)
        {
            _log?.WriteLine(line);
        }
    }

    /// <summary>Finds a project's build output, in the repository's bin folders or in an artifacts folder.</summary>
    public static (string Assembly, string ProjectDirectory) Locate(string projectDirectory, string assemblyName)
    {
        var configuration = typeof(NodeProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "FlashSale.sln")))
        {
            root = root.Parent;
        }

        var candidates = new List<string>();
        if (root is not null)
        {
            candidates.Add(Path.Combine(root.FullName, projectDirectory, "bin", configuration, "net10.0", assemblyName + ".dll"));
        }

        // --artifacts-path layout: <artifacts>/bin/<project>/<configuration>/<assembly>.dll
        var artifactsBin = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Parent;
        if (artifactsBin is not null)
        {
            candidates.Add(Path.Combine(artifactsBin.FullName, assemblyName, configuration.ToLower(CultureInfo.InvariantCulture), assemblyName + ".dll"));
        }

        var found = candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"No build of {assemblyName} in: {string.Join(", ", candidates)}");
        var projectPath = root is null ? Path.GetDirectoryName(found)! : Path.Combine(root.FullName, projectDirectory);
        return (found, projectPath);
    }
}

internal static class NativeSignals
{
    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    internal static extern int kill(int pid, int signal);
}
