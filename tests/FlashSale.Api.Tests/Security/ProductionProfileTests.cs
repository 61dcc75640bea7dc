using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using FlashSale.Api.Tests.Infrastructure;

namespace FlashSale.Api.Tests.Security;

/// <summary>In Production the Development conveniences do not exist: demo sign-up, the sandbox payment gateway and the sandbox SMS outbox answer 404.</summary>
[Collection(ProductionCollection.Name)]
public sealed class ProductionProfileTests(ProductionApiFactory api)
{
    public static TheoryData<string, string> ClosedRoutes() => new()
    {
        { "POST", "/api/sellers" }, { "POST", "/api/shoppers" }, { "POST", "/api/agents" },
        { "GET", "/api/sandbox/payments/pay_0000000000000000" }, { "POST", "/api/sandbox/payments/pay_0000000000000000/complete" },
        { "GET", "/api/sandbox/sms?phone=%2B8613800138000" },
        { "POST", "/api/sandbox/phone/ussd" }, { "POST", "/api/sandbox/phone/sms" },
    };

    [Theory]
    [MemberData(nameof(ClosedRoutes))]
    public async Task Development_conveniences_are_not_found(string method, string path)
    {
        var shopper = await api.SignUpShopper();
        foreach (var client in new[] { api.CreateAnonymousClient(), shopper.Http })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative))
            {
                Content = method == "POST" ? JsonContent.Create(new { name = "Wang Fang", village = "Dangshan", outcome = "succeeded" }) : null,
            };
            using var response = await client.SendAsync(request);
            await response.ReadProblem(HttpStatusCode.NotFound, FlashSale.Api.Extensions.Problems.NotFound);
        }
    }

    public static TheoryData<string> OperationsRoutes() => ["/metrics", "/dashboard/", "/dashboard", "/METRICS", "/metrics/"];

    /// <summary>The operations endpoints are not on the public port, for anyone, nor for a Host header naming the management port.</summary>
    [Theory]
    [MemberData(nameof(OperationsRoutes))]
    public async Task Operations_endpoints_are_not_found_on_the_public_port(string path)
    {
        var shopper = await api.SignUpShopper();
        foreach (var client in new[] { api.CreateAnonymousClient(), shopper.Http })
        {
            using var plain = await client.GetAsync(new Uri(path, UriKind.Relative));
            await plain.ReadProblem(HttpStatusCode.NotFound, FlashSale.Api.Extensions.Problems.NotFound);

            using var spoofed = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
            spoofed.Headers.Host = $"localhost:{ProductionApiFactory.ManagementPort}";
            using var spoofedAnswer = await client.SendAsync(spoofed);
            await spoofedAnswer.ReadProblem(HttpStatusCode.NotFound, FlashSale.Api.Extensions.Problems.NotFound);
        }
    }

    [Theory]
    [InlineData("/metrics", "text/plain")]
    [InlineData("/dashboard/", "text/html")]
    public async Task Operations_endpoints_answer_on_the_management_port(string path, string mediaType)
    {
        using var anonymous = api.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative)).OnLocalPort(ProductionApiFactory.ManagementPort);
        using var response = await anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_real_wallet_order_cannot_be_marked_paid_through_a_sandbox()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 10, perShopperLimit: 5);
        var shopper = await api.SignUpShopper();
        await shopper.Hold(lot.LotId, 1);
        var order = await shopper.PlaceOrder("wallet");

        using var complete = await shopper.Http.PostAsJsonAsync($"/api/sandbox/payments/{order.Payment.PaymentId}/complete", new { outcome = "succeeded" });

        await complete.ReadProblem(HttpStatusCode.NotFound, FlashSale.Api.Extensions.Problems.NotFound);
        Assert.Equal(Orders.OrderStatus.AwaitingPayment, (await shopper.GetOrder(order.OrderId)).Status);
    }
}

/// <summary>
/// Production without configured secrets does not start, and says in one line which setting is
/// missing: the API is started as an operator would start it, as a process from its build output.
/// </summary>
public sealed class ProductionWithoutSecretsTests
{
    [Theory]
    [InlineData("no signing key", "FlashSale:Identity:SigningKeys is not configured")]
    [InlineData("no wallet secret", "FlashSale:Payments:Webhooks:Secrets:wallet is not configured")]
    [InlineData("no phone gateway secret", "FlashSale:Phone:Gateway:Secrets is not configured")]
    [InlineData("a short signing key", "FlashSale:Identity:SigningKeys:0:Key is shorter than 32 characters")]
    [InlineData("the sandbox switched on", "FlashSale:Payments:Sandbox:Enabled is true in Production")]
    public async Task The_host_refuses_to_start_and_names_the_setting(string missing, string message)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FlashSale.Api.dll"));
        start.ArgumentList.Add("--urls=http://127.0.0.1:0");
        start.ArgumentList.Add("--FlashSale:Demo:Seed=false");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in TestSecrets.Configured())
        {
            var omitted = missing switch
            {
                "no signing key" => key.StartsWith("FlashSale:Identity:SigningKeys", StringComparison.Ordinal),
                "no wallet secret" => key.EndsWith(":wallet:0", StringComparison.Ordinal),
                "no phone gateway secret" => key.StartsWith("FlashSale:Phone:Gateway:Secrets", StringComparison.Ordinal),
                _ => false,
            };
            if (!omitted)
            {
                start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value; // as an operator would, never on the command line
            }
        }

        if (missing == "a short signing key")
        {
            start.Environment["FlashSale__Identity__SigningKeys__0__Key"] = "too-short";
        }

        if (missing == "the sandbox switched on")
        {
            start.Environment["FlashSale__Payments__Sandbox__Enabled"] = "true";
        }

        var (exitCode, stdout, errors) = await Run(start);
        Assert.True(exitCode == 1, $"exit {exitCode}; out: {stdout}; err: {errors}");
        var line = Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), l => l.StartsWith("FlashSale cannot start:", StringComparison.Ordinal));
        Assert.Contains(message, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_nothing_configured_it_names_every_missing_setting_one_line_each_and_no_stack()
    {
        // Several options fail together as an AggregateException; the run command once let that
        // escape as an unhandled exception with its stack, and this test exists for that.
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FlashSale.Api.dll"));
        start.ArgumentList.Add("--urls=http://127.0.0.1:0");
        start.ArgumentList.Add("--FlashSale:Demo:Seed=false");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        var (exitCode, stdout, errors) = await Run(start);

        Assert.True(exitCode == 1, $"exit {exitCode}; out: {stdout}; err: {errors}");
        var lines = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.All(lines, l => Assert.StartsWith("FlashSale cannot start:", l, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("FlashSale:Identity:SigningKeys is not configured", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("FlashSale:Payments:Webhooks:Secrets:wallet is not configured", StringComparison.Ordinal));
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> Run(ProcessStartInfo start)
    {
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
