using System.Globalization;
using StackExchange.Redis;

namespace FlashSale.RedisLuaBaseline;

/// <summary>
/// The Redis-Lua baseline server: a measuring stick for the load tests, NOT FlashSale. See README.md.
/// </summary>
public sealed class BaselineProgram
{
    private static readonly TimeSpan HoldExpiry = TimeSpan.FromMinutes(10);

    private BaselineProgram()
    {
    }

    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var redis = builder.Configuration["Redis"] ?? "127.0.0.1:6379";
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redis));
        var app = builder.Build();

        app.MapGet("/", () => TypedResults.Text("Redis-Lua baseline for the FlashSale load tests. This is NOT FlashSale.\n"));
        app.MapGet("/ping", () => TypedResults.Text("pong"));
        app.MapPost("/api/sellers", () => SignUp("sel_", "sellerId"));
        app.MapPost("/api/shoppers", () => SignUp("shp_", "shopperId"));
        app.MapPost("/api/lots", CreateLot);
        app.MapGet("/api/lots/{lotId}", GetLot);
        app.MapGet("/api/cart", GetCart);
        app.MapPut("/api/cart/items/{lotId}", (string lotId, SetItemRequest request, HttpContext http, IConnectionMultiplexer mux) => SetHold(lotId, request.Quantity, http, mux));
        app.MapDelete("/api/cart/items/{lotId}", (string lotId, HttpContext http, IConnectionMultiplexer mux) => SetHold(lotId, 0, http, mux));
        app.Run();
    }

    private static IResult SignUp(string prefix, string idField)
    {
        var id = prefix + Guid.NewGuid().ToString("N")[..16];
        return TypedResults.Json(new Dictionary<string, string> { [idField] = id, ["token"] = id }, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> CreateLot(CreateLotRequest request, IConnectionMultiplexer mux)
    {
        if (request.Quantity is not > 0 || request.PerShopperLimit is not > 0 || string.IsNullOrEmpty(request.Currency))
        {
            return Problem(StatusCodes.Status400BadRequest, "invalid-request", "quantity, perShopperLimit and currency are required.");
        }

        var lotId = "lot_" + Guid.NewGuid().ToString("N")[..16];
        await mux.GetDatabase().HashSetAsync(Keys.Lot(lotId),
        [
            new("name", request.Name ?? ""), new("unit", request.Unit ?? ""), new("priceMinor", request.PriceMinor ?? 0),
            new("currency", request.Currency), new("quantity", request.Quantity.Value), new("available", request.Quantity.Value),
            new("reserved", 0), new("sold", 0), new("limit", request.PerShopperLimit.Value), new("version", 1),
            new("startsAt", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)),
        ]);
        return TypedResults.Json(await ReadLot(mux, lotId), statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> GetLot(string lotId, IConnectionMultiplexer mux) =>
        await ReadLot(mux, lotId) is { } lot ? TypedResults.Ok(lot) : Problem(StatusCodes.Status404NotFound, "not-found", "The lot was not found.");

    private static async Task<IResult> GetCart(HttpContext http, IConnectionMultiplexer mux)
    {
        if (ShopperOf(http) is not { } shopper)
        {
            return Problem(StatusCodes.Status401Unauthorized, "unauthorized", "Send Authorization: Bearer <shopperId>.");
        }

        var lines = await mux.GetDatabase().HashGetAllAsync(Keys.Cart(shopper));
        return TypedResults.Ok(ToCart(shopper, lines.Select(e => ((string)e.Name!, (string)e.Value!))));
    }

    /// <summary>One Lua script per request: the classic seckill hold.</summary>
    private static async Task<IResult> SetHold(string lotId, int? quantity, HttpContext http, IConnectionMultiplexer mux)
    {
        if (ShopperOf(http) is not { } shopper)
        {
            return Problem(StatusCodes.Status401Unauthorized, "unauthorized", "Send Authorization: Bearer <shopperId>.");
        }

        if (quantity is not >= 0)
        {
            return Problem(StatusCodes.Status400BadRequest, "invalid-request", "quantity must be 0 or more.");
        }

        var now = DateTimeOffset.UtcNow;
        var result = (RedisResult[])(await mux.GetDatabase().ScriptEvaluateAsync(
            HoldScript.Script, HoldScript.Parameters(lotId, shopper, quantity.Value, now.ToUnixTimeMilliseconds(), (now + HoldExpiry).ToUnixTimeMilliseconds())))!;
        return (long)result[0] switch
        {
            HoldScript.NotFound => Problem(StatusCodes.Status404NotFound, "not-found", "The lot was not found."),
            HoldScript.LimitExceeded => Problem(StatusCodes.Status409Conflict, "limit-exceeded", "Per-shopper limit reached."),
            HoldScript.SoldOut => Problem(StatusCodes.Status409Conflict, "sold-out", "Sold out."),
            _ => TypedResults.Ok(ToCart(shopper, Enumerable.Range(0, (result.Length - 1) / 2).Select(i => ((string)result[1 + (2 * i)]!, (string)result[2 + (2 * i)]!)))),
        };
    }

    private static async Task<Lot?> ReadLot(IConnectionMultiplexer mux, string lotId)
    {
        var fields = (await mux.GetDatabase().HashGetAllAsync(Keys.Lot(lotId))).ToDictionary(e => (string)e.Name!, e => (string)e.Value!, StringComparer.Ordinal);
        if (fields.Count == 0)
        {
            return null;
        }

        int Int(string name) => int.Parse(fields[name], CultureInfo.InvariantCulture);
        var available = Int("available");
        return new Lot(lotId, "sel_baseline", fields["name"], fields["unit"], long.Parse(fields["priceMinor"], CultureInfo.InvariantCulture), fields["currency"],
            Int("quantity"), available, Int("reserved"), Int("sold"), Int("limit"), available == 0 ? "sold-out" : "live",
            DateTimeOffset.Parse(fields["startsAt"], CultureInfo.InvariantCulture), null, long.Parse(fields["version"], CultureInfo.InvariantCulture));
    }

    private static Cart ToCart(string shopperId, IEnumerable<(string LotId, string Line)> lines)
    {
        var now = DateTimeOffset.UtcNow;
        var items = lines.Select(l =>
        {
            var parts = l.Line.Split('|');
            return new CartItem(l.LotId, int.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture),
                DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[2], CultureInfo.InvariantCulture)));
        }).Where(i => i.ExpiresAt > now).ToList();
        return new Cart(shopperId, items, items.Sum(i => i.PriceMinor * i.Quantity), items.Count > 0 ? "CNY" : null);
    }

    private static string? ShopperOf(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) && header.Length > 7 ? header[7..] : null;
    }

    private static IResult Problem(int status, string code, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: code, type: "urn:flashsale:problem:" + code);
}

public sealed record CreateLotRequest(string? Name, string? Unit, long? PriceMinor, string? Currency, int? Quantity, int? PerShopperLimit);

public sealed record SetItemRequest(int? Quantity);

public sealed record Lot(string LotId, string SellerId, string Name, string Unit, long PriceMinor, string Currency, int Quantity, int Available, int Reserved, int Sold,
    int PerShopperLimit, string Status, DateTimeOffset StartsAt, DateTimeOffset? EndsAt, long Version);

public sealed record CartItem(string LotId, int Quantity, long PriceMinor, DateTimeOffset ExpiresAt);

public sealed record Cart(string ShopperId, IReadOnlyList<CartItem> Items, long TotalMinor, string? Currency);
