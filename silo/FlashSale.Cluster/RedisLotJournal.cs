using FlashSale.Common;
using FlashSale.Lots;
using FlashSale.Lots.Storage;
using Orleans.Serialization;
using StackExchange.Redis;

namespace FlashSale.Cluster;

/// <summary>
/// The lot journal in Redis: per lot a sequence number, a list of serialized events and an
/// optional snapshot, under one hash tag so a Redis Cluster keeps them on one shard. An append is
/// one MULTI/EXEC transaction under a WATCH of the sequence: all events or none, and never on top
/// of another activation's writes. An append costs the new events only.
/// A transaction, not a Lua script: Garnet (the embedded host's Redis) logs a script's writes one
/// by one in its append-only file, so a process killed inside a script can recover half of it
/// (the events pushed, the sequence not moved), after which every append of the lot conflicts.
/// A transaction is logged between start and commit markers and replayed whole or not at all,
/// by Garnet and by redis-server alike (docs/architecture.md, "Storage").
/// A Redis failure leaves here as the serializable <see cref="EngineUnavailableException"/>: a
/// lot reads its journal while it activates, where no grain call filter stands between it and
/// the caller.
/// </summary>
public sealed class RedisLotJournal(IConnectionMultiplexer redis, Serializer serializer) : ILotJournal
{
    private static readonly LuaScript Read = LuaScript.Prepare("""
        return { redis.call('GET', KEYS[1]) or '0', redis.call('GET', KEYS[3]) or '', redis.call('LRANGE', KEYS[2], 0, -1) }
        """);

    public async Task<LotJournalContents> ReadAsync(string lotId, CancellationToken cancellationToken = default)
    {
        var result = (RedisResult[])(await Unavailable(lotId, redis.GetDatabase().ScriptEvaluateAsync(Read.ExecutableScript, Keys(lotId))))!;
        var sequence = (long)result[0];
        var snapshotBytes = (byte[]?)result[1];
        var snapshot = snapshotBytes is { Length: > 0 } ? serializer.Deserialize<LotSnapshot>(snapshotBytes) : null;
        var events = ((RedisResult[])result[2]!).Select(e => serializer.Deserialize<LotEvent>((byte[])e!)!).ToList();
        return new LotJournalContents(snapshot, events, sequence);
    }

    /// <summary>
    /// How many times an append whose WATCH was tripped without its sequence moving is tried.
    /// Garnet tracks a WATCH per hash bucket (65,536 of them), not per key, so a write to any
    /// other key of the bucket (a cart's state, another lot's journal) aborts the transaction;
    /// under a surge's thousands of writes a second that happens every few thousand appends.
    /// </summary>
    public const int MaxAttempts = 8;

    public async Task AppendAsync(string lotId, long expectedSequence, IReadOnlyList<LotEvent> events, LotSnapshot? compactTo, CancellationToken cancellationToken = default)
    {
        var keys = Keys(lotId);
        var db = redis.GetDatabase();
        var snapshot = compactTo is null ? default : (RedisValue)serializer.SerializeToArray(compactTo);
        var values = compactTo is null ? events.Select(e => (RedisValue)serializer.SerializeToArray(e)).ToArray() : [];
        for (var attempt = 1; ; attempt++)
        {
            var transaction = db.CreateTransaction();
            transaction.AddCondition(expectedSequence == 0 ? Condition.KeyNotExists(keys[0]) : Condition.StringEqual(keys[0], expectedSequence));
            if (compactTo is not null)
            {
                _ = transaction.StringSetAsync(keys[2], snapshot);
                _ = transaction.KeyDeleteAsync(keys[1]);
            }
            else if (values.Length > 0)
            {
                _ = transaction.ListRightPushAsync(keys[1], values);
            }

            _ = transaction.StringSetAsync(keys[0], expectedSequence + events.Count);
            if (await Unavailable(lotId, transaction.ExecuteAsync()))
            {
                return;
            }

            // Not applied: EXEC answered nothing, or the condition failed. If the sequence still
            // stands where this activation left it, no other writer came between (this activation
            // is the lot's only writer while it lives), so the abort was the server's, not a
            // conflict: try again. Otherwise another activation wrote, and this one must go.
            var actual = (long?)await Unavailable(lotId, db.StringGetAsync(keys[0])) ?? 0;
            if (actual != expectedSequence || attempt == MaxAttempts)
            {
                throw new LotJournalConflictException($"Journal of {lotId} is at {actual}, not {expectedSequence}{(actual == expectedSequence ? $" (still aborted after {attempt} attempts)" : "")}.");
            }
        }
    }

    private static Task<T> Unavailable<T>(string lotId, Task<T> call) => EngineFailures.RedisFailureAsUnavailable($"The journal of lot {lotId}", call);

    private static RedisKey[] Keys(string lotId) =>
        [$"flashsale:lot:{{{lotId}}}:seq", $"flashsale:lot:{{{lotId}}}:events", $"flashsale:lot:{{{lotId}}}:snapshot"];
}
