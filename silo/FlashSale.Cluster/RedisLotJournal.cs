using FlashSale.Common;
using FlashSale.Lots;
using FlashSale.Lots.Storage;
using Orleans.Serialization;
using StackExchange.Redis;

namespace FlashSale.Cluster;

/// <summary>
/// The lot journal in Redis: per lot a sequence number, a list of serialized events and an
/// optional snapshot, under one hash tag so a Redis Cluster keeps them on one shard. Appends are
/// one Lua script, atomic and conditional on the sequence number: all events or none, and never
/// on top of another activation's writes. An append costs the new events only. A Redis failure
/// leaves here as the serializable <see cref="EngineUnavailableException"/>: a lot reads its
/// journal while it activates, where no grain call filter stands between it and the caller.
/// </summary>
public sealed class RedisLotJournal(IConnectionMultiplexer redis, Serializer serializer) : ILotJournal
{
    // KEYS: sequence, events, snapshot. ARGV: expected sequence, event count, snapshot or "", events...
    private static readonly LuaScript Append = LuaScript.Prepare("""
        local seq = tonumber(redis.call('GET', KEYS[1]) or '0')
        if seq ~= tonumber(ARGV[1]) then
          return -1 - seq
        end
        local count = tonumber(ARGV[2])
        if ARGV[3] ~= '' then
          redis.call('SET', KEYS[3], ARGV[3])
          redis.call('DEL', KEYS[2])
        else
          local first = 4
          while first <= #ARGV do
            local last = math.min(first + 499, #ARGV)
            redis.call('RPUSH', KEYS[2], unpack(ARGV, first, last))
            first = last + 1
          end
        end
        redis.call('SET', KEYS[1], seq + count)
        return seq + count
        """);

    private static readonly LuaScript Read = LuaScript.Prepare("""
        return { redis.call('GET', KEYS[1]) or '0', redis.call('GET', KEYS[3]) or '', redis.call('LRANGE', KEYS[2], 0, -1) }
        """);

    public async Task<LotJournalContents> ReadAsync(string lotId, CancellationToken cancellationToken = default)
    {
        var result = (RedisResult[])(await Evaluate(Read, lotId, []))!;
        var sequence = (long)result[0];
        var snapshotBytes = (byte[]?)result[1];
        var snapshot = snapshotBytes is { Length: > 0 } ? serializer.Deserialize<LotSnapshot>(snapshotBytes) : null;
        var events = ((RedisResult[])result[2]!).Select(e => serializer.Deserialize<LotEvent>((byte[])e!)!).ToList();
        return new LotJournalContents(snapshot, events, sequence);
    }

    public async Task AppendAsync(string lotId, long expectedSequence, IReadOnlyList<LotEvent> events, LotSnapshot? compactTo, CancellationToken cancellationToken = default)
    {
        var args = new RedisValue[3 + (compactTo is null ? events.Count : 0)];
        args[0] = expectedSequence;
        args[1] = events.Count;
        args[2] = compactTo is null ? RedisValue.EmptyString : (RedisValue)serializer.SerializeToArray(compactTo);
        if (compactTo is null)
        {
            for (var i = 0; i < events.Count; i++)
            {
                args[3 + i] = serializer.SerializeToArray(events[i]);
            }
        }

        var result = (long)await Evaluate(Append, lotId, args);
        if (result < 0)
        {
            throw new LotJournalConflictException($"Journal of {lotId} is at {-1 - result}, not {expectedSequence}.");
        }
    }

    private async Task<RedisResult> Evaluate(LuaScript script, string lotId, RedisValue[] args)
    {
        try
        {
            return await redis.GetDatabase().ScriptEvaluateAsync(script.ExecutableScript, Keys(lotId), args);
        }
        catch (Exception ex) when (EngineFailures.IsRedisClientFailure(ex))
        {
            throw EngineFailures.Unavailable($"The journal of lot {lotId}", ex);
        }
    }

    private static RedisKey[] Keys(string lotId) =>
        [$"flashsale:lot:{{{lotId}}}:seq", $"flashsale:lot:{{{lotId}}}:events", $"flashsale:lot:{{{lotId}}}:snapshot"];
}
