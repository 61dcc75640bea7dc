using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Channels;
using FlashSale.Api.Extensions;
using FlashSale.Payments;
using FlashSale.Payments.Sandbox;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace FlashSale.Api.Payments;

/// <summary>One event the sandbox must deliver: how many copies at once, and after how long.</summary>
public sealed record SandboxDispatch(string Provider, PaymentEvent Event, int Copies, TimeSpan Delay);

/// <summary>The webhook body of the contract, exactly as a gateway sends it.</summary>
public sealed record PaymentWebhookBody(string EventId, string PaymentId, string Type, long AmountMinor, string Currency)
{
    public static PaymentWebhookBody From(PaymentEvent e) => new(e.EventId, e.PaymentId, PaymentEvent.TypeNameOf(e.Type), e.AmountMinor, e.Currency);
}

/// <summary>
/// The sandbox's sending side. It behaves as a real asynchronous gateway: it posts the signed
/// webhook over HTTP to the engine's own endpoint, and while the answer is not a 2xx it tries
/// again with doubling waits until its retry window closes. Each copy of an event is delivered
/// on its own, so copies race; a delay holds an event back, so events can arrive out of order.
/// Every try is recorded in the sandbox's ledger. Deliveries in progress live in this process
/// only, like the rest of the embedded sandbox.
/// </summary>
public sealed partial class SandboxWebhookSender(
    IHttpClientFactory clients,
    IGrainFactory grains,
    IOptions<SandboxGatewayOptions> options,
    IOptions<WebhookOptions> webhooks,
    TimeProvider signingClock,
    [FromKeyedServices(SandboxGateway.ClockKey)] TimeProvider pacingClock,
    IServer server,
    ILogger<SandboxWebhookSender> logger) : BackgroundService
{
    private static readonly JsonSerializerOptions BodyJson = CreateBodyJson();

    private readonly Channel<SandboxDispatch> _queue = Channel.CreateUnbounded<SandboxDispatch>();

    public void Send(SandboxDispatch dispatch) => _queue.Writer.TryWrite(dispatch);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var dispatch in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                _ = Deliver(dispatch, stoppingToken); // each delivery waits and retries on its own
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping: undelivered events go with the process, as the sandbox's state does.
        }
    }

    private async Task Deliver(SandboxDispatch dispatch, CancellationToken stoppingToken)
    {
        try
        {
            if (dispatch.Delay > TimeSpan.Zero)
            {
                await Task.Delay(dispatch.Delay, pacingClock, stoppingToken);
            }

            var body = JsonSerializer.SerializeToUtf8Bytes(PaymentWebhookBody.From(dispatch.Event), BodyJson);
            await Task.WhenAll(Enumerable.Range(0, dispatch.Copies).Select(_ => DeliverCopy(dispatch, body, stoppingToken)));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogDeliveryFailed(ex, dispatch.Event.EventId);
        }
    }

    private async Task DeliverCopy(SandboxDispatch dispatch, byte[] body, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var started = pacingClock.GetUtcNow();
        var wait = settings.FirstRetryAfter;
        for (var attempt = 1; ; attempt++)
        {
            var status = await Post(dispatch, body, stoppingToken);
            await grains.GetGrain<ISandboxPaymentGrain>(dispatch.Event.PaymentId)
                .RecordAttempt(dispatch.Event.EventId, new SandboxDeliveryAttempt(attempt, pacingClock.GetUtcNow(), status));
            if (status is >= 200 and < 300)
            {
                return;
            }

            if (pacingClock.GetUtcNow() + wait - started > settings.RetryWindow)
            {
                LogGaveUp(dispatch.Event.EventId, attempt, status);
                return;
            }

            LogRetrying(dispatch.Event.EventId, attempt, status, wait);
            await Task.Delay(wait, pacingClock, stoppingToken);
            wait = wait * 2 > settings.MaxRetryInterval ? settings.MaxRetryInterval : wait * 2;
        }
    }

    /// <summary>One try; the answer's status, or 0 when none came (refused connection, timeout).</summary>
    private async Task<int> Post(SandboxDispatch dispatch, byte[] body, CancellationToken stoppingToken)
    {
        if (webhooks.Value.SecretsFor(dispatch.Provider) is not [var secret, ..])
        {
            LogNoSecret(dispatch.Provider);
            return 0;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(WebhookBase(), $"/api/payments/webhooks/{Uri.EscapeDataString(dispatch.Provider)}"));
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Sign(secret, signingClock.GetUtcNow().ToUnixTimeSeconds(), body));
        try
        {
            using var client = clients.CreateClient(SandboxGateway.HttpClientName);
            using var response = await client.SendAsync(request, stoppingToken);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException ex)
        {
            LogUnanswered(ex, dispatch.Event.EventId);
            return 0;
        }
        catch (TaskCanceledException ex) when (!stoppingToken.IsCancellationRequested)
        {
            LogUnanswered(ex, dispatch.Event.EventId); // the attempt timed out
            return 0;
        }
    }

    /// <summary>The configured base, else this host's first listening address, with a wildcard host made loopback.</summary>
    private Uri WebhookBase()
    {
        if (options.Value.WebhookBaseUrl is { Length: > 0 } configured)
        {
            return new Uri(configured);
        }

        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses
            .OrderBy(a => a.StartsWith("https:", StringComparison.OrdinalIgnoreCase) ? 1 : 0)
            .FirstOrDefault();
        if (address is null)
        {
            return new Uri("http://localhost");
        }

        foreach (var wildcard in new[] { "://+", "://*", "://0.0.0.0", "://[::]" })
        {
            address = address.Replace(wildcard, "://localhost", StringComparison.Ordinal);
        }

        return new Uri(address);
    }

    private static JsonSerializerOptions CreateBodyJson()
    {
        var json = new JsonSerializerOptions();
        ApiExtensions.ConfigureContractJson(json);
        return json;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox: event {EventId} try {Attempt} got {Status}; retrying in {Wait}")]
    private partial void LogRetrying(string eventId, int attempt, int status, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sandbox: gave up on event {EventId} after {Attempts} tries (last answer {Status})")]
    private partial void LogGaveUp(string eventId, int attempts, int status);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sandbox: event {EventId} got no answer")]
    private partial void LogUnanswered(Exception exception, string eventId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sandbox: no webhook secret is configured for {Provider}; nothing can be signed")]
    private partial void LogNoSecret(string provider);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sandbox: delivering event {EventId} failed")]
    private partial void LogDeliveryFailed(Exception exception, string eventId);
}
