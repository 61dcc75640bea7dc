using System.Globalization;

namespace FlashSale.Browser.Tests.Infrastructure;

/// <summary>How a test writes an instant into an <c>&lt;input type="datetime-local" step="1"&gt;</c>.</summary>
public static class DateTimeLocalInput
{
    /// <summary>
    /// The instant as the field takes it: local time, to the second (the browser runs in this machine's
    /// time zone). On a whole minute the seconds are left out, as Chromium writes the value back:
    /// Playwright refuses a fill whose value reads back otherwise ("Malformed value"), so a test that
    /// wrote the seconds always failed in one run in sixty.
    /// </summary>
    public static string Format(DateTimeOffset at)
    {
        var local = at.ToLocalTime();
        return local.ToString(local.Second == 0 ? "yyyy-MM-dd'T'HH:mm" : "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
    }
}
