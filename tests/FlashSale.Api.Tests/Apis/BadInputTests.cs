using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using FlashSale.Api.Apis;
using FlashSale.Api.Extensions;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Common;

namespace FlashSale.Api.Tests.Apis;

/// <summary>
/// Every route fed bad input. Each answer is the contract's 4xx as <c>application/problem+json</c>
/// with the contract's code, and the lot, the catalogue, the cart and the orders are as they were:
/// "a rejected request changes no state. No input, however malformed, yields a 5xx."
/// </summary>
[Collection(BadInputCollection.Name)]
public class BadInputTests(FlashSaleApiFactory api)
{
    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_is_refused_with_a_problem_and_changes_nothing(string route, string input)
    {
        var bad = Table.Single(c => c.Route == route && c.Input == input);
        var scene = await api.SharedScene();
        var before = await scene.Snapshot();
        using var anonymous = api.CreateAnonymousClient();
        var http = bad.As switch
        {
            Who.Owner => scene.Seller.Http,
            Who.Shopper => scene.Shopper.Http,
            _ => anonymous,
        };

        using var request = bad.ToRequest(scene);
        using var response = await http.SendAsync(request);

        // Outside Development the demo sign-up does not exist: 404, unless a body that is not plain JSON is refused first.
        var signUpClosed = !api.IsDevelopment && bad.Path is "/api/sellers" or "/api/shoppers" or "/api/agents" && bad.MediaType == "application/json";
        await response.ReadProblem(signUpClosed ? HttpStatusCode.NotFound : bad.Status, signUpClosed ? Problems.NotFound : bad.Code);
        Assert.Equal(before, await scene.Snapshot());
    }

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var bad in Table)
        {
            data.Add(bad.Route, bad.Input);
        }

        return data;
    }

    // ---- The table. In paths, {lot} and {order} are the scene's, {unknownLot} and {unknownOrder}
    // are well formed but name nothing, and {id} is the row's malformed id.

    private const string ValidLot = """{"name":"Dangshan honey pears","unit":"box (5 kg)","priceMinor":6800,"currency":"CNY","quantity":100,"perShopperLimit":5}""";
    private const string ValidRestock = """{"quantity":5}""";
    private const string ValidEdit = """{"name":"Dangshan honey pears, grade A","priceMinor":7200}""";
    private const string ValidHold = """{"quantity":1}""";
    private const string ValidCheckout = """{"paymentMethod":"wallet"}""";

    private const string BeyondInt = "2147483648";
    private const string BeyondLong = "9223372036854775808";

    private static readonly string TooLong = new('a', 201);

    private static readonly (string Description, string Id)[] MalformedLotIds =
    [
        ("the bare prefix", "lot_"), ("upper case", "lot_ABCDEFGHJKMNPQRS"), ("a letter outside the alphabet", "lot_0123456789abcdeu"),
        ("one character too many", "lot_0123456789abcdef0"), ("an upper-case prefix", "LOT_0123456789abcdef"), ("an order id", "ord_0123456789abcdef"),
        ("a word", "pears"), ("2000 characters", new string('a', 2000)), ("non-ASCII", "lot_%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9"),
    ];

    private static readonly (string Description, string Id)[] MalformedOrderIds =
    [
        ("the bare prefix", "ord_"), ("an upper-case prefix", "ORD_0123456789abcdef"), ("a lot id", "lot_0123456789abcdef"),
        ("a letter outside the alphabet", "ord_0123456789abcdeI"), ("a word", "order-1"),
    ];

    private static readonly IReadOnlyList<BadRequest> Table = BuildTable();

    private enum Who
    {
        Anonymous,
        Owner,
        Shopper,
    }

    private static List<BadRequest> BuildTable()
    {
        var table = new List<BadRequest>();

        // Sign-up: a name (and an agent's village) of 1 to 200 characters without control characters.
        foreach (var (path, place) in new[] { ("/api/sellers", "village"), ("/api/shoppers", "region"), ("/api/agents", "village") })
        {
            var valid = $$"""{"name":"Wang Fang","{{place}}":"Dangshan"}""";
            table.AddRange(BodyCases("POST", path, valid, Who.Anonymous));
            table.AddRange(TextCases("POST", path, valid, "name", Who.Anonymous));
            table.Add(Invalid("POST", path, $"201-character {place}", With(valid, place, TooLong), Who.Anonymous));
            table.Add(Invalid("POST", path, $"control character in {place}", With(valid, place, "Dang\u001bshan"), Who.Anonymous));
            table.Add(Invalid("POST", path, $"object as {place}", With(valid, place, new JsonObject()), Who.Anonymous));
        }

        table.Add(Invalid("POST", "/api/agents", "no village", Without("""{"name":"Liu Yang","village":"Zhouzhi"}""", "village"), Who.Anonymous));

        // Creating a lot.
        table.AddRange(BodyCases("POST", "/api/lots", ValidLot, Who.Owner));
        table.AddRange(TextCases("POST", "/api/lots", ValidLot, "name", Who.Owner));
        table.AddRange(TextCases("POST", "/api/lots", ValidLot, "unit", Who.Owner));
        foreach (var field in new[] { "priceMinor", "currency", "quantity", "perShopperLimit" })
        {
            table.Add(Invalid("POST", "/api/lots", $"no {field}", Without(ValidLot, field), Who.Owner));
            table.Add(Invalid("POST", "/api/lots", $"null {field}", With(ValidLot, field, null), Who.Owner));
        }

        table.AddRange(NumberCases("POST", "/api/lots", ValidLot, "quantity", Who.Owner, BeyondInt, 0, -1, 1_000_001));
        table.AddRange(NumberCases("POST", "/api/lots", ValidLot, "priceMinor", Who.Owner, BeyondLong, 0, -1, 1_000_000_000_001));
        table.AddRange(NumberCases("POST", "/api/lots", ValidLot, "perShopperLimit", Who.Owner, BeyondInt, 0, -2, 101));
        foreach (var currency in new[] { "cny", "XXX", "EURO", "", "CN", "C\u0000Y", "¥" })
        {
            table.Add(Invalid("POST", "/api/lots", $"currency \"{Printable(currency)}\"", With(ValidLot, "currency", currency), Who.Owner));
        }

        table.Add(Invalid("POST", "/api/lots", "number as currency", With(ValidLot, "currency", 156), Who.Owner));
        table.Add(Invalid("POST", "/api/lots", "startsAt equal to endsAt", With(With(ValidLot, "startsAt", "2099-01-01T00:00:00Z"), "endsAt", "2099-01-01T00:00:00Z"), Who.Owner));
        table.Add(Invalid("POST", "/api/lots", "startsAt after endsAt", With(With(ValidLot, "startsAt", "2099-01-02T00:00:00Z"), "endsAt", "2099-01-01T00:00:00Z"), Who.Owner));
        table.Add(Invalid("POST", "/api/lots", "endsAt in the past", With(ValidLot, "endsAt", "2020-01-01T00:00:00Z"), Who.Owner));
        table.Add(Invalid("POST", "/api/lots", "startsAt not a date", With(ValidLot, "startsAt", "tomorrow"), Who.Owner));
        table.Add(Invalid("POST", "/api/lots", "startsAt a number", With(ValidLot, "startsAt", 1_800_000_000), Who.Owner));
        table.Add(Invalid("POST", "/api/lots", "endsAt before year 1 in UTC", With(ValidLot, "endsAt", "0001-01-01T00:00:00+01:00"), Who.Owner));
        table.Add(Invalid("POST", "/api/lots", "endsAt in month 13", With(ValidLot, "endsAt", "2099-13-01T00:00:00Z"), Who.Owner));

        // One lot: unknown or malformed ids are not found, for the owner as for anyone.
        foreach (var (method, action, body) in new (string, string, string?)[]
        {
            ("GET", "", null), ("POST", "/pause", null), ("POST", "/resume", null), ("POST", "/restock", ValidRestock), ("GET", "/stats", null),
            ("PATCH", "", ValidEdit), ("POST", "/end", null), ("POST", "/harvest", """{"quantity":1}"""), ("POST", "/surplus", "{}"), ("GET", "/harvest/preview?quantity=1", null), ("GET", "/harvest", null),
        })
        {
            table.Add(NotFound(method, "/api/lots/{unknownLot}" + action, "an unknown lot", body, Who.Owner));
            foreach (var (description, id) in MalformedLotIds)
            {
                table.Add(NotFound(method, "/api/lots/{id}" + action, $"lot id: {description}", body, Who.Owner) with { Id = id });
            }
        }

        table.AddRange(BodyCases("POST", "/api/lots/{lot}/restock", ValidRestock, Who.Owner));
        table.AddRange(NumberCases("POST", "/api/lots/{lot}/restock", ValidRestock, "quantity", Who.Owner, BeyondInt, 0, -5, 1_000_001));
        table.Add(Invalid("POST", "/api/lots/{lot}/restock", "a total past 1,000,000", With(ValidRestock, "quantity", 999_901), Who.Owner));
        table.Add(Invalid("POST", "/api/lots/{lot}/restock", "no quantity", "{}", Who.Owner));
        table.Add(Invalid("POST", "/api/lots/{lot}/restock", "null quantity", With(ValidRestock, "quantity", null), Who.Owner));
        table.Add(Invalid("POST", "/api/lots/{lot}/pause", "a text/plain body", "pause", Who.Owner, "text/plain"));

        // Editing a lot: every field is optional, but one given must be valid, and one that cannot be edited is refused.
        table.AddRange(BodyCases("PATCH", "/api/lots/{lot}", ValidEdit, Who.Owner));
        table.AddRange(TextCases("PATCH", "/api/lots/{lot}", ValidEdit, "name", Who.Owner).Where(c => !c.Input.StartsWith("no ", StringComparison.Ordinal) && !c.Input.StartsWith("null ", StringComparison.Ordinal)));
        table.AddRange(NumberCases("PATCH", "/api/lots/{lot}", ValidEdit, "priceMinor", Who.Owner, BeyondLong, 0, -1, 1_000_000_000_001));
        table.AddRange(NumberCases("PATCH", "/api/lots/{lot}", """{"perShopperLimit":2}""", "perShopperLimit", Who.Owner, BeyondInt, 0, -2, 101));
        table.Add(Invalid("PATCH", "/api/lots/{lot}", "no field at all", "{}", Who.Owner));
        foreach (var (field, value) in new (string, JsonNode?)[] { ("quantity", 500), ("currency", "KES"), ("sellerId", "sel_0123456789abcdef"), ("lotId", "lot_0123456789abcdef"), ("status", "live") })
        {
            table.Add(Invalid("PATCH", "/api/lots/{lot}", $"{field}, which an edit cannot change", With(ValidEdit, field, value), Who.Owner));
        }

        table.Add(Invalid("PATCH", "/api/lots/{lot}", "endsAt in the past", """{"endsAt":"2020-01-01T00:00:00Z"}""", Who.Owner));
        table.Add(Invalid("PATCH", "/api/lots/{lot}", "startsAt past the horizon", """{"startsAt":"2199-01-01T00:00:00Z"}""", Who.Owner));
        table.Add(Invalid("PATCH", "/api/lots/{lot}", "startsAt not a date", """{"startsAt":"tomorrow"}""", Who.Owner));
        table.Add(Invalid("PATCH", "/api/lots/{lot}", "a price whose whole allowance passes the order ceiling", """{"priceMinor":900000000}""", Who.Owner));

        // The cart.
        table.AddRange(BodyCases("PUT", "/api/cart/items/{lot}", ValidHold, Who.Shopper));
        table.AddRange(NumberCases("PUT", "/api/cart/items/{lot}", ValidHold, "quantity", Who.Shopper, BeyondInt, -1, 1_000_001));
        table.Add(Invalid("PUT", "/api/cart/items/{lot}", "no quantity", "{}", Who.Shopper));
        table.Add(Invalid("PUT", "/api/cart/items/{lot}", "null quantity", With(ValidHold, "quantity", null), Who.Shopper));
        table.Add(new BadRequest("PUT", "/api/cart/items/{lot}", "more than the per-shopper limit", With(ValidHold, "quantity", 10), Who.Shopper, HttpStatusCode.Conflict, Problems.LimitExceeded));
        table.Add(NotFound("PUT", "/api/cart/items/{unknownLot}", "an unknown lot", ValidHold, Who.Shopper));
        table.Add(NotFound("DELETE", "/api/cart/items/{unknownLot}", "an unknown lot", null, Who.Shopper));
        foreach (var (description, id) in MalformedLotIds)
        {
            table.Add(NotFound("PUT", "/api/cart/items/{id}", $"lot id: {description}", ValidHold, Who.Shopper) with { Id = id });
            table.Add(NotFound("DELETE", "/api/cart/items/{id}", $"lot id: {description}", null, Who.Shopper) with { Id = id });
        }

        // Checkout: the body, then the Idempotency-Key.
        table.AddRange(BodyCases("POST", "/api/checkout", ValidCheckout, Who.Shopper));
        foreach (var (description, method) in new (string, JsonNode?)[]
        {
            ("an unknown payment method", "bitcoin"), ("another market's payment method", "mobile-money"), ("payment method in upper case", "WALLET"),
            ("empty payment method", ""), ("65-character payment method", new string('w', 65)), ("control character in payment method", "wallet\u0000"),
            ("number as payment method", 1), ("null payment method", null),
        })
        {
            table.Add(Invalid("POST", "/api/checkout", description, With(ValidCheckout, "paymentMethod", method), Who.Shopper));
        }

        table.Add(Invalid("POST", "/api/checkout", "no payment method", "{}", Who.Shopper));
        table.Add(new BadRequest("POST", "/api/checkout", "no Idempotency-Key", ValidCheckout, Who.Shopper, HttpStatusCode.BadRequest, Problems.IdempotencyKeyRequired) { OmitIdempotencyKey = true });
        table.Add(new BadRequest("POST", "/api/checkout", "empty Idempotency-Key", ValidCheckout, Who.Shopper, HttpStatusCode.BadRequest, Problems.IdempotencyKeyRequired) { IdempotencyKey = "" });
        foreach (var (description, key) in new[] { ("256-character Idempotency-Key", new string('k', 256)), ("Idempotency-Key with a space", "key 1"), ("non-ASCII Idempotency-Key", "clé-1") })
        {
            table.Add(Invalid("POST", "/api/checkout", description, ValidCheckout, Who.Shopper) with { IdempotencyKey = key });
        }

        // Orders.
        foreach (var (method, action) in new[] { ("GET", ""), ("POST", "/cancel") })
        {
            table.Add(NotFound(method, "/api/orders/{unknownOrder}" + action, "an unknown order", null, Who.Shopper));
            foreach (var (description, id) in MalformedOrderIds)
            {
                table.Add(NotFound(method, "/api/orders/{id}" + action, $"order id: {description}", null, Who.Shopper) with { Id = id });
            }
        }

        // Payment methods.
        table.Add(Invalid("GET", "/api/payment-methods", "no currency", null, Who.Anonymous));
        foreach (var currency in new[] { "cny", "XXX", "EURO", "", "C%00Y", "CNY,KES", "CNY&currency=KES" })
        {
            table.Add(Invalid("GET", "/api/payment-methods?currency={id}", $"currency \"{currency}\"", null, Who.Anonymous) with { Id = currency });
        }

        // Neither a route nor a method of the contract.
        table.Add(NotFound("GET", "/api/nothing-here", "an unknown route", null, Who.Anonymous));
        table.Add(NotFound("POST", "/api/lots/{lot}/delete", "an unknown action", null, Who.Owner));
        table.Add(new BadRequest("PUT", "/api/lots/{lot}", "a method the route lacks", ValidLot, Who.Owner, HttpStatusCode.MethodNotAllowed, Problems.InvalidRequest));
        return table;
    }

    /// <summary>What every route with a JSON body refuses: bodies that are not JSON, or not this JSON.</summary>
    private static IEnumerable<BadRequest> BodyCases(string method, string path, string valid, Who caller)
    {
        yield return Invalid(method, path, "JSON cut short", valid[..^1], caller);
        yield return Invalid(method, path, "trailing garbage", valid + " x", caller);
        yield return Invalid(method, path, "a trailing comma", valid[..^1] + ",}", caller);
        yield return Invalid(method, path, "not JSON at all", "name=pears", caller);
        yield return Invalid(method, path, "JSON null", "null", caller);
        yield return Invalid(method, path, "a JSON array", "[" + valid + "]", caller);
        yield return Invalid(method, path, "a JSON string", "\"pears\"", caller);
        yield return Invalid(method, path, "JSON nested 200 deep", new string('[', 200) + new string(']', 200), caller);
        yield return Invalid(method, path, "an empty body", "", caller);
        yield return Invalid(method, path, "no body and no content type", null, caller);
        yield return Invalid(method, path, "an empty text/plain body", "", caller, "text/plain");
        yield return Invalid(method, path, "a text/plain body", valid, caller, "text/plain");
        yield return Invalid(method, path, "a text/plain body, HTML accepted", valid, caller, "text/plain") with { Accept = "text/html" };
        yield return Invalid(method, path, "a form body", "name=pears", caller, "application/x-www-form-urlencoded");
        yield return Invalid(method, path, "an XML body", "<lot/>", caller, "application/xml");
        yield return Invalid(method, path, "an unknown charset", valid, caller, "application/json; charset=klingon");
        yield return Invalid(method, path, "an unknown charset, HTML accepted", valid, caller, "application/json; charset=klingon") with { Accept = "text/html" };
    }

    /// <summary>What a required text field refuses: absent, blank, too long, control characters, not text.</summary>
    private static IEnumerable<BadRequest> TextCases(string method, string path, string valid, string field, Who caller)
    {
        var text = JsonNode.Parse(valid)![field]!.GetValue<string>();
        yield return Invalid(method, path, $"no {field}", Without(valid, field), caller);
        yield return Invalid(method, path, $"null {field}", With(valid, field, null), caller);
        yield return Invalid(method, path, $"empty {field}", With(valid, field, ""), caller);
        yield return Invalid(method, path, $"blank {field}", With(valid, field, " \t "), caller);
        yield return Invalid(method, path, $"201-character {field}", With(valid, field, TooLong), caller);
        yield return Invalid(method, path, $"NUL in {field}", With(valid, field, "pears\u0000"), caller);
        yield return Invalid(method, path, $"newline in {field}", With(valid, field, "pears\nplums"), caller);
        yield return Invalid(method, path, $"lone surrogate in {field}", Replace(valid, text, text + "\\ud800"), caller);
        yield return Invalid(method, path, $"invalid UTF-8 in {field}", Replace(valid, text, text + "ä"), caller) with { Latin1 = true };
        yield return Invalid(method, path, $"number as {field}", With(valid, field, 5), caller);
        yield return Invalid(method, path, $"array as {field}", With(valid, field, new JsonArray()), caller);
    }

    /// <summary>What an integer field refuses: out-of-range values, and numbers that are no integer of its size.</summary>
    private static IEnumerable<BadRequest> NumberCases(string method, string path, string valid, string field, Who caller, string beyondItsSize, params long[] outOfRange)
    {
        var number = JsonNode.Parse(valid)![field]!.ToJsonString();
        foreach (var value in outOfRange)
        {
            yield return Invalid(method, path, $"{field} {value:N0}", With(valid, field, value), caller);
        }

        yield return Invalid(method, path, $"{field} 1e12", Replace(valid, $"\"{field}\":{number}", $"\"{field}\":1e12"), caller);
        yield return Invalid(method, path, $"{field} {beyondItsSize}", Replace(valid, $"\"{field}\":{number}", $"\"{field}\":{beyondItsSize}"), caller);
        yield return Invalid(method, path, $"{field} 1.5", With(valid, field, 1.5), caller);
        yield return Invalid(method, path, $"{field} true", With(valid, field, true), caller);
        yield return Invalid(method, path, $"{field} \"ten\"", With(valid, field, "ten"), caller);
        yield return Invalid(method, path, $"{field} {{}}", With(valid, field, new JsonObject()), caller);
    }

    private static BadRequest Invalid(string method, string path, string input, string? body, Who caller, string mediaType = "application/json") =>
        new(method, path, input, body, caller, HttpStatusCode.BadRequest, Problems.InvalidRequest) { MediaType = mediaType };

    private static BadRequest NotFound(string method, string path, string input, string? body, Who caller) =>
        new(method, path, input, body, caller, HttpStatusCode.NotFound, Problems.NotFound);

    /// <summary>The JSON object with one property set; null sets JSON null.</summary>
    private static string With(string json, string property, JsonNode? value)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node[property] = value;
        return node.ToJsonString();
    }

    private static string Without(string json, string property)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node.Remove(property);
        return node.ToJsonString();
    }

    /// <summary>Edits the JSON text itself, for what no JSON writer would produce.</summary>
    private static string Replace(string json, string oldText, string newText)
    {
        Assert.Contains(oldText, json, StringComparison.Ordinal);
        return json.Replace(oldText, newText, StringComparison.Ordinal);
    }

    private static string Printable(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));

    /// <summary>One bad request and the refusal the contract promises for it.</summary>
    private sealed record BadRequest(string Method, string Path, string Input, string? Body, Who As, HttpStatusCode Status, string Code)
    {
        /// <summary>The malformed id or query value that <c>{id}</c> in the path stands for.</summary>
        public string? Id { get; init; }

        public string MediaType { get; init; } = "application/json";

        public string? Accept { get; init; }

        /// <summary>The key sent to checkout; by default a new one for each request.</summary>
        public string? IdempotencyKey { get; init; }

        public bool OmitIdempotencyKey { get; init; }

        /// <summary>Sends the body in Latin-1, which is not UTF-8 wherever it has a non-ASCII character.</summary>
        public bool Latin1 { get; init; }

        public string Route => $"{Method} {Path}";

        public HttpRequestMessage ToRequest(Scene scene)
        {
            var path = scene.Expand(Path)
                .Replace("{id}", Id, StringComparison.Ordinal)
                .Replace("{unknownLot}", Ids.New(Ids.LotPrefix), StringComparison.Ordinal)
                .Replace("{unknownOrder}", Ids.New(Ids.OrderPrefix), StringComparison.Ordinal);
            var request = new HttpRequestMessage(new HttpMethod(Method), new Uri(path, UriKind.Relative));
            if (Body is not null)
            {
                request.Content = new ByteArrayContent((Latin1 ? Encoding.Latin1 : Encoding.UTF8).GetBytes(Body));
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(MediaType);
            }

            if (Accept is not null)
            {
                request.Headers.Accept.ParseAdd(Accept);
            }

            if (Path == "/api/checkout" && !OmitIdempotencyKey)
            {
                request.Headers.TryAddWithoutValidation(CheckoutApi.IdempotencyKeyHeader, IdempotencyKey ?? SaleApi.NewIdempotencyKey());
            }

            return request;
        }
    }
}

/// <summary>
/// The same table in the Production profile, where the framework answers 400 itself for a body
/// it cannot read (Development throws, and the exception handler answers): a second path to the
/// same answers. The demo sign-up does not exist there, so its rows are 404.
/// </summary>
[Collection(ProductionCollection.Name)]
public sealed class BadInputInProductionTests(ProductionApiFactory api) : BadInputTests(api);
