using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FlashSale.Api.Apis;
using FlashSale.Api.Extensions;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Common;

namespace FlashSale.Api.Tests.Security;

/// <summary>
/// Issue #12's hostile-input corpus, generated over the public write routes (lot creation, the
/// cart, checkout, delivery, the agent's routes, sign-in and applications): strings where numbers
/// belong and numbers where strings do, negative, fractional, huge and 2^63 numbers, nulls, missing
/// fields, duplicate keys, bodies that are not JSON or not sent as JSON, oversized bodies, control,
/// zero-width and right-to-left override characters in names, ids that are not ids and dates past
/// the horizon. Each is a 4xx <c>application/problem+json</c> (never a 5xx), and the lot, the
/// catalogue, the cart, the orders, the agent's villagers and their cart, and the account's
/// applications read back exactly as before. <see cref="BadInputTests"/> holds the contract's
/// exact codes for the older routes; this corpus adds breadth.
/// </summary>
[Collection(BadInputCollection.Name)]
public sealed class HostileInputCorpusTests(FlashSaleApiFactory api)
{
    private static readonly SemaphoreSlim SceneGate = new(1, 1);
    private static readonly Dictionary<FlashSaleApiFactory, HostileScene> Scenes = [];

    [Fact]
    public void The_corpus_holds_at_least_300_distinct_requests()
    {
        Assert.InRange(Corpus.Count, 300, int.MaxValue);
        Assert.Equal(Corpus.Count, Corpus.Select(c => (c.Route, c.Input)).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_hostile_request_is_refused_with_a_problem_and_changes_nothing(string route, string input)
    {
        var hostile = Corpus.Single(c => c.Route == route && c.Input == input);
        var scene = await SharedHostileScene();
        var before = await scene.Snapshot();

        using var anonymous = api.CreateAnonymousClient();
        using var request = hostile.ToRequest(scene);
        using var response = await scene.ClientFor(hostile.As, anonymous).SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{route} with {input}: expected a 4xx, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        var type = problem.RootElement.GetProperty("type").GetString() ?? "";
        Assert.StartsWith(Problems.TypePrefix, type, StringComparison.Ordinal);
        if (hostile.Code is { } code)
        {
            Assert.True(type == Problems.TypeOf(code), $"{route} with {input}: expected {code}, got {type}: {body}");
        }

        Assert.Equal(before, await scene.Snapshot());
    }

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var hostile in Corpus)
        {
            data.Add(hostile.Route, hostile.Input);
        }

        return data;
    }

    private async Task<HostileScene> SharedHostileScene()
    {
        await SceneGate.WaitAsync();
        try
        {
            if (!Scenes.TryGetValue(api, out var scene))
            {
                Scenes[api] = scene = await HostileScene.Create(api);
            }

            return scene;
        }
        finally
        {
            SceneGate.Release();
        }
    }

    // ---- The corpus.

    private const string ValidLot = """{"name":"Dangshan honey pears","unit":"box (5 kg)","priceMinor":6800,"currency":"CNY","quantity":100,"perShopperLimit":5}""";
    private const string ValidQuantity = """{"quantity":1}""";
    private const string ValidAddress = """{"name":"Zhang Min","phone":"+8613800138000","line1":"12 Orchard Road","village":"Dangshan","region":"Anhui"}""";
    private static readonly string ValidDelivery = $$"""{"kind":"home","address":{{ValidAddress}}}""";
    private static readonly string ValidCheckout = $$"""{"paymentMethod":"bank-transfer","delivery":{{ValidDelivery}}}""";
    private const string ValidVillager = """{"name":"Ma Li"}""";
    private const string ValidCode = """{"phone":"+8613800138000"}""";
    private const string ValidSignIn = """{"phone":"+8613800138000","code":"123456"}""";
    private const string ValidRefresh = """{"refreshToken":"rt_not-a-token"}""";
    private const string ValidApplication = """{"role":"seller","name":"Wang Fang","village":"Dangshan"}""";

    /// <summary>Names and texts a person reads: each of these is refused (400) wherever a name goes.</summary>
    private static readonly (string Description, string Text)[] HostileTexts =
    [
        ("a right-to-left override", "Wang \u202EgnaF"), ("a left-to-right override", "\u202DWang Fang"), ("a right-to-left embedding", "\u202BWang Fang\u202C"),
        ("a right-to-left isolate", "Wang \u2067Fang\u2069"), ("a first-strong isolate", "\u2068Wang\u2069"), ("a right-to-left mark", "Wang\u200F Fang"),
        ("an Arabic letter mark", "Wang\u061C Fang"), ("a zero-width space", "Wang\u200BFang"), ("a zero-width joiner", "Wang\u200DFang"),
        ("a zero-width non-joiner", "Wang\u200CFang"), ("a word joiner", "Wang\u2060Fang"), ("a byte-order mark", "\uFEFFWang Fang"),
        ("a soft hyphen", "Wang\u00ADFang"), ("only invisible characters", "\u200B\u200B\u200B"), ("a line separator", "Wang\u2028Fang"),
        ("a paragraph separator", "Wang\u2029Fang"), ("a bell", "Wang\u0007Fang"), ("an escape sequence", "Wang\u001b[31mFang"),
        ("a DEL", "Wang\u007fFang"), ("a tag character", "Wang\U000E0041Fang"), ("a C1 control", "Wang\u0085Fang"), ("a carriage return", "Wang\rFang"), ("a tab", "Wang\tFang"),
    ];

    private static readonly (string Description, JsonNode? Value)[] NotText =
    [
        ("a number", 5), ("true", true), ("an array", new JsonArray("Wang")), ("an object", new JsonObject { ["name"] = "Wang" }), ("null", null), ("empty", ""),
    ];

    private static readonly (string Description, string Raw)[] NotAnInteger =
    [
        ("a number as a string", "\"5\""), ("a word", "\"five\""), ("negative", "-1"), ("fractional", "1.5"), ("an exponent", "1e2"),
        ("2^63", "9223372036854775808"), ("-2^63 - 1", "-9223372036854775809"), ("2^31", "2147483648"), ("past a double", "1e400"),
        ("hexadecimal as a string", "\"0x10\""), ("null", "null"), ("true", "true"), ("an array", "[1]"), ("an object", "{}"),
        ("NaN as a string", "\"NaN\""), ("zero", "0"),
    ];

    private static readonly (string Description, string Id)[] NotIds =
    [
        ("a path escape", "..%2F..%2Fapi"), ("markup", "lot_%3Cscript%3E"), ("a right-to-left override", "lot_%E2%80%AE0123456789abcde"),
        ("a zero-width space", "lot_%E2%80%8B0123456789abcde"), ("5000 characters", new string('7', 5000)), ("another kind's id", "sel_0123456789abcdef"), ("a number", "12345"),
    ];

    private static readonly (string Description, string Value)[] BeyondHorizon =
    [
        ("the year 9999", "9999-12-31T23:59:59Z"), ("400 days ahead", DateTimeOffset.UtcNow.AddDays(400).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)), ("a negative year", "-000001-01-01T00:00:00Z"),
        ("the year 275760", "+275760-09-13T00:00:00Z"), ("a date without time", "2099-01-01"), ("a unix time as a string", "4102444800"),
    ];

    private static readonly IReadOnlyList<Hostile> Corpus = Build();

    private enum Who
    {
        Anonymous,
        Seller,
        Shopper,
        Agent,
        Account,
    }

    private static List<Hostile> Build()
    {
        var corpus = new List<Hostile>();
        var routes = new (string Method, string Path, string Valid, Who As)[]
        {
            ("POST", "/api/lots", ValidLot, Who.Seller),
            ("PUT", "/api/cart/items/{lot}", ValidQuantity, Who.Shopper),
            ("POST", "/api/checkout", ValidCheckout, Who.Shopper),
            ("PUT", "/api/orders/{order}/delivery", ValidDelivery, Who.Shopper),
            ("POST", "/api/agent/villagers", ValidVillager, Who.Agent),
            ("PUT", "/api/agent/villagers/{villager}/cart/items/{lot}", ValidQuantity, Who.Agent),
            ("POST", "/api/auth/codes", ValidCode, Who.Anonymous),
            ("POST", "/api/auth/tokens", ValidSignIn, Who.Anonymous),
            ("POST", "/api/auth/refresh", ValidRefresh, Who.Anonymous),
            ("POST", "/api/applications", ValidApplication, Who.Account),
        };

        foreach (var (method, path, valid, who) in routes)
        {
            corpus.AddRange(BodyCases(method, path, valid, who));
            foreach (var field in JsonNode.Parse(valid)!.AsObject().Select(p => p.Key))
            {
                if (!(path == "/api/checkout" && field == "delivery")) // optional: checkout without it is valid
                {
                    corpus.Add(Refused(method, path, $"no {field}", Edit(valid, field, remove: true), who));
                }

                corpus.Add(Refused(method, path, $"{field} twice, the same", DuplicateKey(valid, field, sameValue: true), who, Problems.InvalidRequest));
                corpus.Add(Refused(method, path, $"{field} twice, different", DuplicateKey(valid, field, sameValue: false), who, Problems.InvalidRequest));
            }
        }

        // Names and texts: every hostile text in every text field a person writes and others read.
        foreach (var (method, path, valid, who, field) in new (string, string, string, Who, string)[]
        {
            ("POST", "/api/lots", ValidLot, Who.Seller, "name"),
            ("POST", "/api/lots", ValidLot, Who.Seller, "unit"),
            ("POST", "/api/checkout", ValidCheckout, Who.Shopper, "delivery.address.name"),
            ("PUT", "/api/orders/{order}/delivery", ValidDelivery, Who.Shopper, "address.name"),
            ("PUT", "/api/orders/{order}/delivery", ValidDelivery, Who.Shopper, "address.line1"),
            ("PUT", "/api/orders/{order}/delivery", ValidDelivery, Who.Shopper, "address.village"),
            ("POST", "/api/agent/villagers", ValidVillager, Who.Agent, "name"),
            ("POST", "/api/applications", ValidApplication, Who.Account, "name"),
            ("POST", "/api/applications", ValidApplication, Who.Account, "village"),
        })
        {
            foreach (var (description, text) in HostileTexts)
            {
                corpus.Add(Refused(method, path, $"{field} with {description}", Edit(valid, field, text), who, Problems.InvalidRequest));
            }

            foreach (var (description, value) in NotText)
            {
                corpus.Add(Refused(method, path, $"{field} {description}", Edit(valid, field, value), who, Problems.InvalidRequest));
            }

            corpus.Add(Refused(method, path, $"{field} of 1 MB", Edit(valid, field, new string('x', 1 << 20)), who, Problems.InvalidRequest));
        }

        // Short texts and codes: wrong types and invisible characters.
        foreach (var (method, path, valid, who, field) in new (string, string, string, Who, string)[]
        {
            ("POST", "/api/lots", ValidLot, Who.Seller, "currency"),
            ("POST", "/api/checkout", ValidCheckout, Who.Shopper, "paymentMethod"),
            ("POST", "/api/checkout", ValidCheckout, Who.Shopper, "delivery.kind"),
            ("PUT", "/api/orders/{order}/delivery", ValidDelivery, Who.Shopper, "kind"),
            ("PUT", "/api/orders/{order}/delivery", ValidDelivery, Who.Shopper, "address.phone"),
            ("POST", "/api/auth/codes", ValidCode, Who.Anonymous, "phone"),
            ("POST", "/api/auth/tokens", ValidSignIn, Who.Anonymous, "code"),
            ("POST", "/api/auth/refresh", ValidRefresh, Who.Anonymous, "refreshToken"),
            ("POST", "/api/applications", ValidApplication, Who.Account, "role"),
        })
        {
            var text = (string)JsonNode.Parse(valid)!.AsObject().Navigate(field)!;
            foreach (var (description, hostile) in new[] { ("a right-to-left override", text + "\u202E"), ("a zero-width space", "\u200B" + text), ("a NUL", text + "\u0000") })
            {
                corpus.Add(Refused(method, path, $"{field} with {description}", Edit(valid, field, hostile), who));
            }

            foreach (var (description, value) in NotText)
            {
                corpus.Add(Refused(method, path, $"{field} {description}", Edit(valid, field, value), who));
            }
        }

        // Integers.
        foreach (var (method, path, valid, who, field) in new (string, string, string, Who, string)[]
        {
            ("POST", "/api/lots", ValidLot, Who.Seller, "priceMinor"),
            ("POST", "/api/lots", ValidLot, Who.Seller, "quantity"),
            ("POST", "/api/lots", ValidLot, Who.Seller, "perShopperLimit"),
            ("PUT", "/api/cart/items/{lot}", ValidQuantity, Who.Shopper, "quantity"),
            ("PUT", "/api/agent/villagers/{villager}/cart/items/{lot}", ValidQuantity, Who.Agent, "quantity"),
        })
        {
            var number = JsonNode.Parse(valid)![field]!.ToJsonString();
            foreach (var (description, raw) in NotAnInteger)
            {
                if (path.Contains("/cart/", StringComparison.Ordinal) && description == "zero")
                {
                    continue; // quantity 0 in a cart is a release, a valid request
                }

                corpus.Add(Refused(method, path, $"{field} {description}", valid.Replace($"\"{field}\":{number}", $"\"{field}\":{raw}", StringComparison.Ordinal), who));
            }
        }

        // Dates past the horizon, or no dates at all.
        foreach (var field in new[] { "startsAt", "endsAt" })
        {
            foreach (var (description, value) in BeyondHorizon)
            {
                corpus.Add(Refused("POST", "/api/lots", $"{field} {description}", Edit(ValidLot, field, value), Who.Seller, Problems.InvalidRequest));
            }
        }

        // Ids that are not ids, in every id a write route takes from its path.
        foreach (var (description, id) in NotIds)
        {
            corpus.Add(Refused("PUT", "/api/cart/items/{id}", $"lot id: {description}", ValidQuantity, Who.Shopper) with { Id = id });
            corpus.Add(Refused("PUT", "/api/orders/{id}/delivery", $"order id: {description}", ValidDelivery, Who.Shopper) with { Id = id });
            corpus.Add(Refused("PUT", "/api/agent/villagers/{id}/cart/items/{lot}", $"villager id: {description}", ValidQuantity, Who.Agent) with { Id = id });
            corpus.Add(Refused("PUT", "/api/agent/villagers/{villager}/cart/items/{id}", $"lot id: {description}", ValidQuantity, Who.Agent) with { Id = id });
            corpus.Add(PickupPointCase(description, id));
        }

        // A NUL in a body's id reaches the app and is refused like any other. In a path it never
        // does: Kestrel answers 400 to the request line itself, with no body, before any middleware
        // (checked with curl against the run command), and the in-memory test server's client cannot
        // even send it ("The path contains null characters"), so it has no row here.
        corpus.Add(PickupPointCase("a NUL", "lot_%00"));

        return corpus;
    }

    private static Hostile PickupPointCase(string description, string id) =>
        Refused("POST", "/api/checkout", $"pickup point id: {description}", Edit(ValidCheckout, "delivery", JsonNode.Parse($$"""{"kind":"pickup","pointId":{{JsonSerializer.Serialize(Uri.UnescapeDataString(id))}}}""")), Who.Shopper);

    /// <summary>What every route with a JSON body refuses: bodies that are not JSON, not this JSON, or not sent as JSON.</summary>
    private static IEnumerable<Hostile> BodyCases(string method, string path, string valid, Who who)
    {
        yield return Refused(method, path, "JSON cut short", valid[..^1], who, Problems.InvalidRequest);
        yield return Refused(method, path, "not JSON at all", "name=pears&quantity=1", who, Problems.InvalidRequest);
        yield return Refused(method, path, "JSON null", "null", who, Problems.InvalidRequest);
        yield return Refused(method, path, "a JSON array", "[" + valid + "]", who, Problems.InvalidRequest);
        yield return Refused(method, path, "a JSON number", "42", who, Problems.InvalidRequest);
        yield return Refused(method, path, "single-quoted JSON", valid.Replace('"', '\''), who, Problems.InvalidRequest);
        yield return Refused(method, path, "JSON with a comment", valid[..^1] + "/* x */}", who, Problems.InvalidRequest);
        yield return Refused(method, path, "a UTF-16 body declared as UTF-8", valid, who, Problems.InvalidRequest) with { Encoding = Encoding.Unicode };
        yield return Refused(method, path, "an unknown charset", valid, who, Problems.InvalidRequest) with { MediaType = "application/json; charset=x-hostile" };
        yield return Refused(method, path, "the right JSON as text/plain", valid, who, Problems.InvalidRequest) with { MediaType = "text/plain" };
        yield return Refused(method, path, "the right JSON as a form", valid, who, Problems.InvalidRequest) with { MediaType = "application/x-www-form-urlencoded" };
        yield return Refused(method, path, "the right JSON as multipart", valid, who, Problems.InvalidRequest) with { MediaType = "multipart/form-data; boundary=x" };
        yield return Refused(method, path, "a 2 MB body of padding", valid[..^1] + $",\"padding\":\"{new string(' ', 2 << 20)}\"}}", who, Problems.InvalidRequest);
    }

    private static Hostile Refused(string method, string path, string input, string body, Who who, string? code = null) =>
        new(method, path, input, body, who, code);

    /// <summary>The JSON with the property at a dotted path set (or removed).</summary>
    private static string Edit(string json, string path, JsonNode? value = null, bool remove = false)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        var parts = path.Split('.');
        var parent = root;
        foreach (var part in parts[..^1])
        {
            parent = parent[part]!.AsObject();
        }

        if (remove)
        {
            parent.Remove(parts[^1]);
        }
        else
        {
            parent[parts[^1]] = value?.DeepClone();
        }

        return root.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>The JSON text with a top-level property written a second time, first.</summary>
    private static string DuplicateKey(string json, string field, bool sameValue)
    {
        var value = JsonNode.Parse(json)![field]!;
        var other = value.GetValueKind() switch
        {
            JsonValueKind.Number => JsonValue.Create(1_000_000),
            JsonValueKind.String => JsonValue.Create(value.GetValue<string>() + "x")!,
            _ => (JsonNode)new JsonObject(),
        };
        return "{" + $"\"{field}\":{(sameValue ? value.ToJsonString() : other.ToJsonString())}," + json[1..];
    }

    /// <summary>One hostile request; <see cref="Code"/> when the contract's code is certain, else any 4xx problem.</summary>
    private sealed record Hostile(string Method, string Path, string Input, string Body, Who As, string? Code)
    {
        public string? Id { get; init; }

        public string MediaType { get; init; } = "application/json";

        public Encoding Encoding { get; init; } = Encoding.UTF8;

        public string Route => $"{Method} {Path}";

        public HttpRequestMessage ToRequest(HostileScene scene)
        {
            var path = scene.Expand(Path).Replace("{id}", Id, StringComparison.Ordinal);
            var request = new HttpRequestMessage(new HttpMethod(Method), new Uri(path, UriKind.Relative))
            {
                Content = new ByteArrayContent(Encoding.GetBytes(Body)),
            };
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(MediaType);
            if (Path == "/api/checkout")
            {
                request.Headers.TryAddWithoutValidation(CheckoutApi.IdempotencyKeyHeader, SaleApi.NewIdempotencyKey());
            }

            return request;
        }
    }

    /// <summary>A sale with every kind of state a write route could touch.</summary>
    private sealed record HostileScene(Scene Sale, Caller Agent, string VillagerId, Caller Account)
    {
        public static async Task<HostileScene> Create(FlashSaleApiFactory api)
        {
            var sale = await Infrastructure.Scene.Create(api);
            var agent = await api.SignUpAgent();
            using var registered = await agent.Http.PostAsJsonAsync("/api/agent/villagers", new { name = "Ma Li" }, ApiJson.Options);
            var villager = (await registered.ReadAs<VillagerView>(HttpStatusCode.Created)).ShopperId;
            (await agent.Http.PutAsJsonAsync($"/api/agent/villagers/{villager}/cart/items/{sale.Lot.LotId}", new { quantity = 1 }, ApiJson.Options)).EnsureSuccessStatusCode();
            var account = api.IsDevelopment ? api.AsCaller(await api.SignInByPhone()) : sale.Shopper;
            return new HostileScene(sale, agent, villager, account);
        }

        public string Expand(string template) => Sale.Expand(template).Replace("{villager}", VillagerId, StringComparison.Ordinal);

        public HttpClient ClientFor(Who who, HttpClient anonymous) => who switch
        {
            Who.Seller => Sale.Seller.Http,
            Who.Shopper => Sale.Shopper.Http,
            Who.Agent => Agent.Http,
            Who.Account => Account.Http,
            _ => anonymous,
        };

        public async Task<string> Snapshot()
        {
            var sale = await Sale.Snapshot();
            var villagers = await Agent.Http.GetStringAsync(new Uri("/api/agent/villagers", UriKind.Relative));
            var villagerCart = await Agent.Http.GetStringAsync(new Uri($"/api/agent/villagers/{VillagerId}/cart", UriKind.Relative));
            var villagerOrders = await Agent.Http.GetStringAsync(new Uri($"/api/agent/villagers/{VillagerId}/orders", UriKind.Relative));
            var applications = await Account.Http.GetAsync(new Uri("/api/applications/mine", UriKind.Relative));
            var mine = $"{(int)applications.StatusCode} {await applications.Content.ReadAsStringAsync()}";
            applications.Dispose();
            var sellerLots = await Sale.Seller.Http.GetStringAsync(new Uri("/api/sellers/me/lots", UriKind.Relative));
            return string.Join('\n', sale, villagers, villagerCart, villagerOrders, mine, sellerLots);
        }
    }
}

internal static class JsonObjectPaths
{
    public static JsonNode? Navigate(this JsonObject root, string dottedPath)
    {
        JsonNode? node = root;
        foreach (var part in dottedPath.Split('.'))
        {
            node = node?[part];
        }

        return node;
    }
}
