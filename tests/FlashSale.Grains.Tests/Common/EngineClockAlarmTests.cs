using FlashSale.Common;
using Microsoft.Extensions.Time.Testing;

namespace FlashSale.Grains.Tests.Common;

/// <summary>
/// The alarm on a clock whose timers refuse waits past the real limit (uint.MaxValue − 1 ms, about
/// 49.7 days), as the system clock's do: a lot announced 60 days ahead neither fails to arm nor rings early.
/// </summary>
public sealed class EngineClockAlarmTests
{
    private static readonly TimeSpan TimerLimit = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    [Theory]
    [InlineData(60)]
    [InlineData(200)]
    [InlineData(366)]
    public void An_alarm_months_away_rings_once_at_its_time_and_not_before(int days)
    {
        var clock = new LimitedClock();
        var rings = 0;
        using var alarm = new EngineClockAlarm(clock, () => { rings++; return Task.CompletedTask; });
        var due = clock.GetUtcNow() + TimeSpan.FromDays(days);

        alarm.Set(due);
        clock.Advance(TimeSpan.FromDays(days) - TimeSpan.FromSeconds(1));
        Assert.Equal(0, rings);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, rings);

        clock.Advance(TimeSpan.FromDays(100));
        Assert.Equal(1, rings);
    }

    [Fact]
    public void A_far_alarm_silenced_midway_never_rings()
    {
        var clock = new LimitedClock();
        var rings = 0;
        using var alarm = new EngineClockAlarm(clock, () => { rings++; return Task.CompletedTask; });

        alarm.Set(clock.GetUtcNow() + TimeSpan.FromDays(90));
        clock.Advance(TimeSpan.FromDays(45));
        alarm.Set(null);
        clock.Advance(TimeSpan.FromDays(90));

        Assert.Equal(0, rings);
    }

    /// <summary>A fake clock whose timers throw on a wait the system's timers would refuse.</summary>
    private sealed class LimitedClock : FakeTimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(dueTime, TimerLimit);
            return new LimitedTimer(base.CreateTimer(callback, state, dueTime, period));
        }
    }

    private sealed class LimitedTimer(ITimer inner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(dueTime, TimerLimit);
            return inner.Change(dueTime, period);
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
