using Microsoft.Extensions.Logging;

namespace FlashSale.Common;

/// <summary>
/// A grain's durable wake-up for work a crash could interrupt (a checkout part-way, stock owed
/// back): an Orleans reminder, which outlives the activation and the silo. It is set before the
/// work is written and forgotten once the work is done. Forgetting is best effort: the work is
/// done and written, so a reminder left behind only rings once more, and the grain forgets it then.
/// The handle from setting it is kept, so forgetting it costs no lookup.
/// </summary>
internal sealed partial class RecoveryReminder(Grain grain, string name, TimeSpan period, ILogger logger)
{
    private IGrainReminder? _handle;

    // Set by this activation, or perhaps by an earlier one (it rang, or there was work to finish).
    private bool _mayBeSet;

    public string Name => name;

    /// <summary>Sets it unless this activation did; it first rings after <paramref name="dueTime"/> (one period by default).</summary>
    public async Task Set(TimeSpan? dueTime = null)
    {
        if (!_mayBeSet)
        {
            _handle = await grain.RegisterOrUpdateReminder(name, dueTime is { } due && due > TimeSpan.Zero ? due : period, period);
            _mayBeSet = true;
        }
    }

    /// <summary>An earlier activation may have set it: the next <see cref="Forget"/> looks it up.</summary>
    public void MayBeSet() => _mayBeSet = true;

    public async Task Forget()
    {
        if (!_mayBeSet)
        {
            return;
        }

        try
        {
            if ((_handle ?? await grain.GetReminder(name)) is { } reminder)
            {
                await grain.UnregisterReminder(reminder);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogLeftBehind(logger, ex, grain.GetGrainId(), name);
        }

        _mayBeSet = false;
        _handle = null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Grain} finished its work but could not remove its reminder {Reminder}; it rings once more and is removed then")]
    private static partial void LogLeftBehind(ILogger logger, Exception exception, GrainId grain, string reminder);
}
