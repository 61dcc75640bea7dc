using System.Collections.Concurrent;

namespace FlashSale.Api.Tests.Infrastructure;

/// <summary>
/// The authorization tables' shared steps: a row per route and caller, and one request sent and
/// judged by its exact status (a refusal must be problem+json).
/// </summary>
public static class RouteMatrix
{
    public static TheoryData<string, string> Rows(IEnumerable<string> routes, IReadOnlyList<string> callers)
    {
        var rows = new TheoryData<string, string>();
        foreach (var route in routes)
        {
            foreach (var caller in callers)
            {
                rows.Add(route, caller);
            }
        }

        return rows;
    }

    /// <summary>Sends <paramref name="route"/> (<c>METHOD /path</c>, placeholders filled by <paramref name="fill"/>) and asserts its status.</summary>
    public static async Task AssertAnswers(HttpClient client, string route, string? body, Func<string, string> fill, string caller, int expected)
    {
        var (method, path) = (route.Split(' ')[0], fill(route.Split(' ')[1]));
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(fill(body), System.Text.Encoding.UTF8, "application/json");
        }

        if (path.EndsWith("/checkout", StringComparison.Ordinal))
        {
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        }

        using var response = await client.SendAsync(request);

        Assert.True((int)response.StatusCode == expected,
            $"{route} as {caller}: expected {expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        if (expected >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    /// <summary>True for a route that only reads (<c>GET</c>): it changes nothing a later row could see.</summary>
    public static bool OnlyReads(string route) => route.StartsWith("GET ", StringComparison.Ordinal);
}

/// <summary>
/// A matrix's scenes: a fresh one for every row of a route that may change state, and one per
/// read route shared by all its callers. A read changes nothing, so no caller's answer can
/// decide another's, and the matrix builds a scene per read route instead of one per row.
/// </summary>
public sealed class MatrixScenes<TScene>
{
    private readonly ConcurrentDictionary<(FlashSaleApiFactory Api, string Route), Lazy<Task<TScene>>> _reads = new();

    public Task<TScene> For(FlashSaleApiFactory api, string route, Func<FlashSaleApiFactory, Task<TScene>> create) =>
        RouteMatrix.OnlyReads(route)
            ? _reads.GetOrAdd((api, route), key => new Lazy<Task<TScene>>(() => create(key.Api))).Value
            : create(api);
}
