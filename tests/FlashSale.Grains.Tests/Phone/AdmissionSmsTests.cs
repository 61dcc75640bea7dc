using System.Globalization;
using FlashSale.Accounts;
using FlashSale.Common;
using FlashSale.Lots;
using FlashSale.Phone;
using FlashSale.Tests.Infrastructure;
using FlashSale.WaitingRooms;
using Orleans.Core.Internal;
using static FlashSale.Tests.Infrastructure.Sale;

namespace FlashSale.Tests.Phone;

/// <summary>
/// The waiting room texts a ticket taken through the phone channel when its turn comes: once per
/// admission, in the phone's language, however often the room is asked or restarted; a ticket
/// taken on the web, or admitted at once, is not texted.
/// </summary>
[Collection(EngineCluster.Name)]
public sealed class AdmissionSmsTests(EngineClusterFixture cluster)
{
    private const int AdmitPerSecond = 1;
    private const int WindowSeconds = 120;
    private const string ServiceCode = "*384*12#";

    private static long _next = Random.Shared.NextInt64(10_000_000, 90_000_000);

    private IGrainFactory Grains => cluster.Grains;

    private static string NewKenyanPhone() => $"+2547{Interlocked.Increment(ref _next) % 100_000_000:D8}";

    private static string NewChinesePhone() => $"+86136{Interlocked.Increment(ref _next) % 100_000_000:D8}";

    private async Task<string> LotWithRoom(TimeSpan opensIn)
    {
        var lotId = Ids.New(Ids.LotPrefix);
        var created = await Grains.GetGrain<IProduceLotGrain>(lotId).Create(new LotDefinition(
            NewSeller(), "Honey pears", "box", 100, "CNY", 1000, 2, opensIn > TimeSpan.Zero ? cluster.Clock.GetUtcNow() + opensIn : null, null,
            new WaitingRoomPolicy(AdmitPerSecond, WindowSeconds)));
        Assert.True(created.Succeeded);
        return lotId;
    }

    private Task<IReadOnlyList<SmsMessage>> Inbox(string phone) => Grains.GetGrain<ISandboxSmsOutboxGrain>(phone).List();

    private static ValueTask Restart(IWaitingRoomGrain room) => room.Cast<IGrainManagementExtension>().DeactivateOnIdle();

    private static string When(DateTimeOffset at) => at.UtcDateTime.ToString("MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_phone_ticket_is_texted_once_when_admitted_in_its_language_however_often_the_room_is_asked()
    {
        var lotId = await LotWithRoom(TimeSpan.FromMinutes(5));
        var room = Grains.GetGrain<IWaitingRoomGrain>(lotId);
        var (englishShopper, chineseShopper, webShopper) = (NewShopper(), NewShopper(), NewShopper());
        var english = new AdmissionSmsRecipient(NewKenyanPhone(), TextLanguages.English, ServiceCode, 101);
        var chinese = new AdmissionSmsRecipient(NewChinesePhone(), TextLanguages.ChineseSimplified, ServiceCode, 101);
        Assert.Equal(TicketState.AwaitingDraw, Value(await room.JoinByPhone(englishShopper, english)).State);
        Value(await room.JoinByPhone(chineseShopper, chinese));
        Value(await room.JoinByPhone(chineseShopper, chinese)); // the same ticket, asked again
        Value(await room.Join(webShopper));

        // The numbers are the room's state: a restart before the opening keeps them.
        await Restart(room);
        // The draw at the opening admits the three places at +0, +1 and +2 s. The passes are the
        // ones the room's alarm makes on its own; made here so the test knows they have run.
        cluster.Clock.Advance(TimeSpan.FromMinutes(5));
        await room.Advance();
        cluster.Clock.Advance(TimeSpan.FromSeconds(3));
        await room.Advance();

        var englishTicket = (await room.TicketOf(englishShopper))!;
        var chineseTicket = (await room.TicketOf(chineseShopper))!;
        Assert.Equal((TicketState.Admitted, TicketState.Admitted), (englishTicket.State, chineseTicket.State));
        var englishText = await Eventually.Value(async () => (await Inbox(english.Phone)).FirstOrDefault());
        var chineseText = await Eventually.Value(async () => (await Inbox(chinese.Phone)).FirstOrDefault());
        Assert.Equal($"FlashSale: your turn for #101 has come. Hold by {When(englishTicket.AdmittedUntil!.Value)}: dial *384*12# or text BUY 101 <qty>.", englishText.Text);
        Assert.Equal($"丰收闪购：#101 轮到您了，请在 {When(chineseTicket.AdmittedUntil!.Value)} 前预留：拨 *384*12# 或发短信“买 101 数量”。", chineseText.Text);

        // Asked again: by the room's next passes, after a restart, and straight to the admission's text.
        await room.Advance();
        await room.Advance();
        await Restart(room);
        await room.Advance();
        var textOfEnglish = Grains.GetGrain<IAdmissionSmsGrain>(PhoneChannel.AdmissionSmsKey(lotId, englishTicket.Position!.Value));
        Assert.False(await textOfEnglish.Send(english, englishTicket.AdmittedUntil!.Value));

        Assert.Single(await Inbox(english.Phone));
        Assert.Single(await Inbox(chinese.Phone));
    }

    [Fact]
    public async Task A_phone_admitted_as_it_joins_is_not_texted_and_one_that_waits_is()
    {
        var lotId = await LotWithRoom(TimeSpan.Zero);
        var room = Grains.GetGrain<IWaitingRoomGrain>(lotId);
        var first = new AdmissionSmsRecipient(NewKenyanPhone(), TextLanguages.English, ServiceCode, 102);
        var second = new AdmissionSmsRecipient(NewKenyanPhone(), TextLanguages.English, ServiceCode, 102);

        Assert.Equal(TicketState.Admitted, Value(await room.JoinByPhone(NewShopper(), first)).State); // an empty room admits at once: the phone holds now
        Assert.Equal(TicketState.Waiting, Value(await room.JoinByPhone(NewShopper(), second)).State);
        cluster.Clock.Advance(TimeSpan.FromSeconds(1));
        await room.Advance();

        // Both admissions were seen in the same pass; the one that waited is texted, the other never was.
        Assert.StartsWith("FlashSale: your turn for #102", (await Eventually.Value(async () => (await Inbox(second.Phone)).FirstOrDefault())).Text, StringComparison.Ordinal);
        Assert.Empty(await Inbox(first.Phone));
    }

    [Fact]
    public async Task A_turn_that_passed_while_the_room_was_down_is_not_texted()
    {
        var lotId = await LotWithRoom(TimeSpan.Zero);
        var room = Grains.GetGrain<IWaitingRoomGrain>(lotId);
        Value(await room.Join(NewShopper()));
        var late = new AdmissionSmsRecipient(NewKenyanPhone(), TextLanguages.English, ServiceCode, 103);
        var onTime = new AdmissionSmsRecipient(NewKenyanPhone(), TextLanguages.English, ServiceCode, 103);
        Assert.Equal(TicketState.Waiting, Value(await room.JoinByPhone(NewShopper(), late)).State); // admitted at +1 s, until +121 s

        // Nobody passes until its window is over. Then one more web shopper is admitted as it
        // joins, and a phone behind it waits a second.
        await Restart(room);
        cluster.Clock.Advance(TimeSpan.FromSeconds(WindowSeconds + 1));
        Assert.Equal(TicketState.Admitted, Value(await room.Join(NewShopper())).State);
        Assert.Equal(TicketState.Waiting, Value(await room.JoinByPhone(NewShopper(), onTime)).State);
        cluster.Clock.Advance(TimeSpan.FromSeconds(1));
        await room.Advance();

        Assert.NotNull(await Eventually.Value(async () => (await Inbox(onTime.Phone)).FirstOrDefault()));
        Assert.Empty(await Inbox(late.Phone));
    }

    [Fact]
    public void A_village_agent_is_texted_for_the_villager_without_the_buy_command()
    {
        var until = new DateTimeOffset(2026, 11, 1, 8, 2, 0, TimeSpan.Zero);

        Assert.Equal(
            "For Grandma Wu: Your turn for #104 has come. Hold by 11-01 08:02 UTC: dial *384*12#.",
            AdmissionSmsGrain.TextOf(new AdmissionSmsRecipient("+254700000001", TextLanguages.English, ServiceCode, 104, "Grandma Wu"), until));
        Assert.Equal(
            "代 吴奶奶：#104 轮到了，请在 11-01 08:02 UTC 前拨 *384*12# 预留。",
            AdmissionSmsGrain.TextOf(new AdmissionSmsRecipient("+8613600000001", TextLanguages.ChineseSimplified, ServiceCode, 104, "吴奶奶"), until));
        Assert.Equal(
            "Kwa ajili ya Bibi Wanjiru: Zamu yako ya #104 imefika. Hifadhi kabla ya 11-01 08:02 UTC: piga *384*12#.",
            AdmissionSmsGrain.TextOf(new AdmissionSmsRecipient("+254700000002", TextLanguages.Swahili, ServiceCode, 104, "Bibi Wanjiru"), until));
    }

    [Theory]
    [InlineData(TextLanguages.Swahili, 105, "FlashSale: zamu yako ya #105 imefika. Hifadhi kabla ya 11-01 08:02 UTC: piga *384*12# au tuma NUNUA 105 <idadi>.")]
    [InlineData("sw-KE", 105, "FlashSale: zamu yako ya #105 imefika. Hifadhi kabla ya 11-01 08:02 UTC: piga *384*12# au tuma NUNUA 105 <idadi>.")]
    [InlineData(TextLanguages.Swahili, null, "Zamu yako ya #? imefika. Hifadhi kabla ya 11-01 08:02 UTC: piga *384*12#.")]
    [InlineData(TextLanguages.English, 105, "FlashSale: your turn for #105 has come. Hold by 11-01 08:02 UTC: dial *384*12# or text BUY 105 <qty>.")]
    [InlineData("fr", 105, "FlashSale: your turn for #105 has come. Hold by 11-01 08:02 UTC: dial *384*12# or text BUY 105 <qty>.")]
    public void A_kenyan_phone_that_queued_in_swahili_is_texted_in_swahili(string language, int? phoneCode, string expected) =>
        Assert.Equal(expected, AdmissionSmsGrain.TextOf(
            new AdmissionSmsRecipient("+254700000003", language, ServiceCode, phoneCode), new DateTimeOffset(2026, 11, 1, 8, 2, 0, TimeSpan.Zero)));
}
