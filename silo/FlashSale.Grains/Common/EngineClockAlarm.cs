namespace FlashSale.Common;

/// <summary>
/// A grain's one-shot alarm on the engine clock (<see cref="FlashSaleClock"/>). A
/// <see cref="TimeProvider"/> timer, not an Orleans grain timer, so that a fake clock in tests
/// drives it; its callback runs off the grain's scheduler and therefore rings through the grain
/// reference, like any other caller, so the work runs as a grain turn. Setting the same time
/// again changes nothing; setting none silences it.
/// <para>
/// A timer cannot wait longer than about 49.7 days (<see cref="uint.MaxValue"/> − 1 ms), and a
/// sale may be announced further ahead: the alarm waits at most <see cref="MaxStep"/> at a time,
/// and when a step ends before the due time it simply waits again.
/// </para>
/// </summary>
internal sealed class EngineClockAlarm(TimeProvider time, Func<Task> ring) : IDisposable
{
    /// <summary>The longest single wait, well inside every timer's limit.</summary>
    public static readonly TimeSpan MaxStep = TimeSpan.FromDays(30);

    private readonly Lock _lock = new();
    private ITimer? _timer;
    private DateTimeOffset? _due;

    public void Set(DateTimeOffset? due)
    {
        lock (_lock)
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

            Arm(at);
        }
    }

    /// <summary>It rang: the next <see cref="Set"/> arms it even for the same time.</summary>
    public void Rang()
    {
        lock (_lock)
        {
            _due = null;
        }
    }

    public void Dispose() => _timer?.Dispose();

    private void Arm(DateTimeOffset at)
    {
        var wait = at - time.GetUtcNow();
        wait = wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxStep ? MaxStep : wait;
        if (_timer is null)
        {
            _timer = time.CreateTimer(static state => ((EngineClockAlarm)state!).Elapsed(), this, wait, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _timer.Change(wait, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>A step ended: ring if the due time has come, else wait another step.</summary>
    private void Elapsed()
    {
        lock (_lock)
        {
            if (_due is not { } at)
            {
                return; // silenced while the step ran out
            }

            if (at > time.GetUtcNow())
            {
                Arm(at);
                return;
            }
        }

        ring().Ignore();
    }
}
