using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FlashSale.LoadTests.Harness;

namespace FlashSale.LoadTests.Sale;

public sealed record SaleClientOptions
{
    /// <summary>At most this many HTTP/1.1 connections to the target; requests beyond wait in the client (and that wait is measured).</summary>
    public int Connections { get; init; } = 512;

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Refusals that are business answers under load, counted as expected rather than failed.</summary>
    public IReadOnlySet<string> ExpectedProblems { get; init; } = new HashSet<string>(StringComparer.Ordinal) { "sold-out", "limit-exceeded" };
}

/// <summary>
/// The public contract over HTTP, as a shopper's phone or a seller's tool would call it. Measured
/// calls never throw: each answer is classified as ok, an expected business answer (its problem
/// code), or a failure (a status, <c>timeout</c> or <c>transport</c>). Setup calls throw on failure.
/// </summary>
public sealed class SaleClient : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly byte[][] QuantityBodies = Enumerable.Range(0, 101).Select(q => Encoding.UTF8.GetBytes($"{{\"quantity\":{q}}}")).ToArray();
    private readonly HttpClient _http;
    private readonly SaleClientOptions _options;

    private readonly IReadOnlyList<Uri> _nodes;
    private int _nextAnonymousNode;

    public SaleClient(Uri baseAddress, SaleClientOptions? options = null)
        : this([baseAddress], options)
    {
    }

    /// <summary>A client of several API nodes of one cluster: see <see cref="NodeFor"/>.</summary>
    public SaleClient(IReadOnlyList<Uri> nodes, SaleClientOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(nodes.Count);
        _nodes = nodes;
        _options = options ?? new SaleClientOptions();
        var baseAddress = BaseAddress = nodes[0];
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = _options.Connections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        })
        {
            BaseAddress = baseAddress,
            Timeout = Timeout.InfiniteTimeSpan, // each call has its own timeout, so a timeout is an outcome, not an exception
        };
    }

    public Uri BaseAddress { get; }

    // ---- setup: throws when the target does not answer as the contract says ----

    public async Task<Identity> SignUpSeller(string name, CancellationToken cancellation)
    {
        var answer = await SendAsync(HttpMethod.Post, "/api/sellers", null, JsonBody(new { name, village = "Dangshan" }), null, cancellation);
        var seller = Require<SellerSignedUp>(answer, HttpStatusCode.Created, "POST /api/sellers");
        return new Identity(seller.SellerId, seller.Token);
    }

    public async Task<Identity> SignUpShopper(string name, CancellationToken cancellation)
    {
        var answer = await SendAsync(HttpMethod.Post, "/api/shoppers", null, JsonBody(new { name, region = "Anhui" }), null, cancellation);
        var shopper = Require<ShopperSignedUp>(answer, HttpStatusCode.Created, "POST /api/shoppers");
        return new Identity(shopper.ShopperId, shopper.Token);
    }

    /// <summary>Signs up <paramref name="count"/> shoppers, <paramref name="parallel"/> at a time.</summary>
    public async Task<IReadOnlyList<Identity>> SignUpShoppers(int count, int parallel, CancellationToken cancellation)
    {
        var shoppers = new Identity[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellation },
            async (i, ct) => shoppers[i] = await SignUpShopper($"Shopper {i}", ct));
        return shoppers;
    }

    /// <summary>A demo village agent, approved at sign-up, and its service point (found in <c>GET /api/pickup-points</c>).</summary>
    public async Task<(Identity Agent, string PointId)> SignUpAgent(string name, string village, CancellationToken cancellation)
    {
        var answer = await SendAsync(HttpMethod.Post, "/api/agents", null, JsonBody(new { name, village }), null, cancellation);
        var agent = Require<AgentSignedUp>(answer, HttpStatusCode.Created, "POST /api/agents");
        var points = Require<PickupPointView[]>(
            await SendAsync(HttpMethod.Get, $"/api/pickup-points?village={Uri.EscapeDataString(village)}", null, null, null, cancellation), HttpStatusCode.OK, "GET /api/pickup-points");
        var point = points.FirstOrDefault(p => p.AgentId == agent.AgentId) ?? throw new InvalidOperationException($"agent {agent.AgentId} has no service point in {village}");
        return (new Identity(agent.AgentId, agent.Token), point.PointId);
    }

    public async Task<LotView> CreateLot(Identity seller, string name, int quantity, int perShopperLimit, long priceMinor, CancellationToken cancellation)
    {
        var body = JsonBody(new { name, unit = "box (5 kg)", priceMinor, currency = "CNY", quantity, perShopperLimit });
        var answer = await SendAsync(HttpMethod.Post, "/api/lots", seller.Token, body, null, cancellation);
        return Require<LotView>(answer, HttpStatusCode.Created, "POST /api/lots");
    }

    // ---- measured calls: never throw ----

    public async Task<StepOutcome> Ping(CancellationToken cancellation) =>
        Classify(await SendAsync(HttpMethod.Get, "/ping", null, null, null, cancellation), 0);

    public async Task<(StepOutcome Outcome, LotView? Lot)> GetLot(string lotId, CancellationToken cancellation)
    {
        var answer = await SendAsync(HttpMethod.Get, $"/api/lots/{lotId}", null, null, null, cancellation);
        var outcome = Classify(answer, 0);
        return (outcome, outcome.IsOk ? TryRead<LotView>(answer) : null);
    }

    /// <summary>GET /api/orders/{orderId} as its shopper, measured.</summary>
    public async Task<(StepOutcome Outcome, OrderView? Order)> GetOrder(Identity shopper, string orderId, CancellationToken cancellation)
    {
        var answer = await SendAsync(HttpMethod.Get, $"/api/orders/{orderId}", shopper.Token, null, null, cancellation);
        var outcome = Classify(answer, 0);
        return (outcome, outcome.IsOk ? TryRead<OrderView>(answer) : null);
    }

    /// <summary>
    /// One USSD step through the sandbox gateway (<c>POST /api/sandbox/phone/ussd</c>, Development
    /// only), which signs and forwards it as the real gateway would: the screen (<c>CON</c>/<c>END</c>) when answered.
    /// </summary>
    public async Task<(StepOutcome Outcome, string? Screen)> UssdStep(string sessionId, string phoneNumber, string text, CancellationToken cancellation)
    {
        var body = JsonBody(new { sessionId, phoneNumber, text });
        var answer = await SendAsync(HttpMethod.Post, "/api/sandbox/phone/ussd", null, body, null, cancellation);
        var outcome = Classify(answer, body.Length);
        return (outcome, outcome.IsOk ? Encoding.UTF8.GetString(answer.Body) : null);
    }

    /// <summary>PUT /api/cart/items/{lotId}: sets the shopper's held quantity (more reserves, less releases).</summary>
    public async Task<StepOutcome> SetHold(Identity shopper, string lotId, int quantity, CancellationToken cancellation)
    {
        var body = quantity < QuantityBodies.Length ? QuantityBodies[quantity] : Encoding.UTF8.GetBytes($"{{\"quantity\":{quantity}}}");
        return Classify(await SendAsync(HttpMethod.Put, $"/api/cart/items/{lotId}", shopper.Token, body, null, cancellation), body.Length);
    }

    public async Task<StepOutcome> GetCartOutcome(Identity shopper, CancellationToken cancellation) =>
        Classify(await SendAsync(HttpMethod.Get, "/api/cart", shopper.Token, null, null, cancellation), 0);

    public async Task<StepOutcome> Release(Identity shopper, string lotId, CancellationToken cancellation) =>
        Classify(await SendAsync(HttpMethod.Delete, $"/api/cart/items/{lotId}", shopper.Token, null, null, cancellation), 0);

    /// <summary>POST /api/checkout; with <paramref name="pickupPointId"/> the order is to be picked up at that service point.</summary>
    public async Task<(StepOutcome Outcome, OrderView? Order)> Checkout(
        Identity shopper, string paymentMethod, string idempotencyKey, CancellationToken cancellation, string? pickupPointId = null)
    {
        var body = pickupPointId is null
            ? JsonBody(new { paymentMethod })
            : JsonBody(new { paymentMethod, delivery = new { kind = "pickup", pointId = pickupPointId } });
        var answer = await SendAsync(HttpMethod.Post, "/api/checkout", shopper.Token, body, idempotencyKey, cancellation);
        var outcome = Classify(answer, body.Length);
        return (outcome, outcome.IsOk ? TryRead<OrderView>(answer) : null);
    }

    /// <summary>
    /// POST /api/checkout as a client that follows the contract: an answer that settles nothing
    /// (see <see cref="ContractRetry"/>) is retried with the same <c>Idempotency-Key</c>, after the
    /// answer's <c>Retry-After</c>, up to <paramref name="attempts"/> tries in all. A retry of a
    /// checkout that did go through answers the same order, so no retry can place a second one.
    /// </summary>
    public async Task<(StepOutcome Outcome, OrderView? Order, int Retries)> CheckoutRetrying(
        Identity shopper, string paymentMethod, int attempts, CancellationToken cancellation)
    {
        var key = Guid.NewGuid().ToString("N");
        var retries = 0;
        while (true)
        {
            var (outcome, order) = await Checkout(shopper, paymentMethod, key, cancellation);
            if (retries + 1 >= attempts || !ContractRetry.MayRetry(outcome))
            {
                return (outcome, order, retries);
            }

            retries++;
            await Task.Delay(ContractRetry.Delay(outcome), cancellation);
        }
    }

    /// <summary>The sandbox gateway: the order's shopper completes its payment, which sends the signed webhook as a real gateway would.</summary>
    public async Task<StepOutcome> CompleteSandboxPayment(Identity shopper, string paymentId, string result, CancellationToken cancellation)
    {
        var body = JsonBody(new { outcome = result });
        return Classify(await SendAsync(HttpMethod.Post, $"/api/sandbox/payments/{paymentId}/complete", shopper.Token, body, null, cancellation), body.Length);
    }

    /// <summary>The seller packs the order's shipment: <c>POST /api/seller/orders/{orderId}/pack</c>.</summary>
    public async Task<StepOutcome> Pack(Identity seller, string orderId, CancellationToken cancellation) =>
        Classify(await SendAsync(HttpMethod.Post, $"/api/seller/orders/{orderId}/pack", seller.Token, null, null, cancellation), 0);

    /// <summary>The seller ships the packed shipment: <c>POST /api/seller/orders/{orderId}/ship</c>.</summary>
    public async Task<StepOutcome> Ship(Identity seller, string orderId, CancellationToken cancellation)
    {
        var body = JsonBody(new { trackingId = "harness-" + orderId });
        return Classify(await SendAsync(HttpMethod.Post, $"/api/seller/orders/{orderId}/ship", seller.Token, body, null, cancellation), body.Length);
    }

    /// <summary>The parcel reached the agent's service point: <c>POST /api/agent/parcels/{orderId}/arrived</c>.</summary>
    public async Task<StepOutcome> Arrived(Identity agent, string orderId, CancellationToken cancellation) =>
        Classify(await SendAsync(HttpMethod.Post, $"/api/agent/parcels/{orderId}/arrived", agent.Token, null, null, cancellation), 0);

    /// <summary>The agent hands the parcel over against the code the shopper tells: <c>POST /api/agent/parcels/{orderId}/handover</c>.</summary>
    public async Task<StepOutcome> Handover(Identity agent, string orderId, string pickupCode, CancellationToken cancellation)
    {
        var body = JsonBody(new { pickupCode });
        return Classify(await SendAsync(HttpMethod.Post, $"/api/agent/parcels/{orderId}/handover", agent.Token, body, null, cancellation), body.Length);
    }

    // ---- audit reads: retried, null when the target never answered ----

    public Task<LedgerView?> ReadLedger(Identity seller, CancellationToken cancellation) => ReadAsync<LedgerView>("/api/sellers/me/ledger", seller.Token, cancellation);


    public Task<LotView?> ReadLot(string lotId, CancellationToken cancellation) => ReadAsync<LotView>($"/api/lots/{lotId}", null, cancellation);

    public Task<CartView?> ReadCart(Identity shopper, CancellationToken cancellation) => ReadAsync<CartView>("/api/cart", shopper.Token, cancellation);

    public Task<OrderView[]?> ReadOrders(Identity shopper, CancellationToken cancellation) => ReadAsync<OrderView[]>("/api/orders", shopper.Token, cancellation);

    public Task<OrderView?> ReadOrder(Identity shopper, string orderId, CancellationToken cancellation) => ReadAsync<OrderView>($"/api/orders/{orderId}", shopper.Token, cancellation);

    public void Dispose() => _http.Dispose();

    private async Task<T?> ReadAsync<T>(string path, string? token, CancellationToken cancellation)
        where T : class
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var answer = await SendAsync(HttpMethod.Get, path, token, null, null, cancellation);
            if (answer.Status == HttpStatusCode.OK && TryRead<T>(answer) is { } value)
            {
                return value;
            }

            if (answer.Status is HttpStatusCode.NotFound or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                return null;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200 * (attempt + 1)), cancellation);
        }

        return null;
    }

    /// <summary>
    /// The node a call goes to when there are several: a caller (its token) always to the same
    /// one, as behind a sticky load balancer, so each node serves its share of the shoppers; calls
    /// without a caller (sign-ups, anonymous reads) take turns.
    /// </summary>
    internal Uri NodeFor(string? token) => token is null
        ? _nodes[(int)((uint)Interlocked.Increment(ref _nextAnonymousNode) % (uint)_nodes.Count)]
        : _nodes[(int)((uint)StringComparer.Ordinal.GetHashCode(token) % (uint)_nodes.Count)];

    private async Task<Answer> SendAsync(HttpMethod method, string path, string? token, byte[]? body, string? idempotencyKey, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(method, _nodes.Count == 1 ? new Uri(path, UriKind.Relative) : new Uri(NodeFor(token), path));
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
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = Json;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            using var response = await _http.SendAsync(request, timeout.Token);
            var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            return new Answer(response.StatusCode, bytes, null, RetryAfter(response.Headers.RetryAfter));
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return new Answer(0, [], "timeout");
        }
        catch (HttpRequestException ex)
        {
            return new Answer(0, [], "transport:" + (ex.HttpRequestError == HttpRequestError.Unknown ? "error" : ex.HttpRequestError.ToString()));
        }
    }

    private StepOutcome Classify(Answer answer, long bytesSent)
    {
        if (answer.Error is not null)
        {
            return new StepOutcome(OutcomeKind.Failed, answer.Error, 0, bytesSent, 0);
        }

        var status = (int)answer.Status;
        if (status is >= 200 and < 300)
        {
            return new StepOutcome(OutcomeKind.Ok, "ok", status, bytesSent, answer.Body.Length);
        }

        var code = ProblemCode(answer.Body);
        var kind = status is >= 400 and < 500 && code is not null && _options.ExpectedProblems.Contains(code) ? OutcomeKind.Expected : OutcomeKind.Failed;
        var label = kind == OutcomeKind.Expected ? code! : code is null ? $"http-{status}" : $"http-{status} {code}";
        return new StepOutcome(kind, label, status, bytesSent, answer.Body.Length) { RetryAfter = answer.RetryAfter };
    }

    /// <summary>A <c>Retry-After</c> as a delay from now, whether it was sent as seconds or as a date.</summary>
    private static TimeSpan? RetryAfter(RetryConditionHeaderValue? header) =>
        header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);

    /// <summary>The contract code a problem's <c>type</c> ends in (<c>urn:flashsale:problem:sold-out</c> → <c>sold-out</c>).</summary>
    internal static string? ProblemCode(byte[] body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("type"u8) && reader.Read()
                    && reader.TokenType == JsonTokenType.String)
                {
                    var type = reader.GetString() ?? "";
                    var colon = type.LastIndexOfAny([':', '/']);
                    return colon >= 0 ? type[(colon + 1)..] : type;
                }
            }
        }
        catch (JsonException)
        {
            // not JSON: no code
        }

        return null;
    }

    private static T Require<T>(Answer answer, HttpStatusCode expected, string call)
        where T : class =>
        answer.Status == expected && TryRead<T>(answer) is { } value
            ? value
            : throw new InvalidOperationException($"{call} answered {(answer.Error ?? ((int)answer.Status).ToString(System.Globalization.CultureInfo.InvariantCulture))}: {Encoding.UTF8.GetString(answer.Body.AsSpan(0, Math.Min(400, answer.Body.Length)))}");

    private static T? TryRead<T>(Answer answer)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(answer.Body, ContractJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static byte[] JsonBody<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, ContractJson.Options);

    private readonly record struct Answer(HttpStatusCode Status, byte[] Body, string? Error, TimeSpan? RetryAfter = null);
}
