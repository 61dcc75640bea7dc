using System.Net;
using System.Net.Http.Headers;
using System.Runtime;
using System.Text;
using System.Threading.RateLimiting;
using FlashSale.Api.Extensions;
using FlashSale.Api.Identity;
using FlashSale.Common;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace FlashSale.Api.WarmUp;

/// <summary>
/// Once the host listens, sends its own surge paths a few thousand requests over loopback, until
/// the runtime's compiler falls quiet, so the first sale's opening second meets optimized code.
/// </summary>
/// <remarks>
/// <para>
/// Why: a fresh process answers its first surge from the JIT's first, unoptimized tier while the
/// tiering thread recompiles under it. A 20,000-shopper surge on a fresh process had 3.7× the hold
/// p99 of the same surge on a warm one, and the 100,000-shopper surge's profile spent 17% of its
/// CPU on the tiering thread (<c>docs/benchmarks.md</c>). No runtime setting closed that; driving
/// the real paths once does.
/// </para>
/// <para>
/// What it sends changes nothing: each request is refused or only reads. Its shoppers are made up
/// for the run (their tokens are minted here, for <see cref="WarmUpOptions.Deadline"/>, and never
/// leave the process) and hold nothing: they hold a lot that does not exist (404, through the
/// token check, the rate limits, the edge, the cart and the lot grain), a negative quantity (400),
/// read that lot (404) and their empty cart (200), and check out without an Idempotency-Key (400),
/// which is refused before the checkout's grain is asked. With rate limits on, it takes at most
/// half the loopback address's budget and no shopper past its burst, so it is never refused 429.
/// </para>
/// <para>
/// The host serves while it warms: <c>GET /health</c> says when the cluster can serve, as the
/// contract says. A host that listens only on HTTPS is not warmed (its certificate is not for a
/// loopback address).
/// </para>
/// </remarks>
public sealed partial class SurgePathWarmUp(
    IHostApplicationLifetime lifetime,
    IServer server,
    TokenService tokens,
    IOptions<WarmUpOptions> options,
    IOptions<RateLimitOptions> rateLimits,
    IOptions<OperationsOptions> operations,
    TimeProvider time,
    ILogger<SurgePathWarmUp> logger) : BackgroundService
{
    /// <summary>Requests left without an answer, none answered before them, after which the warm-up gives up.</summary>
    public const int NoAnswerLimit = 32;

    /// <summary>The time over which the compiler's share is judged.</summary>
    public static readonly TimeSpan SettleWindow = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan JitPollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The order a warming connection sends its steps in: mostly holds, as in a surge.</summary>
    private static readonly WarmUpStep[] Rotation =
    [
        WarmUpStep.Hold, WarmUpStep.Hold, WarmUpStep.Hold, WarmUpStep.Hold, WarmUpStep.Hold, WarmUpStep.Hold,
        WarmUpStep.InvalidHold, WarmUpStep.LotRead, WarmUpStep.CartRead, WarmUpStep.CheckoutWithoutKey,
    ];

    private readonly TaskCompletionSource<WarmUpReport?> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The warm-up's report once it ends; null when it was off or had no address to warm through.</summary>
    public Task<WarmUpReport?> Completion => _completion.Task;

    /// <summary>
    /// The loopback URL to warm through: the first plain-HTTP address the server listens on, other
    /// than the management port, with a wildcard host (<c>0.0.0.0</c>, <c>[::]</c>, <c>+</c>,
    /// <c>*</c>, <c>localhost</c>) made a loopback address. Null when there is none.
    /// </summary>
    public static Uri? LoopbackTarget(IEnumerable<string> addresses, int? managementPort)
    {
        foreach (var address in addresses)
        {
            var plain = address.Replace("://+:", "://127.0.0.1:", StringComparison.Ordinal).Replace("://*:", "://127.0.0.1:", StringComparison.Ordinal);
            if (!Uri.TryCreate(plain, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || uri.Port == managementPort)
            {
                continue;
            }

            var host = uri.Host.Trim('[', ']') switch
            {
                "localhost" => "127.0.0.1",
                var literal when IPAddress.TryParse(literal, out var ip) && ip.Equals(IPAddress.Any) => "127.0.0.1",
                var literal when IPAddress.TryParse(literal, out var ip) && ip.Equals(IPAddress.IPv6Any) => "[::1]",
                _ => uri.Host,
            };
            return new UriBuilder(uri.Scheme, host, uri.Port).Uri;
        }

        return null;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        try
        {
            if (!settings.Enabled)
            {
                _completion.TrySetResult(null);
                return;
            }

            await Started(stoppingToken);
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            if (LoopbackTarget(addresses, operations.Value.ManagementPort) is not { } target)
            {
                LogNoAddress(logger, string.Join(", ", addresses));
                _completion.TrySetResult(null);
                return;
            }

            var report = await Warm(target, settings, stoppingToken);
            if (report.EndedBy == WarmUpEnd.NoAnswer)
            {
                LogNothingAnswers(logger, target, report.Requests);
            }
            else if (report.Unexpected == 0)
            {
                LogWarmed(logger, report.Requests, settings.Connections, report.Elapsed.TotalSeconds, report.MethodsCompiled, report.EndedBy, report.Describe());
            }
            else
            {
                LogUnexpected(logger, report.Unexpected, report.Requests, report.Describe());
            }

            _completion.TrySetResult(report);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            _completion.TrySetResult(null); // the host stopped first
        }
        catch (Exception failure)
        {
            // A warm-up is worth having, never worth a host: the host serves on, only colder.
            LogFailed(logger, failure);
            _completion.TrySetResult(null);
        }
    }

    private async Task Started(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
    }

    private async Task<WarmUpReport> Warm(Uri target, WarmUpOptions settings, CancellationToken stoppingToken)
    {
        using var deadline = new CancellationTokenSource(settings.Deadline, time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, stoppingToken);
        using var client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = settings.Connections,
            UseProxy = false, // an HTTP_PROXY in the environment must not carry loopback requests away
            AllowAutoRedirect = false,
            UseCookies = false,
        })
        {
            BaseAddress = target,
            Timeout = RequestTimeout,
        };
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("FlashSale-WarmUp", "1"));

        var limits = rateLimits.Value;
        using var pacer = limits.Enabled ? HalfTheAddressBudget(limits) : null;
        var run = new WarmUpRun(settings.MaxRequests, lotId: Ids.New(Ids.LotPrefix), ShoppersPerConnection(limits, settings.Connections));

        var began = time.GetTimestamp();
        var compiledBefore = JitInfo.GetCompiledMethodCount();
        var connections = Enumerable.Range(0, settings.Connections).Select(_ => Drive(client, run, pacer, settings.Deadline, stop.Token)).ToArray();
        var driving = Task.WhenAll(connections);
        var end = await UntilSettled(run, driving, settings, time, stop.Token);
        run.Stop();
        try
        {
            await driving;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The deadline or the host's stop cut requests short; what was answered is counted.
        }

        stoppingToken.ThrowIfCancellationRequested();
        var endedBy = run.NothingAnswers ? WarmUpEnd.NoAnswer : deadline.IsCancellationRequested ? WarmUpEnd.Deadline : end;
        return new WarmUpReport(run.Sent, time.GetElapsedTime(began), JitInfo.GetCompiledMethodCount() - compiledBefore, endedBy, run.Answers());
    }

    /// <summary>Watches the compiler until it settles (<see cref="WarmUpOptions.SettledBelowCompilerPercent"/>) after the fewest requests.</summary>
    private static async Task<WarmUpEnd> UntilSettled(WarmUpRun run, Task driving, WarmUpOptions settings, TimeProvider time, CancellationToken stop)
    {
        var (windowStart, compilingBefore) = (time.GetTimestamp(), JitInfo.GetCompilationTime());
        while (!driving.IsCompleted && !stop.IsCancellationRequested)
        {
            await Task.WhenAny(driving, Task.Delay(JitPollInterval, time, stop));
            var window = time.GetElapsedTime(windowStart);
            if (window < SettleWindow)
            {
                continue;
            }

            var compiling = JitInfo.GetCompilationTime();
            if (run.Sent >= settings.MinRequests && (compiling - compilingBefore) / window * 100 < settings.SettledBelowCompilerPercent)
            {
                return WarmUpEnd.Settled;
            }

            (windowStart, compilingBefore) = (time.GetTimestamp(), compiling);
        }

        return WarmUpEnd.MaxRequests;
    }

    /// <summary>
    /// How many made-up shoppers each connection takes turns with: enough that none sends more
    /// than half its own rate (<see cref="RateLimitOptions.ShopperPerSecond"/>) while the
    /// connections share half the address's; one each when there are no limits.
    /// </summary>
    public static int ShoppersPerConnection(RateLimitOptions limits, int connections) =>
        limits.Enabled
            ? (int)Math.Ceiling(limits.AddressPerSecond / 2.0 / connections / Math.Max(limits.ShopperPerSecond / 2.0, 1))
            : 1;

    private async Task Drive(HttpClient client, WarmUpRun run, RateLimiter? pacer, TimeSpan tokenLifetime, CancellationToken stop)
    {
        var shoppers = new string?[run.ShoppersPerConnection];
        for (var turn = 0; run.TryTake(out var sequence); turn = (turn + 1) % shoppers.Length)
        {
            if (pacer is not null)
            {
                using var lease = await pacer.AcquireAsync(1, stop);
            }

            var token = shoppers[turn] ??= tokens.Issue(Ids.New(Ids.ShopperPrefix), [Roles.Shopper], "warm-up", tokenLifetime, []).Token;
            var step = Rotation[sequence % Rotation.Length];
            using var request = Request(step, run.LotId, token);
            try
            {
                using var response = await client.SendAsync(request, stop);
                await response.Content.LoadIntoBufferAsync(stop);
                run.Answered(step, response.StatusCode);
            }
            catch (Exception failure) when (failure is HttpRequestException || (failure is TaskCanceledException && !stop.IsCancellationRequested))
            {
                run.Answered(step, status: null); // no answer: counted, and the warm-up goes on
            }
        }
    }

    private static HttpRequestMessage Request(WarmUpStep step, string lotId, string token)
    {
        var request = step switch
        {
            WarmUpStep.Hold => new HttpRequestMessage(HttpMethod.Put, $"/api/cart/items/{lotId}") { Content = Json("""{"quantity":1}""") },
            WarmUpStep.InvalidHold => new HttpRequestMessage(HttpMethod.Put, $"/api/cart/items/{lotId}") { Content = Json("""{"quantity":-1}""") },
            WarmUpStep.LotRead => new HttpRequestMessage(HttpMethod.Get, $"/api/lots/{lotId}"),
            WarmUpStep.CartRead => new HttpRequestMessage(HttpMethod.Get, "/api/cart"),
            WarmUpStep.CheckoutWithoutKey => new HttpRequestMessage(HttpMethod.Post, "/api/checkout") { Content = Json("""{"paymentMethod":"wallet"}""") },
            _ => throw new ArgumentOutOfRangeException(nameof(step), step, null),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>Half the per-address budget, so real callers from loopback (a local proxy) keep the rest.</summary>
    private static TokenBucketRateLimiter HalfTheAddressBudget(RateLimitOptions limits)
    {
        // Refilled ten times a second, with no more than a tenth of a second's worth at once.
        var perTenth = Math.Max(1, limits.AddressPerSecond / 2 / 10);
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = perTenth,
            TokensPerPeriod = perTenth,
            ReplenishmentPeriod = TimeSpan.FromMilliseconds(100),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Warmed the surge's request paths: {Requests} requests over {Connections} connections in {Seconds:0.0} s, {Methods} methods compiled meanwhile, ended by {EndedBy}; answers {Answers}")]
    private static partial void LogWarmed(ILogger logger, int requests, int connections, double seconds, long methods, WarmUpEnd endedBy, string answers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The surge-path warm-up had {Unexpected} unexpected answers of {Requests}: {Answers}. The host serves on; its first surge may meet colder code.")]
    private static partial void LogUnexpected(ILogger logger, int unexpected, int requests, string answers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The surge-path warm-up gave up: nothing answered its first {Requests} requests at {Target}. The host serves on; its first surge may meet colder code.")]
    private static partial void LogNothingAnswers(ILogger logger, Uri target, int requests);

    [LoggerMessage(Level = LogLevel.Information, Message = "No surge-path warm-up: the host listens on no plain-HTTP address besides the management port ({Addresses})")]
    private static partial void LogNoAddress(ILogger logger, string addresses);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The surge-path warm-up failed; the host serves on, its first surge may meet colder code")]
    private static partial void LogFailed(ILogger logger, Exception failure);
}
