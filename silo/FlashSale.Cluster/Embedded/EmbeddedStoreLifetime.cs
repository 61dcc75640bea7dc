using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FlashSale.Cluster.Embedded;

/// <summary>
/// Takes the embedded store's checkpoints on a period (each lets the append-only file be
/// truncated, so the data folder stays bounded), and stops the store after the silo: it was
/// registered before the silo, and hosted services stop in reverse order.
/// </summary>
internal sealed partial class EmbeddedStoreLifetime(EmbeddedRedisServer redis, DataFolderOptions options, ILogger<EmbeddedStoreLifetime> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (redis.RepairedBeforeRecovery is { } repaired)
        {
            LogRepaired(logger, repaired);
        }

        if (!redis.Durable || options.CheckpointInterval <= TimeSpan.Zero)
        {
            return;
        }

        using var period = new PeriodicTimer(options.CheckpointInterval);
        while (await period.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await redis.CheckpointAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogCheckpointFailed(logger, ex);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        redis.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The last run was killed while writing a commit: the embedded store's append-only file was cut back to its last whole commit before recovery, and nothing acknowledged was in what was cut: {Repaired}")]
    private static partial void LogRepaired(ILogger logger, string repaired);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The periodic checkpoint of the embedded store failed; the append-only file keeps every write, and the next period tries again")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception);
}
