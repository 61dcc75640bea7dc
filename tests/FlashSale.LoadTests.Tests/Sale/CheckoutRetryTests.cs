using System.Collections.Concurrent;
using FlashSale.Cluster.Embedded;
using FlashSale.LoadTests.Harness;
using FlashSale.LoadTests.Sale;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FlashSale.LoadTests.Tests.Sale;

/// <summary>
/// The harness's checkout follows the contract: a 503, a missing answer or "the first try still
/// runs" is retried with the same Idempotency-Key after Retry-After, anything else is final, and
/// the tries are bounded. A scripted
/// server on 127.0.0.1 answers each try and records its key.
/// </summary>
public sealed class CheckoutRetryTests
{
    private static readonly Identity Shopper = new("shp_retry", "token");

    [Fact]
    public async Task A_503_is_retried_with_the_same_key_and_the_order_it_then_gets_is_the_answer()
    {
        await using var server = await ScriptedCheckout.Start(Unavailable(retryAfterSeconds: 0), Created);
        using var client = new SaleClient(server.Url);

        var (outcome, order, retries) = await client.CheckoutRetrying(Shopper, "cash-on-delivery", attempts: 4, CancellationToken.None);

        Assert.True(outcome.IsOk);
        Assert.Equal("ord_retried", order?.OrderId);
        Assert.Equal(1, retries);
        Assert.Equal(2, server.Keys.Count);
        Assert.Single(server.Keys.Distinct());
    }

    [Fact]
    public async Task A_try_that_gets_no_answer_in_time_is_retried_with_the_same_key()
    {
        await using var server = await ScriptedCheckout.Start(NoAnswer, Created);
        // Long enough that the answer that does come is never taken for a timeout on a busy machine
        // (at 300 ms, a CI run under the parallel suites saw one), short enough to keep the test quick.
        using var client = new SaleClient(server.Url, new SaleClientOptions { RequestTimeout = TimeSpan.FromSeconds(2) });

        var (outcome, _, retries) = await client.CheckoutRetrying(Shopper, "cash-on-delivery", attempts: 4, CancellationToken.None);

        Assert.True(outcome.IsOk);
        Assert.InRange(retries, 1, 3);
        Assert.Equal(retries + 1, server.Keys.Count);
        Assert.Single(server.Keys.Distinct());
    }

    [Fact]
    public async Task A_retry_told_the_first_try_still_runs_is_tried_again_with_the_same_key()
    {
        await using var server = await ScriptedCheckout.Start(Unavailable(0), StillRunning, Created);
        using var client = new SaleClient(server.Url);

        var (outcome, order, retries) = await client.CheckoutRetrying(Shopper, "cash-on-delivery", attempts: 4, CancellationToken.None);

        Assert.True(outcome.IsOk);
        Assert.Equal("ord_retried", order?.OrderId);
        Assert.Equal(2, retries);
        Assert.Single(server.Keys.Distinct());
    }

    [Fact]
    public async Task The_tries_stop_at_the_bound_and_the_last_answer_is_kept()
    {
        await using var server = await ScriptedCheckout.Start(Unavailable(0), Unavailable(0), Unavailable(0), Created);
        using var client = new SaleClient(server.Url);

        var (outcome, order, retries) = await client.CheckoutRetrying(Shopper, "cash-on-delivery", attempts: 3, CancellationToken.None);

        Assert.Equal(503, outcome.StatusCode);
        Assert.Null(order);
        Assert.Equal(2, retries);
        Assert.Equal(3, server.Keys.Count);
    }

    [Fact]
    public async Task A_refusal_is_final_and_is_not_tried_again()
    {
        await using var server = await ScriptedCheckout.Start(EmptyCart, Created);
        using var client = new SaleClient(server.Url);

        var (outcome, _, retries) = await client.CheckoutRetrying(Shopper, "cash-on-delivery", attempts: 4, CancellationToken.None);

        Assert.Equal(409, outcome.StatusCode);
        Assert.Equal(0, retries);
        Assert.Single(server.Keys);
    }

    [Theory]
    [InlineData(0, 100)] // a server asking for no wait still gets a short one
    [InlineData(2, 2_000)]
    [InlineData(120, 5_000)] // a long wait is cut to what a shopper at a sale would bear
    public void The_wait_is_the_answers_Retry_After_within_bounds(int askedSeconds, int waitedMs)
    {
        var outcome = StepOutcome.Fail("http-503", 503) with { RetryAfter = TimeSpan.FromSeconds(askedSeconds) };

        Assert.Equal(TimeSpan.FromMilliseconds(waitedMs), ContractRetry.Delay(outcome));
    }

    [Fact]
    public void A_timeout_without_Retry_After_waits_the_default()
    {
        Assert.True(ContractRetry.MayRetry(StepOutcome.Fail("timeout")));
        Assert.Equal(ContractRetry.DefaultDelay, ContractRetry.Delay(StepOutcome.Fail("timeout")));
        Assert.False(ContractRetry.MayRetry(StepOutcome.Fail("http-500", 500)));
    }

    private static Func<HttpContext, Task> Unavailable(int retryAfterSeconds) => async context =>
    {
        context.Response.StatusCode = 503;
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.ContentType = "application/problem+json";
        await context.Response.WriteAsync("""{"type":"urn:flashsale:problem:unavailable","status":503}""");
    };

    /// <summary>Answers only when the client has given up on the request.</summary>
    private static async Task NoAnswer(HttpContext context)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client gave up, as the test means it to.
        }
    }

    private static async Task Created(HttpContext context)
    {
        context.Response.StatusCode = 201;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("""{"orderId":"ord_retried","status":"confirmed-cod"}""");
    }

    private static async Task StillRunning(HttpContext context)
    {
        context.Response.StatusCode = 409;
        context.Response.ContentType = "application/problem+json";
        await context.Response.WriteAsync("""{"type":"urn:flashsale:problem:idempotency-key-in-flight","status":409}""");
    }

    private static async Task EmptyCart(HttpContext context)
    {
        context.Response.StatusCode = 409;
        context.Response.ContentType = "application/problem+json";
        await context.Response.WriteAsync("""{"type":"urn:flashsale:problem:cart-empty","status":409}""");
    }

    /// <summary>A server whose n-th checkout gets the n-th answer; it records every try's Idempotency-Key.</summary>
    private sealed class ScriptedCheckout : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private ScriptedCheckout(WebApplication app, Uri url) => (_app, Url) = (app, url);

        public Uri Url { get; }

        public ConcurrentQueue<string> Keys { get; } = new();

        public static async Task<ScriptedCheckout> Start(params Func<HttpContext, Task>[] answers)
        {
            var port = LoopbackPorts.Unused();
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, port));
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var server = new ScriptedCheckout(app, new Uri($"http://127.0.0.1:{port}/"));
            var tries = 0;
            app.MapPost("/api/checkout", context =>
            {
                server.Keys.Enqueue(context.Request.Headers["Idempotency-Key"].ToString());
                var index = Math.Min(Interlocked.Increment(ref tries), answers.Length) - 1;
                return answers[index](context);
            });
            await app.StartAsync();
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
