using FlashSale.Live;

namespace FlashSale.Tests.Live;

public sealed class PublishPacerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void The_first_change_after_a_quiet_interval_is_published_at_once()
    {
        var pacer = new PublishPacer(Interval);

        Assert.Equal(TimeSpan.Zero, pacer.OnChange(T0));
        pacer.Published(T0);
        Assert.Equal(TimeSpan.Zero, pacer.OnChange(T0 + Interval));
    }

    [Fact]
    public void Changes_within_the_interval_fold_into_one_trailing_publication_at_its_end()
    {
        var pacer = new PublishPacer(Interval);
        pacer.OnChange(T0);
        pacer.Published(T0);

        Assert.Equal(TimeSpan.FromMilliseconds(70), pacer.OnChange(T0.AddMilliseconds(30)));
        Assert.True(pacer.Scheduled);
        Assert.Null(pacer.OnChange(T0.AddMilliseconds(50)));
        Assert.Null(pacer.OnChange(T0.AddMilliseconds(99)));

        pacer.Published(T0.AddMilliseconds(100));
        Assert.False(pacer.Scheduled);
        Assert.Equal(TimeSpan.FromMilliseconds(90), pacer.OnChange(T0.AddMilliseconds(110)));
    }

    [Fact]
    public void A_steady_stream_of_changes_is_published_once_per_interval()
    {
        var pacer = new PublishPacer(Interval);
        var publications = new List<DateTimeOffset>();
        DateTimeOffset? due = null;
        for (var ms = 0; ms < 1000; ms++)
        {
            var now = T0.AddMilliseconds(ms);
            if (due is { } d && now >= d)
            {
                pacer.Published(now);
                publications.Add(now);
                due = null;
            }

            switch (pacer.OnChange(now))
            {
                case { } wait when wait == TimeSpan.Zero:
                    pacer.Published(now);
                    publications.Add(now);
                    break;
                case { } wait:
                    due = now + wait;
                    break;
            }
        }

        Assert.Equal(10, publications.Count);
        Assert.All(publications.Zip(publications.Skip(1)), p => Assert.True(p.Second - p.First >= Interval));
    }
}
