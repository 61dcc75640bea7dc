using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FlashSale.Cluster.Tests.Infrastructure;

/// <summary>What a request came to: done, refused (a 4xx: nothing changed), or unknown (5xx or no answer).</summary>
public enum Outcome
{
    Done,
    Refused,
    Unknown,
}

public sealed record Answer(Outcome Outcome, HttpStatusCode? Status, JsonNode? Body);

/// <summary>One answer as the client saw it: when (on <see cref="SaleClient.Clock"/>), to what, and its status (0: none).</summary>
public sealed record Seen(TimeSpan At, HttpMethod Method, string Path, int Status, bool RetryAfter);

/// <summary>A thin HTTP client of the public API, as an outside client would use it; it keeps every answer it saw.</summary>
public sealed class SaleClient(string baseAddress) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(baseAddress), Timeout = TimeSpan.FromSeconds(20) };

    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    public ConcurrentQueue<Seen> Seen { get; } = new();

    public async Task<(string Id, string Token)> SignUp(string role, string name)
    {
        var answer = await Send(HttpMethod.Post, $"/api/{role}s", null, new { name, village = "Dangshan" });
        Assert.Equal(Outcome.Done, answer.Outcome);
        return (answer.Body![$"{role}Id"]!.GetValue<string>(), answer.Body["token"]!.GetValue<string>());
    }

    public Task<Answer> Send(HttpMethod method, string path, string? token, object? body = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return SendAsync(request);
    }

    /// <summary>A read that must succeed; a 503 is retried after its <c>Retry-After</c>, as the contract tells clients to.</summary>
    public async Task<JsonNode> GetJson(string path, string? token = null)
    {
        var answer = await Send(HttpMethod.Get, path, token);
        for (var retry = 0; retry < 20 && answer.Status == HttpStatusCode.ServiceUnavailable; retry++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            answer = await Send(HttpMethod.Get, path, token);
        }

        Assert.True(answer.Outcome == Outcome.Done, $"GET {path}: {answer.Status} {answer.Body}");
        return answer.Body!;
    }

    public void Dispose() => _http.Dispose();

    private async Task<Answer> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            try
            {
                using var response = await _http.SendAsync(request);
                Seen.Enqueue(new Seen(Clock.Elapsed, request.Method, PathOf(request), (int)response.StatusCode, response.Headers.RetryAfter is not null));
                var text = await response.Content.ReadAsStringAsync();
                var body = text.Length > 0 ? JsonNode.Parse(text) : null;
                var code = (int)response.StatusCode;
                var outcome = code < 400 ? Outcome.Done : code < 500 ? Outcome.Refused : Outcome.Unknown;
                return new Answer(outcome, response.StatusCode, body);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
            {
                if (ex is not JsonException)
                {
                    Seen.Enqueue(new Seen(Clock.Elapsed, request.Method, PathOf(request), 0, false));
                }

                return new Answer(Outcome.Unknown, null, null);
            }
        }
    }

    /// <summary>
    /// The request's path, <c>/api/...</c>: once sent, HttpClient has made the request's URI
    /// absolute (base address included), so its original string is no longer the path asked for.
    /// </summary>
    private static string PathOf(HttpRequestMessage request) =>
        request.RequestUri is { IsAbsoluteUri: true } uri ? uri.AbsolutePath : request.RequestUri!.OriginalString;
}
