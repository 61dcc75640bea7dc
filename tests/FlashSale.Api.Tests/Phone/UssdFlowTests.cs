using System.Globalization;
using System.Net.Http.Json;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Orders;
using Microsoft.Extensions.DependencyInjection;

namespace FlashSale.Api.Tests.Phone;

/// <summary>
/// Whole USSD sessions through the sandbox gateway, in each language: the market's language by
/// the number (+86 reads Chinese, +254 Swahili, others English), browse, a lot's price and stock,
/// hold, check out with the market's phone methods, my orders, cancel; the same account as the
/// phone sign-in; waiting rooms.
/// </summary>
[Collection(PhoneApiCollection.Name)]
public sealed class UssdFlowTests(PhoneApiFactory api)
{
    [Fact]
    public async Task An_english_reading_phone_browses_holds_pays_kes_by_mobile_money_and_cancels()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 30, perShopperLimit: 4, priceMinor: 25000, currency: "KES", name: "Kisii bananas", unit: "bunch");
        Assert.NotNull(lot.PhoneCode);
        var phone = new Handset(api, Handset.NewEnglishPhone());

        Screens.AssertContinues(await phone.Dial(), "1 Live lots", "2 Opening soon", "3 My cart", "4 My orders", "9 中文");
        var live = await phone.Press("1");
        Screens.AssertContinues(live, $"#{lot.PhoneCode}", "0 Back");
        var lotScreen = await phone.Press(Screens.ChoiceOf(live, $"#{lot.PhoneCode} "));
        Screens.AssertContinues(lotScreen, "Kisii bananas", "250.00 KES", "Left 30 of 30", "Max 4 each", "1 Hold");
        Screens.AssertContinues(await phone.Press("1"), "How many bunch? 1-4");
        Screens.AssertContinues(await phone.Press("3"), "Held 3 bunch: 750.00 KES", "1 Check out", "2 Release");
        Assert.Equal(3, (await api.CreateAnonymousClient().GetLot(lot.LotId)).Reserved);

        var methods = await phone.Press("1");
        Screens.AssertContinues(methods, "Pay how? Total 750.00 KES", "1 Mobile money", "2 Cash on delivery");
        var placed = await phone.Press("1");
        Screens.AssertEnds(placed, "awaiting payment", "SMS follows");

        var order = Assert.Single(await phone.Orders());
        Assert.Equal(OrderStatus.AwaitingPayment, order.Status);
        Assert.Equal("mobile-money", order.Payment.Method);
        Assert.Contains(PhoneReference(order), placed, StringComparison.Ordinal);
        var sms = await Eventually(async () => (await phone.Inbox()).LastOrDefault(m => m.Text.Contains(PhoneReference(order), StringComparison.Ordinal)));
        Assert.Contains("Approve the payment prompt on your phone.", sms.Text, StringComparison.Ordinal);

        // A new session: my orders, the order, cancel.
        await phone.Dial();
        var orders = await phone.Press("4");
        Screens.AssertContinues(orders, $"1 {PhoneReference(order)} awaiting payment 750.00 KES");
        Screens.AssertContinues(await phone.Press("1"), "1 Cancel order");
        Screens.AssertEnds(await phone.Press("1"), $"Order {PhoneReference(order)} is cancelled.");
        Assert.Equal(OrderStatus.Cancelled, Assert.Single(await phone.Orders()).Status);
        var after = await api.CreateAnonymousClient().GetLot(lot.LotId);
        Assert.Equal((30, 0, 0), (after.Available, after.Reserved, after.Sold));
    }

    [Fact]
    public async Task A_kenyan_phone_reads_swahili_holds_pays_by_mobile_money_gets_its_sms_in_swahili_and_switches_to_english_and_back()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 30, perShopperLimit: 4, priceMinor: 25000, currency: "KES", name: "Ndizi za Kisii", unit: "mkungu");
        var phone = new Handset(api, Handset.NewKenyanPhone());

        // +254 starts in Swahili, and its switch offers English (not Chinese).
        var menu = await phone.Dial();
        Screens.AssertContinues(menu, "Mavuno ya FlashSale", "1 Zinazouzwa sasa", "2 Zinakuja hivi karibuni", "3 Kikapu changu", "4 Oda zangu", "9 English");
        Assert.DoesNotContain("中文", menu, StringComparison.Ordinal);
        var live = await phone.Press("1");
        Screens.AssertContinues(live, $"#{lot.PhoneCode} Ndizi za Kisii 250.00 KES", "0 Rudi");
        Screens.AssertContinues(await phone.Press(Screens.ChoiceOf(live, $"#{lot.PhoneCode} ")), "Ndizi za Kisii", "Bei 250.00 KES/mkungu", "Zimebaki 30 kati ya 30", "Kila mtu hadi 4", "1 Hifadhi", "0 Rudi");
        Screens.AssertContinues(await phone.Press("1"), "Unataka mkungu ngapi? 1-4", "0 Rudi");
        Screens.AssertContinues(await phone.Press("3"), "Umehifadhi 3 mkungu: 750.00 KES, hadi ", "1 Lipa", "2 Achilia", "0 Menyu kuu");

        var methods = await phone.Press("1");
        Screens.AssertContinues(methods, "Lipa vipi? Jumla 750.00 KES", "1 Pesa kwa simu", "2 Lipa ukipokea", "0 Rudi");
        var placed = await phone.Press("1");
        var order = Assert.Single(await phone.Orders());
        Assert.Equal(("mobile-money", OrderStatus.AwaitingPayment), (order.Payment.Method, order.Status));
        Screens.AssertEnds(placed, $"Oda {PhoneReference(order)}: 750.00 KES, inasubiri malipo. Utapata SMS.");

        // The SMS is Swahili too, the market's payment words and the provider's particulars included.
        var sms = await Eventually(async () => (await phone.Inbox()).LastOrDefault(m => m.Text.Contains(PhoneReference(order), StringComparison.Ordinal)));
        Assert.StartsWith($"Oda {PhoneReference(order)}: #{lot.PhoneCode} x3, 750.00 KES, inasubiri malipo. Lipa kabla ya ", sms.Text, StringComparison.Ordinal);
        Assert.Contains("Thibitisha ombi la malipo kwenye simu yako. Ombi la kulipa 750.00 KES (kumbukumbu ", sms.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Approve", sms.Text, StringComparison.Ordinal);

        // A new session: 9 reads English, whose switch offers Swahili; 9 again reads Swahili.
        await phone.Dial();
        Screens.AssertContinues(await phone.Press("9"), "1 Live lots", "4 My orders", "9 Kiswahili");
        Screens.AssertContinues(await phone.Press("4"), $"1 {PhoneReference(order)} awaiting payment 750.00 KES", "0 Back");
        Screens.AssertContinues(await phone.Press("0"), "1 Live lots", "9 Kiswahili");
        Screens.AssertContinues(await phone.Press("9"), "1 Zinazouzwa sasa", "9 English");
        Screens.AssertContinues(await phone.Press("4"), $"1 {PhoneReference(order)} inasubiri malipo 750.00 KES", "0 Rudi");
        Screens.AssertContinues(await phone.Press("1"), "750.00 KES", "Lipa kabla ya ", "1 Ghairi oda", "0 Rudi");
        Screens.AssertEnds(await phone.Press("1"), $"Oda {PhoneReference(order)} imeghairiwa.");
        Assert.Equal(OrderStatus.Cancelled, Assert.Single(await phone.Orders()).Status);
        Assert.Equal(30, (await api.CreateAnonymousClient().GetLot(lot.LotId)).Available);
    }

    [Fact]
    public async Task A_kenyan_phone_reads_engine_refusals_in_swahili()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 2, perShopperLimit: 2, priceMinor: 25000, currency: "KES", name: "Maembe", unit: "kreti");
        var first = new Handset(api, Handset.NewEnglishPhone());
        await first.Dial();
        var live = await first.Press("1");
        await first.Press(Screens.ChoiceOf(live, $"#{lot.PhoneCode} "), "1");
        Screens.AssertContinues(await first.Press("1"), "Held 1 kreti");

        // One is left: asking for two is the lot's refusal, in Swahili.
        var phone = new Handset(api, Handset.NewKenyanPhone());
        await phone.Dial();
        live = await phone.Press("1");
        await phone.Press(Screens.ChoiceOf(live, $"#{lot.PhoneCode} "), "1");
        Screens.AssertEnds(await phone.Press("2"), "Zimebaki 1 kreti tu.");
        Assert.Empty((await phone.Cart()).Items);
    }

    [Fact]
    public async Task A_chinese_phone_reads_chinese_holds_pays_cash_on_delivery_and_gets_the_pickup_code_by_sms()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 20, perShopperLimit: 3, name: "砀山酥梨", unit: "箱");
        var phone = new Handset(api, PhoneAccounts.NewPhone());

        Screens.AssertContinues(await phone.Dial(), "丰收闪购", "1 在售", "2 即将开售", "3 我的购物车", "4 我的订单", "9 English");
        var live = await phone.Press("1");
        Screens.AssertContinues(await phone.Press(Screens.ChoiceOf(live, $"#{lot.PhoneCode} ")), "砀山酥梨", "价格 68.00 CNY/箱", "剩余 20/20", "每人限 3", "1 预留");
        Screens.AssertContinues(await phone.Press("1"), "要几箱？1-3");
        Screens.AssertContinues(await phone.Press("2"), "已预留 2箱：136.00 CNY", "1 结账", "2 释放");
        Screens.AssertContinues(await phone.Press("1"), "付款方式？合计 136.00 CNY", "1 货到付款", "2 银行转账");
        var placed = await phone.Press("1");
        Screens.AssertEnds(placed, "货到付款", "详情见短信");

        var order = Assert.Single(await phone.Orders());
        Assert.Equal(OrderStatus.ConfirmedCod, order.Status);
        var code = order.Fulfilment!.PickupCode!;
        var sms = await Eventually(async () => (await phone.Inbox()).LastOrDefault(m => m.Text.Contains(PhoneReference(order), StringComparison.Ordinal)));
        Assert.Contains($"取货码 {code}", sms.Text, StringComparison.Ordinal);
        Assert.Contains($"#{lot.PhoneCode} x2", sms.Text, StringComparison.Ordinal);

        // My orders shows it; a cash-on-delivery order is confirmed at once, so it offers no cancel.
        await phone.Dial();
        Screens.AssertContinues(await phone.Press("4"), $"1 {PhoneReference(order)} 货到付款 136.00 CNY");
        var orderScreen = await phone.Press("1");
        Screens.AssertContinues(orderScreen, $"取货码 {code}", "0 返回");
        Assert.DoesNotContain("取消订单", orderScreen, StringComparison.Ordinal);
        Assert.Equal(2, (await api.CreateAnonymousClient().GetLot(lot.LotId)).Sold);
    }

    [Fact]
    public async Task A_chinese_phone_pays_by_bank_transfer_from_the_cart_and_cancels_in_chinese()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 10, perShopperLimit: 2);
        var phone = new Handset(api, PhoneAccounts.NewPhone());
        await phone.Dial();
        var live = await phone.Press("1");
        await phone.Press(Screens.ChoiceOf(live, $"#{lot.PhoneCode} "), "1", "1");
        Screens.AssertContinues(await phone.Press("0"), "1 在售"); // back to the main menu; the hold stays

        Screens.AssertContinues(await phone.Press("3"), $"#{lot.PhoneCode}", "x1", "合计 68.00 CNY", "1 结账");
        Screens.AssertContinues(await phone.Press("1"), "2 银行转账");
        Screens.AssertEnds(await phone.Press("2"), "待付款");
        var order = Assert.Single(await phone.Orders());
        Assert.Equal(("bank-transfer", OrderStatus.AwaitingPayment), (order.Payment.Method, order.Status));

        await phone.Dial();
        await phone.Press("4", "1");
        Screens.AssertEnds(await phone.Press("1"), $"订单 {PhoneReference(order)} 已取消。");
        Assert.Equal(10, (await api.CreateAnonymousClient().GetLot(lot.LotId)).Available);
    }

    [Fact]
    public async Task The_menu_switches_language_and_a_session_shortcut_walks_the_menu()
    {
        // A number of a market with no phone language of its own reads English and switches to Chinese, as ever.
        var phone = new Handset(api, Handset.NewEnglishPhone());
        await phone.Dial();
        Screens.AssertContinues(await phone.Press("9"), "1 在售", "9 English");
        Screens.AssertContinues(await phone.Press("9"), "1 Live lots");

        // *384*12*4# arrives as a first step with its input already in it.
        var shortcut = new Handset(api, Handset.NewEnglishPhone());
        Screens.AssertContinues(await shortcut.Send(Handset.NewSessionId(), "4"), "You have no orders.");
    }

    [Fact]
    public async Task Opening_soon_lots_are_listed_with_their_opening_and_cannot_be_held()
    {
        var seller = await api.SignUpSeller();
        var opens = api.Clock.GetUtcNow().AddHours(3);
        var lot = await seller.CreateLot(startsAt: opens, name: "Early peaches");
        var phone = new Handset(api, Handset.NewEnglishPhone());
        await phone.Dial();
        var soon = await phone.Press("2");
        Screens.AssertContinues(soon, $"#{lot.PhoneCode} Early peaches opens {opens.UtcDateTime.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC");
        var lotScreen = await phone.Press(Screens.ChoiceOf(soon, $"#{lot.PhoneCode} "));
        Assert.DoesNotContain("1 Hold", lotScreen, StringComparison.Ordinal);
        Screens.AssertEnds(await phone.Press("1"), "Unknown choice");
        Assert.Empty((await phone.Cart()).Items);
    }

    [Fact]
    public async Task The_phone_is_the_same_account_as_the_phone_sign_in()
    {
        var number = PhoneAccounts.NewPhone();
        var signedIn = await api.SignInByPhone(number);
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot();
        var phone = new Handset(api, number);
        await phone.Dial();
        var live = await phone.Press("1");
        await phone.Press(Screens.ChoiceOf(live, $"#{lot.PhoneCode} "), "1", "2");

        Assert.Equal(signedIn.ShopperId, (await phone.Account()).ShopperId);
        var web = api.AsCaller(signedIn);
        Assert.Equal(2, Assert.Single((await web.GetCart()).Items).Quantity);
    }

    [Fact]
    public async Task A_waiting_room_lot_queues_the_phone_and_holds_nothing_until_its_turn()
    {
        var seller = await api.SignUpSeller();
        using var created = await seller.Http.PostAsJsonAsync("/api/lots", new
        {
            name = "Queue pears", unit = "box", priceMinor = 6800, currency = "CNY", quantity = 50, perShopperLimit = 2,
            startsAt = api.Clock.GetUtcNow().AddMinutes(30),
            waitingRoom = new { admitPerSecond = 1, admissionWindowSeconds = 120 },
        }, ApiJson.Options);
        var lot = await created.ReadAs<FlashSale.Lots.Lot>(System.Net.HttpStatusCode.Created);
        var phone = new Handset(api, Handset.NewEnglishPhone());
        await phone.Dial();
        var soon = await phone.Press("2");
        Screens.AssertContinues(await phone.Press(Screens.ChoiceOf(soon, $"#{lot.PhoneCode} ")), "Queue on", "1 Join queue");
        Screens.AssertEnds(await phone.Press("1"), $"You are in the queue for #{lot.PhoneCode}. Places are drawn at");
        Assert.Empty((await phone.Cart()).Items);

        // The opening draws the places; the only one queued is first, admitted at the opening.
        api.Clock.Advance(TimeSpan.FromMinutes(31));
        await Eventually(async () => await api.Services.GetRequiredService<IGrainFactory>()
            .GetGrain<FlashSale.WaitingRooms.IWaitingRoomGrain>(lot.LotId).IsAdmitted((await phone.Account()).ShopperId) ? (object)true : null);
        await phone.Dial();
        var live = await phone.Press("1");
        await phone.Press(Screens.ChoiceOf(live, $"#{lot.PhoneCode} "), "1");
        Screens.AssertContinues(await phone.Press("2"), "Held 2 box");

        // Another phone that never queued joins now, at the back, and holds nothing yet. The
        // engine clock has not moved since the draw, which admitted the first place at this
        // instant; the next place is one interval (a second) later, so it is always still ahead.
        var late = new Handset(api, Handset.NewEnglishPhone());
        await late.Dial();
        live = await late.Press("1");
        await late.Press(Screens.ChoiceOf(live, $"#{lot.PhoneCode} "), "1");
        Screens.AssertEnds(await late.Press("1"), $"You are in the queue for #{lot.PhoneCode}, place 2.");
        Assert.Empty((await late.Cart()).Items);
        Assert.Equal(2, (await api.CreateAnonymousClient().GetLot(lot.LotId)).Reserved);

        // Its turn comes one interval on, and then it holds.
        api.Clock.Advance(TimeSpan.FromSeconds(1));
        await late.Dial();
        live = await late.Press("1");
        await late.Press(Screens.ChoiceOf(live, $"#{lot.PhoneCode} "), "1");
        Screens.AssertContinues(await late.Press("1"), "Held 1 box");
        Assert.Equal(3, (await api.CreateAnonymousClient().GetLot(lot.LotId)).Reserved);
    }

    [Fact]
    public async Task A_presale_in_the_cart_is_offered_no_method_paid_on_delivery()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreatePresaleLot(api.Clock.GetUtcNow());
        var phone = new Handset(api, PhoneAccounts.NewPhone()); // +86: Chinese menus, CNY's methods

        await phone.Dial();
        var live = await phone.Press("1");
        await phone.Press(Screens.ChoiceOf(live, $"#{lot.PhoneCode} "));
        await phone.Press("1");
        await phone.Press("1");
        var methods = await phone.Press("1");

        Screens.AssertContinues(methods, "1 银行转账");
        Assert.DoesNotContain("货到付款", methods, StringComparison.Ordinal);
        Screens.AssertEnds(await phone.Press("1"), "订单 ", "详情见短信");
        Assert.Equal("bank-transfer", Assert.Single(await phone.Orders()).Payment.Method);
    }

    /// <summary>
    /// A presale is checked out on its own. A cart that mixes one with another lot is told so on
    /// the pay screen, and led back to the cart, rather than offered a method checkout would refuse.
    /// </summary>
    [Fact]
    public async Task A_cart_mixing_a_presale_with_another_lot_is_told_before_choosing_a_method()
    {
        var seller = await api.SignUpSeller();
        var presale = await seller.CreatePresaleLot(api.Clock.GetUtcNow());
        var pears = await seller.CreateLot(quantity: 10, perShopperLimit: 5);
        var phone = new Handset(api, Handset.NewEnglishPhone());
        foreach (var lot in new[] { presale, pears })
        {
            await phone.Dial();
            var live = await phone.Press("1");
            await phone.Press(Screens.ChoiceOf(live, $"#{lot.PhoneCode} "));
            await phone.Press("1");
            Screens.AssertContinues(await phone.Press("1"), "Held 1 ");
        }

        var pay = await phone.Press("1");

        Screens.AssertContinues(pay, "A presale lot is checked out on its own", "0 Back");
        Assert.DoesNotContain("Bank transfer", pay, StringComparison.Ordinal);
        Screens.AssertContinues(await phone.Press("0"), "1 Check out", "2 Release");
        Assert.Empty(await phone.Orders());
        Assert.Equal(2, (await phone.Cart()).Items.Count);
    }

    private static string PhoneReference(Order order) => order.OrderId[^6..].ToUpperInvariant();

    internal static async Task<T> Eventually<T>(Func<Task<T?>> probe)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("never happened");
    }
}
