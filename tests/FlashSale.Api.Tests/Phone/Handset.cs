using System.Net;
using System.Net.Http.Json;
using System.Text;
using FlashSale.Accounts;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Carts;
using FlashSale.Orders;
using FlashSale.Payments;
using FlashSale.Phone;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace FlashSale.Api.Tests.Phone;

/// <summary>The phone channel's API with a patient step budget: a slow machine must not turn an on-time answer into "we will SMS you".</summary>
public class PhoneApiFactory : FlashSaleApiFactory
{
    protected virtual string ActionBudget => "00:00:10";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("FlashSale:Phone:ActionBudget", ActionBudget);
    }
}

/// <summary>No step budget at all: every hold and checkout finishes after its step has answered, and reports by SMS.</summary>
public sealed class PhoneNoBudgetApiFactory : PhoneApiFactory
{
    protected override string ActionBudget => "00:00:00";
}

[CollectionDefinition(Name)]
public sealed class PhoneApiCollection : ICollectionFixture<PhoneApiFactory>
{
    public const string Name = "phone api";
}

[CollectionDefinition(Name)]
public sealed class PhoneNoBudgetCollection : ICollectionFixture<PhoneNoBudgetApiFactory>
{
    public const string Name = "phone api, no step budget";
}

/// <summary>
/// A feature phone in one USSD session, played through the sandbox gateway (which signs and
/// forwards exactly as the gateway would). Every screen it sees is checked against the 160
/// character limit and the CON/END shape.
/// </summary>
public sealed class Handset(FlashSaleApiFactory api, string phone)
{
    private readonly List<string> _inputs = [];

    public string Phone { get; } = phone;

    public string SessionId { get; private set; } = NewSessionId();

    public string Text => string.Join('*', _inputs);

    public static string NewSessionId() => "ATUid_" + Guid.NewGuid().ToString("N");

    /// <summary>Dials the service code: a new session, its first (empty) step.</summary>
    public async Task<string> Dial()
    {
        SessionId = NewSessionId();
        _inputs.Clear();
        return await Send(SessionId, "");
    }

    /// <summary>Types one input and sends the session's whole text, as the gateway does.</summary>
    public async Task<string> Press(string input)
    {
        _inputs.Add(input);
        return await Send(SessionId, Text);
    }

    /// <summary>Several inputs, one step each.</summary>
    public async Task<string> Press(params string[] inputs)
    {
        var screen = "";
        foreach (var input in inputs)
        {
            screen = await Press(input);
        }

        return screen;
    }

    /// <summary>Sends a step's text again (a gateway's repeated callback).</summary>
    public Task<string> Resend(string text) => Send(SessionId, text);

    public async Task<string> Send(string sessionId, string text)
    {
        using var client = api.CreateAnonymousClient();
        using var response = await client.PostAsJsonAsync("/api/sandbox/phone/ussd", new { sessionId, phoneNumber = Phone, text }, ApiJson.Options);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
        return Screens.Checked(body);
    }

    /// <summary>The engine's account of this number, as the phone sign-in would find it.</summary>
    public async Task<Account> Account() => await Grains.GetGrain<IPhoneNumberGrain>(Phone).BindAccount();

    public async Task<Cart> Cart() => await Grains.GetGrain<IShopperCartGrain>((await Account()).ShopperId).Get();

    public async Task<IReadOnlyList<Order>> Orders()
    {
        var ids = await Grains.GetGrain<IShopperCartGrain>((await Account()).ShopperId).ListOrderIds();
        return (await Task.WhenAll(ids.Select(id => Grains.GetGrain<IOrderGrain>(id).Get()))).OfType<Order>().ToList();
    }

    public Task<IReadOnlyList<SmsMessage>> Inbox() => Grains.GetGrain<ISandboxSmsOutboxGrain>(Phone).List();

    private IGrainFactory Grains => api.Services.GetRequiredService<IGrainFactory>();

    private static long _next = Random.Shared.NextInt64(10_000_000, 90_000_000);

    /// <summary>A fresh Kenyan mobile number (+254 7xx): its menus and SMS read Swahili (9 switches to English); KES lots are paid by mobile money.</summary>
    public static string NewKenyanPhone() => $"+2547{Interlocked.Increment(ref _next) % 100_000_000:D8}";

    /// <summary>
    /// A fresh Nigerian mobile number (+234 80x): a market with no phone language of its own, so its
    /// menus and SMS read English (9 switches to Chinese), as every number but China's did before Swahili.
    /// </summary>
    public static string NewEnglishPhone() => $"+23480{Interlocked.Increment(ref _next) % 100_000_000:D8}";
}

/// <summary>What every USSD answer must be.</summary>
public static class Screens
{
    public static string Checked(string body)
    {
        Assert.True(body.StartsWith("CON ", StringComparison.Ordinal) || body.StartsWith("END ", StringComparison.Ordinal), $"not a USSD answer: {body}");
        Assert.True(body.Length <= PhoneChannel.MaxScreenLength, $"{body.Length} characters: {body}");
        return body;
    }

    public static void AssertContinues(string screen, params string[] contains)
    {
        Assert.StartsWith("CON ", screen, StringComparison.Ordinal);
        foreach (var text in contains)
        {
            Assert.Contains(text, screen, StringComparison.Ordinal);
        }
    }

    public static void AssertEnds(string screen, params string[] contains)
    {
        Assert.StartsWith("END ", screen, StringComparison.Ordinal);
        foreach (var text in contains)
        {
            Assert.Contains(text, screen, StringComparison.Ordinal);
        }
    }

    /// <summary>The choice number of the line that contains <paramref name="text"/>.</summary>
    public static string ChoiceOf(string screen, string text)
    {
        var line = screen[4..].Split('\n').First(l => l.Contains(text, StringComparison.Ordinal));
        return line.Split(' ')[0];
    }
}

/// <summary>The phone gateway's own callbacks, signed (or not) by the test.</summary>
public static class PhoneGatewayCalls
{
    public static string Secret(this FlashSaleApiFactory api) =>
        api.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<FlashSale.Api.Phone.PhoneGatewayOptions>>().Value.Secrets[0];

    public static string Form(params (string Name, string Value)[] fields) =>
        string.Join('&', fields.Select(f => $"{f.Name}={Uri.EscapeDataString(f.Value)}"));

    public static string Sign(string body, string secret, long? at = null) =>
        WebhookSignature.Sign(secret, at ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds(), Encoding.UTF8.GetBytes(body));

    public static async Task<HttpResponseMessage> Post(this FlashSaleApiFactory api, string route, string body, string? signature, string contentType = "application/x-www-form-urlencoded")
    {
        using var client = api.CreateAnonymousClient();
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(route, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, signature);
        }

        return await client.SendAsync(request);
    }

    public static async Task<string> SandboxSms(this FlashSaleApiFactory api, string from, string text, string? messageId = null)
    {
        using var client = api.CreateAnonymousClient();
        using var response = await client.PostAsJsonAsync("/api/sandbox/phone/sms", new { from, text, messageId }, ApiJson.Options);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
        return body;
    }
}
