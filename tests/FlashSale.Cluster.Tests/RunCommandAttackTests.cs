using System.Globalization;
using System.Net;
using System.Text;
using FlashSale.Cluster.Embedded;
using FlashSale.Cluster.Tests.Infrastructure;
using FlashSale.Payments;
using static FlashSale.Testing.Security.Forgeries;

namespace FlashSale.Cluster.Tests;

/// <summary>
/// The attacks of issue #12, made on the run command itself (the built API as a process, with its
/// real configuration files), in both profiles. In Development it makes its own keys in its data
/// folder; in Production it is given them, as an operator must, and refuses to start without.
/// The in-process suites (ForgedCredentialsTests, ProductionProfileTests) try the same and more;
/// this proves the shipped configuration does not undo them.
/// </summary>
public sealed class RunCommandAttackTests : IDisposable
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(60);
    private readonly string _data = Path.Combine(Path.GetTempPath(), "flashsale-attacks-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task No_string_in_the_repository_signs_a_token_or_a_webhook_and_no_development_door_is_open_in_production(string environment)
    {
        var production = environment == "Production";
        var api = NodeProcess.Locate("api/FlashSale.Api", "FlashSale.Api");
        var http = LoopbackPorts.Unused();
        await using var host = new NodeProcess($"attacked-{environment}", api.Assembly, api.ProjectDirectory,
            ["--data", _data, $"--urls=http://127.0.0.1:{http.ToString(CultureInfo.InvariantCulture)}", "--no-demo"], http,
            sharedSecrets: production, environment: environment);
        host.Start();
        await host.WaitHealthy(StartBound);
        using var client = new HttpClient { BaseAddress = new Uri(host.BaseAddress) };
        var strings = RepositoryStrings();
        Assert.NotEmpty(strings);

        foreach (var candidate in strings)
        {
            foreach (var kid in new[] { null, "dev", "default", "flashsale" })
            {
                using var forged = new HttpRequestMessage(HttpMethod.Get, "/api/cart");
                forged.Headers.Authorization = new("Bearer", Jwt(Encoding.UTF8.GetBytes(candidate), Header("HS256", kid), Claims("shp_0123456789abcdef", "shopper")));
                using var answer = await client.SendAsync(forged);
                Assert.True(answer.StatusCode == HttpStatusCode.Unauthorized, $"{environment}: a token signed with \"{candidate}\" (kid {kid ?? "none"}) answered {(int)answer.StatusCode}");
            }

            var body = """{"eventId":"evt_forged","paymentId":"pay_0123456789abcdef","type":"payment.succeeded","amountMinor":100,"currency":"CNY"}""";
            using var webhook = new HttpRequestMessage(HttpMethod.Post, "/api/payments/webhooks/wallet") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            webhook.Headers.Add("FlashSale-Signature", WebhookSignature.Sign(candidate, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), Encoding.UTF8.GetBytes(body)));
            using var hooked = await client.SendAsync(webhook);
            Assert.True(hooked.StatusCode == HttpStatusCode.Unauthorized, $"{environment}: a webhook signed with \"{candidate}\" answered {(int)hooked.StatusCode}");
        }

        using var complete = await client.PostAsync(new Uri("/api/sandbox/payments/pay_0123456789abcdef/complete", UriKind.Relative),
            new StringContent("""{"outcome":"succeeded"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(production ? HttpStatusCode.NotFound : HttpStatusCode.Unauthorized, complete.StatusCode);
        using var signUp = await client.PostAsync(new Uri("/api/shoppers", UriKind.Relative), new StringContent("""{"name":"Free account"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(production ? HttpStatusCode.NotFound : HttpStatusCode.Created, signUp.StatusCode);
        using var sms = await client.GetAsync(new Uri("/api/sandbox/sms?phone=%2B8613800138000", UriKind.Relative));
        Assert.Equal(production ? HttpStatusCode.NotFound : HttpStatusCode.OK, sms.StatusCode);
        using var metrics = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(production ? HttpStatusCode.NotFound : HttpStatusCode.OK, metrics.StatusCode);
    }

    [Fact]
    public async Task In_production_the_run_command_refuses_to_start_without_its_keys_and_names_what_is_missing()
    {
        var api = NodeProcess.Locate("api/FlashSale.Api", "FlashSale.Api");
        var http = LoopbackPorts.Unused();
        await using var host = new NodeProcess("unkeyed-production", api.Assembly, api.ProjectDirectory,
            ["--data", _data, $"--urls=http://127.0.0.1:{http.ToString(CultureInfo.InvariantCulture)}", "--no-demo"], http,
            sharedSecrets: false, environment: "Production");
        host.Start();

        Assert.NotEqual(0, await host.WaitForExit(StartBound));
        Assert.True(host.Logged("FlashSale:Identity:SigningKeys"), host.Tail());
        Assert.False(File.Exists(Path.Combine(_data, "secrets.json")), "a production host made keys of its own");
    }
}
