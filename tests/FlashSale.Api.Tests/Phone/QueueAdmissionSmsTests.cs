using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Phone;
using FlashSale.WaitingRooms;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;

namespace FlashSale.Api.Tests.Phone;

/// <summary>
/// Waiting rooms by phone: a phone that joins a lot's queue (by the USSD menu or an SMS BUY) is
/// texted once when its turn comes, in its language (the menu's or the command's), with how to hold and until when; a shopper
/// who joined on the web, though signed in with a phone number, is not texted.
/// </summary>
[Collection(PhoneApiCollection.Name)]
public sealed class QueueAdmissionSmsTests(PhoneApiFactory api)
{
    [Fact]
    public async Task Phones_that_queued_are_texted_once_when_admitted_in_their_language_and_a_web_shopper_is_not()
    {
        var (lot, code) = await QueuedLot("Queue kiwis", "box", 6800, "CNY");

        // An English phone joins by the menu, a Chinese one by SMS, and a shopper on the web.
        var english = new Handset(api, Handset.NewEnglishPhone());
        await english.Dial();
        var soon = await english.Press("2");
        await english.Press(Screens.ChoiceOf(soon, $"#{code} "));
        Screens.AssertEnds(await english.Press("1"), $"You are in the queue for #{code}.");
        var chinese = new Handset(api, PhoneAccounts.NewPhone());
        Assert.Contains($"您已排队购买 #{code}", await api.SandboxSms(chinese.Phone, $"买 {code} 1"), StringComparison.Ordinal);
        var webNumber = PhoneAccounts.NewPhone();
        var webSession = await api.SignInByPhone(webNumber);
        var web = api.AsCaller(webSession);
        using (var joined = await web.Http.PostAsync(new Uri($"/api/lots/{lot.LotId}/queue", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.OK, joined.StatusCode);
        }

        // The draw at the opening gives the three places at +0, +1 and +2 s; all are admitted at +3 s.
        // The passes are the ones the room's alarm makes on its own; made here so the test knows they have run.
        var room = Grains.GetGrain<IWaitingRoomGrain>(lot.LotId);
        api.Clock.Advance(TimeSpan.FromMinutes(30));
        await room.Advance();
        api.Clock.Advance(TimeSpan.FromSeconds(3));
        await room.Advance();
        var englishTicket = (await room.TicketOf((await english.Account()).ShopperId))!;
        var chineseTicket = (await room.TicketOf((await chinese.Account()).ShopperId))!;
        var webTicket = (await room.TicketOf(webSession.ShopperId))!;
        Assert.All(new[] { englishTicket, chineseTicket, webTicket }, t => Assert.Equal(TicketState.Admitted, t.State));

        var englishText = await UssdFlowTests.Eventually(async () => (await english.Inbox()).FirstOrDefault(m => m.Text.Contains("your turn", StringComparison.Ordinal)));
        Assert.Equal($"FlashSale: your turn for #{code} has come. Hold by {When(englishTicket.AdmittedUntil!.Value)}: dial *384*12# or text BUY {code} <qty>.", englishText.Text);
        var chineseText = await UssdFlowTests.Eventually(async () => (await chinese.Inbox()).FirstOrDefault(m => m.Text.Contains("轮到您了", StringComparison.Ordinal)));
        Assert.Equal($"丰收闪购：#{code} 轮到您了，请在 {When(chineseTicket.AdmittedUntil!.Value)} 前预留：拨 *384*12# 或发短信“买 {code} 数量”。", chineseText.Text);

        // Asked again: by the room's next passes, after it restarts, and straight to the admission's text.
        await room.Advance();
        await room.Advance();
        await room.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await room.Advance();
        Assert.False(await Grains.GetGrain<IAdmissionSmsGrain>(PhoneChannel.AdmissionSmsKey(lot.LotId, englishTicket.Position!.Value))
            .Send(new AdmissionSmsRecipient(english.Phone, "en", "*384*12#", lot.PhoneCode), englishTicket.AdmittedUntil!.Value));

        Assert.Single(await english.Inbox(), m => m.Text.Contains("your turn", StringComparison.Ordinal));
        Assert.Single(await chinese.Inbox(), m => m.Text.Contains("轮到您了", StringComparison.Ordinal));
        var webInbox = await Grains.GetGrain<FlashSale.Accounts.ISandboxSmsOutboxGrain>(webNumber).List();
        Assert.DoesNotContain(webInbox, m => m.Text.Contains("turn", StringComparison.Ordinal) || m.Text.Contains("轮到", StringComparison.Ordinal));

        // What the text says holds: the English phone holds now.
        await english.Dial();
        var live = await english.Press("1");
        await english.Press(Screens.ChoiceOf(live, $"#{code} "), "1");
        Screens.AssertContinues(await english.Press("2"), "Held 2 box");
    }

    [Fact]
    public async Task Kenyan_phones_are_texted_in_the_language_they_queued_in()
    {
        var (lot, code) = await QueuedLot("Parachichi", "kreti", 30000, "KES");

        // One Kenyan phone queues by the Swahili menu, one by a Swahili SMS, and one after switching its menu to English.
        var byMenu = new Handset(api, Handset.NewKenyanPhone());
        await byMenu.Dial();
        var soon = await byMenu.Press("2");
        Screens.AssertContinues(await byMenu.Press(Screens.ChoiceOf(soon, $"#{code} ")), "Kuna foleni", "1 Jiunge na foleni");
        Screens.AssertEnds(await byMenu.Press("1"), $"Uko kwenye foleni ya #{code}. Nafasi zitapangwa kwa bahati nasibu ");
        var bySms = new Handset(api, Handset.NewKenyanPhone());
        Assert.StartsWith($"Uko kwenye foleni ya #{code}.", await api.SandboxSms(bySms.Phone, $"nunua {code} 1"), StringComparison.Ordinal);
        var inEnglish = new Handset(api, Handset.NewKenyanPhone());
        await inEnglish.Dial();
        await inEnglish.Press("9");
        soon = await inEnglish.Press("2");
        await inEnglish.Press(Screens.ChoiceOf(soon, $"#{code} "));
        Screens.AssertEnds(await inEnglish.Press("1"), $"You are in the queue for #{code}.");

        var room = Grains.GetGrain<IWaitingRoomGrain>(lot.LotId);
        api.Clock.Advance(TimeSpan.FromMinutes(30));
        await room.Advance();
        api.Clock.Advance(TimeSpan.FromSeconds(3));
        await room.Advance();

        foreach (var phone in new[] { byMenu, bySms })
        {
            var ticket = (await room.TicketOf((await phone.Account()).ShopperId))!;
            var text = await UssdFlowTests.Eventually(async () => (await phone.Inbox()).FirstOrDefault(m => m.Text.Contains("zamu yako", StringComparison.Ordinal)));
            Assert.Equal($"FlashSale: zamu yako ya #{code} imefika. Hifadhi kabla ya {When(ticket.AdmittedUntil!.Value)}: piga *384*12# au tuma NUNUA {code} <idadi>.", text.Text);
        }

        var english = await UssdFlowTests.Eventually(async () => (await inEnglish.Inbox()).FirstOrDefault(m => m.Text.Contains("your turn", StringComparison.Ordinal)));
        Assert.StartsWith($"FlashSale: your turn for #{code} has come.", english.Text, StringComparison.Ordinal);
    }

    private IGrainFactory Grains => api.Services.GetRequiredService<IGrainFactory>();

    private static string When(DateTimeOffset at) => at.UtcDateTime.ToString("MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>A lot opening in 30 minutes behind a waiting room that admits one shopper a second, and its phone code.</summary>
    private async Task<(FlashSale.Lots.Lot Lot, string Code)> QueuedLot(string name, string unit, long priceMinor, string currency)
    {
        var seller = await api.SignUpSeller();
        using var created = await seller.Http.PostAsJsonAsync("/api/lots", new
        {
            name, unit, priceMinor, currency, quantity = 50, perShopperLimit = 2,
            startsAt = api.Clock.GetUtcNow().AddMinutes(30),
            waitingRoom = new { admitPerSecond = 1, admissionWindowSeconds = 120 },
        }, ApiJson.Options);
        var lot = await created.ReadAs<FlashSale.Lots.Lot>(HttpStatusCode.Created);
        return (lot, lot.PhoneCode!.Value.ToString(CultureInfo.InvariantCulture));
    }
}
