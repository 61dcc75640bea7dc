using StackExchange.Redis;

namespace FlashSale.RedisLuaBaseline;

/// <summary>
/// The whole hold, in one Lua script that Redis runs atomically: return lapsed holds of the lot,
/// check the limit and the stock, move the stock, record the hold, its expiry and the cart line,
/// and answer with the shopper's cart. Keys: the lot, its holds, its expiry queue, the cart.
/// </summary>
internal static class HoldScript
{
    public const long NotFound = -404;
    public const long LimitExceeded = -1;
    public const long SoldOut = -2;

    public static readonly LuaScript Script = LuaScript.Prepare("""
        local lot, holds, expiry, cart = @lotKey, @holdsKey, @expiryKey, @cartKey
        if redis.call('EXISTS', lot) == 0 then
          return { -404 }
        end
        local lapsed = redis.call('ZRANGEBYSCORE', expiry, '-inf', @now, 'LIMIT', 0, 100)
        for _, shopper in ipairs(lapsed) do
          local q = tonumber(redis.call('HGET', holds, shopper) or '0')
          if q > 0 then
            redis.call('HINCRBY', lot, 'available', q)
            redis.call('HINCRBY', lot, 'reserved', -q)
            redis.call('HINCRBY', lot, 'version', 1)
          end
          redis.call('HDEL', holds, shopper)
          redis.call('ZREM', expiry, shopper)
        end
        local want = tonumber(@quantity)
        local held = tonumber(redis.call('HGET', holds, @shopper) or '0')
        local terms = redis.call('HMGET', lot, 'limit', 'available', 'priceMinor')
        if want > tonumber(terms[1]) then
          return { -1 }
        end
        local delta = want - held
        if delta > tonumber(terms[2]) then
          return { -2 }
        end
        if delta ~= 0 then
          redis.call('HINCRBY', lot, 'available', -delta)
          redis.call('HINCRBY', lot, 'reserved', delta)
          redis.call('HINCRBY', lot, 'version', 1)
        end
        if want == 0 then
          redis.call('HDEL', holds, @shopper)
          redis.call('ZREM', expiry, @shopper)
          redis.call('HDEL', cart, @lotId)
        else
          redis.call('HSET', holds, @shopper, want)
          redis.call('ZADD', expiry, @expiresAt, @shopper)
          redis.call('HSET', cart, @lotId, want .. '|' .. terms[3] .. '|' .. @expiresAt)
        end
        local lines = redis.call('HGETALL', cart)
        table.insert(lines, 1, 0)
        return lines
        """);

    public static object Parameters(string lotId, string shopperId, int quantity, long nowMs, long expiresAtMs) => new
    {
        lotKey = (RedisKey)Keys.Lot(lotId),
        holdsKey = (RedisKey)Keys.Holds(lotId),
        expiryKey = (RedisKey)Keys.Expiry(lotId),
        cartKey = (RedisKey)Keys.Cart(shopperId),
        shopper = shopperId,
        lotId,
        quantity,
        now = nowMs,
        expiresAt = expiresAtMs,
    };
}

/// <summary>
/// One Redis server, so keys need no hash tags; note the script touches keys of one lot and one
/// cart, which a Redis Cluster would require to share a slot.
/// </summary>
internal static class Keys
{
    public static string Lot(string lotId) => $"baseline:lot:{lotId}";

    public static string Holds(string lotId) => $"baseline:lot:{lotId}:holds";

    public static string Expiry(string lotId) => $"baseline:lot:{lotId}:expiry";

    public static string Cart(string shopperId) => $"baseline:cart:{shopperId}";
}
