using System.Net;
using System.Net.Http.Json;
using System.Text;
using FlashSale.Api.Apis;
using FlashSale.Api.Identity;
using FlashSale.Api.Payments;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Orders;
using FlashSale.Payments;
using FlashSale.Payments.Sandbox;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FlashSale.Api.Tests.Payments;

/// <summary>
/// The API with its sandbox gateway wired to this in-memory server: the gateway's named HTTP
/// client goes through <see cref="WebhookFaults"/> (which can make tries fail as a network or a
/// busy engine would) to the test server's handler, and the gateway's pacing clock is a fake the
/// tests move to drive delays and retries. The wallet also trusts a previous secret, as it would
/// in the middle of a rotation.
/// </summary>
public sealed class PaymentsApiFactory : FlashSaleApiFactory
{
    /// <summary>A secret the wallet still trusts (random for this run); the sandbox signs with the one the host generated.</summary>
    public string PreviousWalletSecret { get; } = "whsec_previous_" + TestSecrets.Random();

    public FakeTimeProvider GatewayClock { get; } = new(TimeProvider.System.GetUtcNow());

    public WebhookFaults Faults { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("FlashSale:Payments:Webhooks:Secrets:wallet:0", "whsec_current_" + TestSecrets.Random());
        builder.UseSetting("FlashSale:Payments:Webhooks:Secrets:wallet:1", PreviousWalletSecret);
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAllKeyed<TimeProvider>(SandboxGateway.ClockKey);
            services.AddKeyedSingleton<TimeProvider>(SandboxGateway.ClockKey, GatewayClock);
            services.AddHttpClient(SandboxGateway.HttpClientName)
                .ConfigurePrimaryHttpMessageHandler(() => Server.CreateHandler())
                .AddHttpMessageHandler(() => new WebhookFaultHandler(Faults));
        });
    }
}

[CollectionDefinition(Name)]
public sealed class PaymentsApiCollection : ICollectionFixture<PaymentsApiFactory>
{
    public const string Name = "payments api";
}

/// <summary>Tries of the sandbox's deliveries that should fail, and a count of every try.</summary>
public sealed class WebhookFaults
{
    private readonly Lock _lock = new();
    private readonly Queue<HttpStatusCode?> _planned = new();
    private int _tries;

    public int Tries
    {
        get
        {
            lock (_lock)
            {
                return _tries;
            }
        }
    }

    /// <summary>The next tries fail: with this status, or (null) with no answer at all.</summary>
    public void FailNext(params HttpStatusCode?[] outcomes)
    {
        lock (_lock)
        {
            foreach (var outcome in outcomes)
            {
                _planned.Enqueue(outcome);
            }
        }
    }

    /// <summary>Whether this try fails, and how; false lets it through to the engine.</summary>
    internal bool TryTakeFailure(out HttpStatusCode? failure)
    {
        lock (_lock)
        {
            _tries++;
            return _planned.TryDequeue(out failure);
        }
    }
}

internal sealed class WebhookFaultHandler(WebhookFaults faults) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!faults.TryTakeFailure(out var failure))
        {
            return base.SendAsync(request, cancellationToken);
        }

        return failure is { } status
            ? Task.FromResult(new HttpResponseMessage(status) { RequestMessage = request })
            : Task.FromException<HttpResponseMessage>(new HttpRequestException("connection refused (injected)"));
    }
}

/// <summary>The gateway side of the contract, as a test drives it.</summary>
internal static class GatewayApi
{
    /// <summary>The first (signing) secret the host has for a method, as the sandbox gateway signs with it.</summary>
    public static string WebhookSecret(this FlashSaleApiFactory api, string method = "wallet") =>
        api.Services.GetRequiredService<IOptions<WebhookOptions>>().Value.SecretsFor(method)[0];

    /// <summary>
    /// A client for the payment's shopper, who alone may complete it at the sandbox: her token is
    /// issued by the host's token service for the order's shopper id.
    /// </summary>
    public static async Task<HttpClient> PayerClient(this FlashSaleApiFactory api, string paymentId)
    {
        var grains = api.Services.GetRequiredService<IGrainFactory>();
        var payment = await grains.GetGrain<ISandboxPaymentGrain>(paymentId).Get() ?? throw new InvalidOperationException($"no sandbox payment {paymentId}");
        var order = await grains.GetGrain<IOrderGrain>(payment.Terms.OrderId).Get() ?? throw new InvalidOperationException($"no order {payment.Terms.OrderId}");
        return api.CreateClientWithToken(api.Services.GetRequiredService<TokenService>().Issue(order.ShopperId, FlashSale.Api.Identity.Roles.Shopper, "payer"));
    }

    public static async Task<SandboxCompletion> Complete(this FlashSaleApiFactory api, string paymentId, string outcome = "succeeded", int? copies = null, int? delaySeconds = null)
    {
        using var client = await api.PayerClient(paymentId);
        using var response = await client.PostAsJsonAsync($"/api/sandbox/payments/{paymentId}/complete", new { outcome, copies, delaySeconds }, ApiJson.Options);
        return await response.ReadAs<SandboxCompletion>(HttpStatusCode.Accepted);
    }

    public static async Task<SandboxPayment> SandboxPayment(this FlashSaleApiFactory api, string paymentId)
    {
        using var client = await api.PayerClient(paymentId);
        using var response = await client.GetAsync(new Uri($"/api/sandbox/payments/{paymentId}", UriKind.Relative));
        return await response.ReadAs<SandboxPayment>();
    }

    public static async Task<OrderPaymentRecord> PaymentRecord(this Caller owner, string orderId)
    {
        var prefix = owner.Role == FlashSale.Api.Identity.Roles.Agent ? "/api/agent/orders/" : "/api/orders/";
        using var response = await owner.Http.GetAsync(new Uri($"{prefix}{orderId}/payment", UriKind.Relative));
        return await response.ReadAs<OrderPaymentRecord>();
    }

    /// <summary>Waits until the order reaches a status, by asking as its owner would; the wait only guards a broken test.</summary>
    public static async Task<Order> WaitFor(this Caller owner, string orderId, OrderStatus status)
    {
        var prefix = owner.Role == FlashSale.Api.Identity.Roles.Agent ? "/api/agent/orders/" : "/api/orders/";
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            using var response = await owner.Http.GetAsync(new Uri(prefix + orderId, UriKind.Relative), CancellationToken.None);
            var order = await response.ReadAs<Order>();
            if (order.Status == status)
            {
                return order;
            }

            Assert.False(bound.IsCancellationRequested, $"order {orderId} is still {order.Status}, not {status}");
            await Task.Delay(10, CancellationToken.None);
        }
    }

    /// <summary>Waits until the sandbox has had this many 2xx answers for the event.</summary>
    public static async Task<SandboxPayment> WaitForAcknowledged(this FlashSaleApiFactory api, string paymentId, string eventId, int answers = 1)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var payment = await api.SandboxPayment(paymentId);
            if (payment.Events.Single(e => e.Event.EventId == eventId).Acknowledged >= answers)
            {
                return payment;
            }

            Assert.False(bound.IsCancellationRequested, $"event {eventId} was not acknowledged {answers} times");
            await Task.Delay(10, CancellationToken.None);
        }
    }

    /// <summary>A webhook signed by hand, as a gateway (or an attacker) would send it.</summary>
    public static async Task<HttpResponseMessage> SendWebhook(this FlashSaleApiFactory api, string provider, string body, string? signature)
    {
        using var client = api.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/payments/webhooks/{provider}", UriKind.Relative))
        {
            Content = ApiJson.Raw(body),
        };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, signature);
        }

        return await client.SendAsync(request);
    }

    public static string Body(string eventId, Order order, string type = "payment.succeeded", long? amountMinor = null, string? currency = null) =>
        $$"""{"eventId":"{{eventId}}","paymentId":"{{order.Payment.PaymentId}}","type":"{{type}}","amountMinor":{{amountMinor ?? order.TotalMinor}},"currency":"{{currency ?? order.Currency}}"}""";

    public static string Sign(string body, string secret, long? at = null) =>
        WebhookSignature.Sign(secret, at ?? TimeProvider.System.GetUtcNow().ToUnixTimeSeconds(), Encoding.UTF8.GetBytes(body));

    public static string NewEventId() => "evt_test_" + Guid.NewGuid().ToString("N");
}
