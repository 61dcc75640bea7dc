using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using FlashSale.Benchmarks.Catalog;

namespace FlashSale.Benchmarks.Phone;

/// <summary>
/// What one USSD step costs the host, issue #17's load question: the <c>ussd</c> scenario is
/// throughput-bound on a 2-core machine, so the cost of a step, not its latency alone, decides
/// how many handsets a sale's opening can answer within the gateways' patience. The whole API runs
/// in process (the embedded engine in memory, the ASP.NET Core test server, no sockets); each
/// case is sandbox gateway callbacks through signing, the signature check, the form, the session
/// grain and whatever the step reads. The baseline is <c>GET /api/lots/{lotId}</c> (one grain call).
/// <para>
/// <see cref="LotsOnSale"/> is how many lots are live: the "Live lots" screen used to read each of
/// them per handset. Every case that dials uses a new session (a new session activation), as a
/// handset at a sale's opening does; "a new number" also activates the number's grain for the
/// first time, the cost of a crowd of handsets never seen before.
/// </para>
/// </summary>
[Config(typeof(CatalogBenchmarkConfig))]
[MemoryDiagnoser]
public class UssdStepBenchmarks : InProcessApiBenchmark
{
    private string _knownPhone = null!;
    private string _repeatSession = null!;
    private long _nextNumber;
    private long _nextSession;

    [Params(1, 50)]
    public int LotsOnSale { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        Api = InProcessApi.Create(("FlashSale:Limits:MaxLiveLotsPerSeller", "1000"));
        Http = Api.CreateClient();

        using var signedUp = await Http.PostAsJsonAsync("/api/sellers", new { name = "Kisii co-op" });
        var seller = (await signedUp.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        for (var i = 0; i < LotsOnSale; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/lots")
            {
                Content = JsonContent.Create(new { name = $"Bananas {i}", unit = "bunch", priceMinor = 25000, currency = "KES", quantity = 1_000_000, perShopperLimit = 5 }),
            };
            request.Headers.Authorization = new("Bearer", seller);
            using var created = await Http.SendAsync(request);
            created.EnsureSuccessStatusCode();
            BaselineLotId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("lotId").GetString()!;
        }

        _nextNumber = Random.Shared.NextInt64(10_000_000, 50_000_000);
        _knownPhone = NewNumber();
        _repeatSession = NewSession();
        await Step(_repeatSession, _knownPhone, "");
        await Step(_repeatSession, _knownPhone, "1");
    }

    /// <summary>A gateway's repeated callback: answered from the session's memory, the fixed cost of any step.</summary>
    [Benchmark(Description = "repeated step (answered from memory)")]
    public Task<string> RepeatedStep() => Step(_repeatSession, _knownPhone, "1");

    [Benchmark(Description = "dial, a known number")]
    public Task<string> DialKnownNumber() => Step(NewSession(), _knownPhone, "");

    [Benchmark(Description = "dial, a new number")]
    public Task<string> DialNewNumber() => Step(NewSession(), NewNumber(), "");

    [Benchmark(Description = "dial + live lots, a known number")]
    public async Task<string> DialAndLiveLots()
    {
        var session = NewSession();
        await Step(session, _knownPhone, "");
        return await Step(session, _knownPhone, "1");
    }

    private async Task<string> Step(string sessionId, string phoneNumber, string text)
    {
        using var response = await Http.PostAsJsonAsync("/api/sandbox/phone/ussd", new { sessionId, phoneNumber, text });
        var screen = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode && screen.StartsWith("CON ", StringComparison.Ordinal)
            ? screen
            : throw new InvalidOperationException($"{(int)response.StatusCode} {screen}");
    }

    private string NewNumber() => "+2547" + (Interlocked.Increment(ref _nextNumber) % 100_000_000).ToString("D8", CultureInfo.InvariantCulture);

    private string NewSession() => "bench-" + Interlocked.Increment(ref _nextSession).ToString(CultureInfo.InvariantCulture);
}
