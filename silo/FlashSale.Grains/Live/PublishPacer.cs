namespace FlashSale.Live;

/// <summary>
/// Coalesces a lot's changes into at most one publication per interval: the first change after a
/// quiet interval goes out at once (leading edge), changes during the interval are folded into one
/// publication at its end (trailing edge), which always carries the newest state.
/// </summary>
internal sealed class PublishPacer(TimeSpan interval)
{
    private DateTimeOffset _lastPublished = DateTimeOffset.MinValue;

    /// <summary>True while a trailing publication is scheduled.</summary>
    public bool Scheduled { get; private set; }

    /// <summary>
    /// A change happened at <paramref name="now"/>: returns zero to publish now, a positive delay to
    /// schedule the trailing publication, or null when one is already scheduled.
    /// </summary>
    public TimeSpan? OnChange(DateTimeOffset now)
    {
        if (Scheduled)
        {
            return null;
        }

        var wait = _lastPublished + interval - now;
        if (wait <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        Scheduled = true;
        return wait;
    }

    public void Published(DateTimeOffset now)
    {
        _lastPublished = now;
        Scheduled = false;
    }
}
