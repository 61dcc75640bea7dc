namespace FlashSale.Benchmarks.Lots;

/// <summary>The lot journal a benchmark case runs against.</summary>
public enum LotJournalUnderTest
{
    /// <summary>The embedded mode's <c>InMemoryLotJournal</c>: serialization without any I/O.</summary>
    Embedded,

    /// <summary>
    /// <c>RedisLotJournal</c> on a private redis-server with AOF and <c>appendfsync always</c>, as
    /// scripts/cluster.sh runs it: Redis fsyncs the AOF before it answers an append.
    /// </summary>
    RedisFsyncAlways,

    /// <summary>
    /// The same with <c>appendfsync everysec</c>: Redis answers once the AOF is written to the
    /// page cache and fsyncs it in the background once a second.
    /// </summary>
    RedisFsyncEverySec,
}
