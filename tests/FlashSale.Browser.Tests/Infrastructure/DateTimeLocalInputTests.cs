using System.Globalization;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FlashSale.Browser.Tests.Infrastructure;

/// <summary>
/// The format the tests fill date-and-time fields with, checked against Chromium itself at the instants
/// that once failed by the clock: a whole minute, and either side of it.
/// </summary>
[Collection(LiveAppCollection.Name)]
public sealed class DateTimeLocalInputTests(LiveApp app)
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(59)]
    public async Task Chromium_takes_the_value_as_written_whatever_the_seconds(int second)
    {
        var at = new DateTimeOffset(2026, 12, 2, 4, 47, second, TimeSpan.Zero);
        var page = await app.Browser.NewPageAsync();
        try
        {
            await page.SetContentAsync("<label>Opens at <input type=\"datetime-local\" step=\"1\"></label>");
            var written = DateTimeLocalInput.Format(at);

            await page.GetByLabel("Opens at").FillAsync(written);

            await Expect(page.GetByLabel("Opens at")).ToHaveValueAsync(written);
            Assert.Equal(at, DateTimeOffset.Parse(written, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal));
        }
        finally
        {
            await page.CloseAsync();
        }
    }
}
