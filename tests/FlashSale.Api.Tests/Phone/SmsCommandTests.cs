using FlashSale.Accounts;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Orders;
using FlashSale.Phone;
using Microsoft.Extensions.DependencyInjection;

namespace FlashSale.Api.Tests.Phone;

/// <summary>
/// The SMS commands, in each language and as people type them; every reply also goes out by SMS.
/// A reply is in the command's language from any number; a text that is no command gets the help
/// in the number's market's (Swahili for +254).
/// </summary>
[Collection(PhoneApiCollection.Name)]
public sealed class SmsCommandTests(PhoneApiFactory api)
{
    [Theory]
    [InlineData("BUY {code} 2", "Order ", "cash on delivery")]
    [InlineData("buy {code} 2", "Order ", "cash on delivery")]
    [InlineData("  Buy   {code}   2 ", "Order ", "cash on delivery")]
    [InlineData("买 {code} 2", "订单 ", "货到付款")]
    [InlineData("买{code} 2", "订单 ", "货到付款")]
    [InlineData("买　{code}　２", "订单 ", "货到付款")] // a Chinese keypad's full-width space and digit
    [InlineData("BUY 999999 1", "No lot has code 999999", null)]
    [InlineData("BUY 9999999 1", "BUY <code> <qty>", null)]
    [InlineData("BUY {code} 9", "Not done: At most 4", null)]
    [InlineData("BUY {code}", "BUY <code> <qty>", null)]
    [InlineData("BUY {code} 0", "BUY <code> <qty>", null)]
    [InlineData("BUY x 2", "BUY <code> <qty>", null)]
    [InlineData("hello", "BUY <code> <qty>", null)]
    [InlineData("", "BUY <code> <qty>", null)]
    [InlineData("STATUS", "no open orders", null)]
    [InlineData("status", "no open orders", null)]
    [InlineData("状态", "没有进行中的订单", null)]
    [InlineData("CANCEL ZZZZZZ", "You have no order ZZZZZZ", null)]
    [InlineData("取消 ZZZZZZ", "您没有订单 ZZZZZZ", null)]
    [InlineData("CANCEL", "BUY <code> <qty>", null)]
    public async Task Each_command_gets_its_reply_by_sms(string command, string reply, string? status)
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 20, perShopperLimit: 4);

        var (answered, orders) = await SendCommand(new Handset(api, Handset.NewEnglishPhone()), lot, command, reply);

        if (status is null)
        {
            Assert.Empty(orders);
            Assert.Equal(0, (await api.CreateAnonymousClient().GetLot(lot.LotId)).Sold);
        }
        else
        {
            var order = Assert.Single(orders);
            Assert.Equal(OrderStatus.ConfirmedCod, order.Status);
            Assert.Contains(status, answered, StringComparison.Ordinal);
            Assert.Contains(order.Fulfilment!.PickupCode!, answered, StringComparison.Ordinal);
            Assert.Equal(2, (await api.CreateAnonymousClient().GetLot(lot.LotId)).Sold);
        }
    }

    [Theory]
    [InlineData("NUNUA {code} 2", "Oda ", "inasubiri malipo")]
    [InlineData("nunua {code} 2", "Oda ", "inasubiri malipo")]
    [InlineData("  Nunua   {code}   2 ", "Oda ", "inasubiri malipo")]
    [InlineData("nUnUa　{code}　２", "Oda ", "inasubiri malipo")] // a full-width space and digit, as from a Chinese keypad
    [InlineData("NUNUA 999999 1", "Hakuna bidhaa yenye nambari 999999.", null)]
    [InlineData("NUNUA {code} 9", "Haijafanyika: Kila mnunuzi hadi 4", null)]
    [InlineData("NUNUA {code}", "NUNUA <nambari> <idadi>", null)]
    [InlineData("nunua x 2", "NUNUA <nambari> <idadi>", null)]
    [InlineData("HALI", "Huna oda inayoendelea.", null)]
    [InlineData("hali", "Huna oda inayoendelea.", null)]
    [InlineData("Hali", "Huna oda inayoendelea.", null)]
    [InlineData("GHAIRI ZZZZZZ", "Huna oda ZZZZZZ.", null)]
    [InlineData("ghairi zzzzzz", "Huna oda ZZZZZZ.", null)]
    [InlineData("Ghairi", "NUNUA <nambari> <idadi>", null)]
    [InlineData("habari", "NUNUA <nambari> <idadi>", null)] // no command at all: the help, in the market's language
    [InlineData("", "NUNUA <nambari> <idadi>", null)]
    [InlineData("BUY {code} 2", "Order ", "awaiting payment")] // an English command from Kenya is answered in English
    [InlineData("STATUS", "You have no open orders.", null)]
    [InlineData("买 {code} 2", "订单 ", "待付款")]
    public async Task Each_command_from_a_kenyan_phone_gets_its_reply_in_its_language(string command, string reply, string? status)
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 20, perShopperLimit: 4, priceMinor: 10000, currency: "KES", unit: "kreti");

        var (answered, orders) = await SendCommand(new Handset(api, Handset.NewKenyanPhone()), lot, command, reply);

        if (status is null)
        {
            Assert.Empty(orders);
            Assert.Equal(20, (await api.CreateAnonymousClient().GetLot(lot.LotId)).Available);
        }
        else
        {
            var order = Assert.Single(orders);
            Assert.Equal(("mobile-money", OrderStatus.AwaitingPayment), (order.Payment.Method, order.Status)); // KES's default phone method
            Assert.StartsWith(reply + PhoneChannel.ReferenceOf(order.OrderId), answered, StringComparison.Ordinal);
            Assert.Contains(status, answered, StringComparison.Ordinal);
            var culture = System.Globalization.CultureInfo.GetCultureInfo(status == "inasubiri malipo" ? "sw" : status == "待付款" ? "zh-CN" : "en");
            Assert.EndsWith(" " + order.Payment.InstructionsIn(culture), answered, StringComparison.Ordinal); // the market's payment words in the reply's language
        }
    }

    [Fact]
    public async Task Hali_lists_open_orders_and_ghairi_cancels_one_in_swahili()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 20, perShopperLimit: 4, priceMinor: 10000, currency: "KES", unit: "kreti");
        var phone = new Handset(api, Handset.NewKenyanPhone());
        var bought = await api.SandboxSms(phone.Phone, $"Nunua {lot.PhoneCode} 1");
        var order = Assert.Single(await phone.Orders());
        var reference = PhoneChannel.ReferenceOf(order.OrderId);
        Assert.StartsWith($"Oda {reference}: #{lot.PhoneCode} x1, 100.00 KES, inasubiri malipo. Lipa kabla ya ", bought, StringComparison.Ordinal);
        Assert.Contains("Thibitisha ombi la malipo kwenye simu yako. Ombi la kulipa 100.00 KES (kumbukumbu ", bought, StringComparison.Ordinal);

        Assert.StartsWith($"Oda {reference}: ", await api.SandboxSms(phone.Phone, "hali"), StringComparison.Ordinal);
        Assert.Equal($"Oda {reference} imeghairiwa.", await api.SandboxSms(phone.Phone, $"ghairi {reference.ToLowerInvariant()}"));
        Assert.Equal(OrderStatus.Cancelled, Assert.Single(await phone.Orders()).Status);
        Assert.Equal("Huna oda inayoendelea.", await api.SandboxSms(phone.Phone, "HALI"));
        Assert.StartsWith("Haijafanyika: Oda inayosubiri malipo tu ndiyo inaweza kughairiwa", await api.SandboxSms(phone.Phone, $"GHAIRI {reference}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_number_that_only_asks_gets_no_account_and_its_first_buy_makes_one()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 20, perShopperLimit: 4);
        var phone = Handset.NewEnglishPhone();
        var number = api.Services.GetRequiredService<IGrainFactory>().GetGrain<IPhoneNumberGrain>(phone);

        Assert.Contains("no open orders", await api.SandboxSms(phone, "STATUS"), StringComparison.Ordinal);
        Assert.Contains("You have no order ZZZZZZ", await api.SandboxSms(phone, "CANCEL ZZZZZZ"), StringComparison.Ordinal);
        Assert.Contains("BUY <code> <qty>", await api.SandboxSms(phone, "hello"), StringComparison.Ordinal);
        Assert.Null(await number.AccountId());

        await api.SandboxSms(phone, $"BUY {lot.PhoneCode} 1");
        var account = await number.BoundAccount();
        Assert.NotNull(account);
        var order = Assert.Single(await new Handset(api, phone).Orders());
        Assert.Contains(PhoneChannel.ReferenceOf(order.OrderId), await api.SandboxSms(phone, "STATUS"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Buying_a_presale_by_sms_pays_its_deposit_by_the_first_method_paid_before_delivery()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreatePresaleLot(api.Clock.GetUtcNow());
        var phone = new Handset(api, PhoneAccounts.NewPhone()); // +86: CNY's default phone method is cash on delivery

        var reply = await api.SandboxSms(phone.Phone, $"BUY {lot.PhoneCode} 2");

        var order = Assert.Single(await phone.Orders());
        Assert.Equal(("bank-transfer", OrderStatus.AwaitingPayment), (order.Payment.Method, order.Status));
        Assert.Contains(PhoneChannel.ReferenceOf(order.OrderId), reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_lists_open_orders_and_cancel_cancels_one_by_its_reference()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 20, perShopperLimit: 4, priceMinor: 10000, currency: "KES");
        var phone = new Handset(api, Handset.NewKenyanPhone()); // English commands from Kenya: English replies
        var bought = await api.SandboxSms(phone.Phone, $"BUY {lot.PhoneCode} 1");
        var order = Assert.Single(await phone.Orders());
        Assert.Equal(("mobile-money", OrderStatus.AwaitingPayment), (order.Payment.Method, order.Status)); // KES's default phone method
        var reference = order.OrderId[^6..].ToUpperInvariant();
        Assert.Contains(reference, bought, StringComparison.Ordinal);

        Assert.Contains(reference, await api.SandboxSms(phone.Phone, "STATUS"), StringComparison.Ordinal);
        Assert.Contains($"Order {reference} is cancelled.", await api.SandboxSms(phone.Phone, $"cancel {reference.ToLowerInvariant()}"), StringComparison.Ordinal);
        Assert.Equal(OrderStatus.Cancelled, Assert.Single(await phone.Orders()).Status);
        Assert.Contains("no open orders", await api.SandboxSms(phone.Phone, "STATUS"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_delivered_twice_buys_once()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 20, perShopperLimit: 4);
        var phone = new Handset(api, PhoneAccounts.NewPhone());
        var messageId = "gw-" + Guid.NewGuid().ToString("N");

        var replies = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => api.SandboxSms(phone.Phone, $"BUY {lot.PhoneCode} 2", messageId)));

        Assert.Single(replies.Distinct());
        Assert.Single(await phone.Orders());
        Assert.Equal(2, (await api.CreateAnonymousClient().GetLot(lot.LotId)).Sold);
        Assert.Single(await phone.Inbox()); // one reply sent, not one per copy
        Assert.Equal("", await api.SandboxSms(Handset.NewEnglishPhone(), "STATUS", messageId)); // another sender's copy reads nothing
    }

    /// <summary>
    /// Texts <paramref name="command"/> (its <c>{code}</c> is the lot's phone code) from a phone with
    /// nothing in its inbox yet: the reply holds <paramref name="reply"/> and is the one text the
    /// phone got. Returns it with the phone's orders after it.
    /// </summary>
    private async Task<(string Answered, IReadOnlyList<Order> Orders)> SendCommand(Handset phone, FlashSale.Lots.Lot lot, string command, string reply)
    {
        var answered = await api.SandboxSms(phone.Phone, command.Replace("{code}", lot.PhoneCode.ToString(), StringComparison.Ordinal));

        Assert.Contains(reply, answered, StringComparison.Ordinal);
        Assert.Equal(answered, Assert.Single(await phone.Inbox()).Text);
        return (answered, await phone.Orders());
    }
}

/// <summary>With no step budget, a hold and a checkout answer "we will SMS you" at once and report by SMS when done.</summary>
[Collection(PhoneNoBudgetCollection.Name)]
public sealed class PhoneLateWorkTests(PhoneNoBudgetApiFactory api)
{
    [Fact]
    public async Task A_hold_and_a_checkout_that_miss_the_step_budget_finish_and_report_by_sms()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 20, perShopperLimit: 4);
        var phone = new Handset(api, Handset.NewEnglishPhone());
        await phone.Dial();
        var live = await phone.Press("1");
        await phone.Press(Screens.ChoiceOf(live, $"#{lot.PhoneCode} "), "1");
        Screens.AssertEnds(await phone.Press("3"), "We will send you an SMS");

        var held = await UssdFlowTests.Eventually(async () => (await phone.Inbox()).FirstOrDefault(m => m.Text.StartsWith("Held", StringComparison.Ordinal)));
        Assert.Contains($"Held #{lot.PhoneCode} x3", held.Text, StringComparison.Ordinal);
        Assert.Equal(3, Assert.Single((await phone.Cart()).Items).Quantity);

        await phone.Dial();
        await phone.Press("3", "1");
        Screens.AssertEnds(await phone.Press("1"), "We will send you an SMS");
        var order = await UssdFlowTests.Eventually(async () => (await phone.Orders()).SingleOrDefault());
        var sms = await UssdFlowTests.Eventually(async () => (await phone.Inbox()).FirstOrDefault(m => m.Text.Contains(order.OrderId[^6..].ToUpperInvariant(), StringComparison.Ordinal)));
        Assert.Contains($"#{lot.PhoneCode} x3", sms.Text, StringComparison.Ordinal);
    }
}
