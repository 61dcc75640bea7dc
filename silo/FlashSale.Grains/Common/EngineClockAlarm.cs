namespace FlashSale.Common;

/// <summary>
/// A grain's one-shot alarm on the engine clock (<see cref="FlashSaleClock"/>). A
/// <see cref="TimeProvider"/> timer, not an Orleans grain timer, so that a fake clock in tests
/// drives it; its callback runs off the grain's scheduler and therefore rings through the grain
/// reference, like any other caller, so the work runs as a grain turn. Setting the same time
/// again changes nothing; setting none silences it.
/// </summary>
internal sealed class EngineClockAlarm(TimeProvider time, Func<Task> ring) : IDisposable
{
    private ITimer? _timer;
    private DateTimeOffset? _due;

    public void Set(DateTimeOffset? due)
    {
        if (due == _due)
        {
            return;
        }

        _due = due;
        if (due is not { } at)
        {
            _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        var wait = at - time.GetUtcNow();
        if (wait < TimeSpan.Zero)
        {
            wait = TimeSpan.Zero;
        }

        if (_timer is null)
        {
            _timer = time.CreateTimer(static state => ((Func<Task>)state!)().Ignore(), ring, wait, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _timer.Change(wait, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>It rang: the next <see cref="Set"/> arms it even for the same time.</summary>
    public void Rang() => _due = null;

    public void Dispose() => _timer?.Dispose();
}
