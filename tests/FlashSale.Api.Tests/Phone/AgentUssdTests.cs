using System.Net;
using System.Net.Http.Json;
using FlashSale.Accounts;
using FlashSale.Api.Accounts;
using FlashSale.Api.Apis;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Carts;
using FlashSale.Orders;
using Microsoft.Extensions.DependencyInjection;

namespace FlashSale.Api.Tests.Phone;

/// <summary>
/// A village agent by phone: the number of an approved agent's account gets the agent's own menu,
/// its villagers first, then the shop acting for the chosen one under the web agent routes' rules
/// (the villager's limit, the agent's cap per lot, the agent's cash methods). A shopper's number
/// never gets it, and an agent reaches only the villagers it registered.
/// </summary>
[Collection(PhoneApiCollection.Name)]
public sealed class AgentUssdTests(PhoneApiFactory api)
{
    [Fact]
    public async Task An_agent_orders_for_a_villager_in_english_within_the_agents_cap_and_cancels_from_the_villagers_orders()
    {
        var number = Handset.NewEnglishPhone();
        var agent = await ApprovedAgent(number);
        var wu = await RegisterVillager(agent, "Grandma Wu");
        var chen = await RegisterVillager(agent, "Old Chen");
        var seller = await api.SignUpSeller();
        // 20 units: the agent's cap is a quarter of the lot, 5, over all its villagers together.
        var lot = await seller.CreateLot(quantity: 20, perShopperLimit: 3, name: "Agent pears", unit: "box");
        var phone = new Handset(api, number);

        Screens.AssertContinues(await phone.Dial(), "Agent: order for", "1 Grandma Wu", "2 Old Chen", "9 中文");
        Screens.AssertContinues(await phone.Press("1"), "For Grandma Wu", "1 Live lots", "3 My cart", "4 My orders", "0 Villagers");
        var live = await phone.Press("1");
        await phone.Press(Screens.ChoiceOf(live, $"#{lot.PhoneCode} "), "1");
        Screens.AssertContinues(await phone.Press("3"), "Held 3 box: 204.00 CNY");
        Assert.Equal(3, Assert.Single((await Cart(wu.ShopperId)).Items).Quantity);
        Assert.Empty((await phone.Cart()).Items); // nothing in the agent's own name

        var methods = await phone.Press("1");
        Screens.AssertContinues(methods, "Pay how? Total 204.00 CNY", "1 Village agent (cash now)", "2 Cash on delivery");
        Assert.DoesNotContain("Bank transfer", methods, StringComparison.Ordinal);
        Screens.AssertEnds(await phone.Press("1"), "awaiting payment");
        var order = Assert.Single(await Orders(wu.ShopperId));
        Assert.Equal(("village-agent", OrderStatus.AwaitingPayment), (order.Payment.Method, order.Status));
        Assert.Empty(await phone.Orders());
        var sms = await UssdFlowTests.Eventually(async () => (await phone.Inbox()).LastOrDefault(m => m.Text.Contains(Reference(order), StringComparison.Ordinal)));
        Assert.StartsWith("For Grandma Wu: Order ", sms.Text, StringComparison.Ordinal);

        // Old Chen may hold 3 by his own limit, but the agent has 3 of its 5 already: refused, nothing held.
        await phone.Dial();
        await phone.Press("2");
        live = await phone.Press("1");
        await phone.Press(Screens.ChoiceOf(live, $"#{lot.PhoneCode} "), "1");
        Screens.AssertEnds(await phone.Press("3"), "at most 5 of this lot", "3 are already held or bought");
        Assert.Empty((await Cart(chen.ShopperId)).Items);
        Assert.Equal(3, (await api.CreateAnonymousClient().GetLot(lot.LotId)).Reserved + (await api.CreateAnonymousClient().GetLot(lot.LotId)).Sold);

        // Back to the list, Grandma Wu's orders: cancel the one awaiting the agent's cash.
        await phone.Dial();
        await phone.Press("1");
        Screens.AssertContinues(await phone.Press("4"), $"1 {Reference(order)} awaiting payment 204.00 CNY");
        Screens.AssertContinues(await phone.Press("1"), "1 Cancel order");
        Screens.AssertEnds(await phone.Press("1"), $"Order {Reference(order)} is cancelled.");
        Assert.Equal(OrderStatus.Cancelled, Assert.Single(await Orders(wu.ShopperId)).Status);
        Assert.Equal(20, (await api.CreateAnonymousClient().GetLot(lot.LotId)).Available);
    }

    [Fact]
    public async Task An_agent_orders_for_a_villager_in_chinese_cash_on_delivery_within_the_villagers_limit()
    {
        var number = PhoneAccounts.NewPhone();
        var agent = await ApprovedAgent(number);
        var wang = await RegisterVillager(agent, "王奶奶");
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 40, perShopperLimit: 2, name: "代购梨", unit: "箱");
        var phone = new Handset(api, number);

        Screens.AssertContinues(await phone.Dial(), "代购员：为谁下单", "1 王奶奶", "9 English");
        Screens.AssertContinues(await phone.Press("1"), "代 王奶奶 下单", "1 在售", "0 换村民");
        var live = await phone.Press("1");
        await phone.Press(Screens.ChoiceOf(live, $"#{lot.PhoneCode} "), "1");
        Screens.AssertEnds(await phone.Press("3"), "要几箱？1-2"); // over the villager's limit: nothing held
        Assert.Empty((await Cart(wang.ShopperId)).Items);

        await phone.Dial();
        await phone.Press("1");
        live = await phone.Press("1");
        await phone.Press(Screens.ChoiceOf(live, $"#{lot.PhoneCode} "), "1");
        Screens.AssertContinues(await phone.Press("2"), "已预留 2箱：136.00 CNY");
        Screens.AssertContinues(await phone.Press("1"), "1 代购员现收", "2 货到付款");
        Screens.AssertEnds(await phone.Press("2"), "货到付款");
        var order = Assert.Single(await Orders(wang.ShopperId));
        Assert.Equal(("cash-on-delivery", OrderStatus.ConfirmedCod), (order.Payment.Method, order.Status));
        var sms = await UssdFlowTests.Eventually(async () => (await phone.Inbox()).LastOrDefault(m => m.Text.Contains(Reference(order), StringComparison.Ordinal)));
        Assert.StartsWith("代 王奶奶：订单 ", sms.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shoppers_number_never_gets_the_agent_menu_and_an_agent_reaches_only_its_own_villagers()
    {
        // A shopper, and an applicant whose application is not approved yet: the shopper's menu, where 0 is no choice.
        var shopper = new Handset(api, Handset.NewEnglishPhone());
        var menu = await shopper.Dial();
        Screens.AssertContinues(menu, "FlashSale harvest", "1 Live lots");
        Assert.DoesNotContain("Agent", menu, StringComparison.Ordinal);
        Screens.AssertEnds(await shopper.Press("0"), "Unknown choice");

        var applicantNumber = PhoneAccounts.NewPhone();
        var applicant = await api.SignInByPhone(applicantNumber);
        using (var applied = await api.AsCaller(applicant).Http.PostAsJsonAsync("/api/applications", new { role = "agent", name = "Point of Ma", village = "Dangshan" }, ApiJson.Options))
        {
            Assert.Equal(HttpStatusCode.Accepted, applied.StatusCode);
        }

        Screens.AssertContinues(await new Handset(api, applicantNumber).Dial(), "丰收闪购", "1 在售");

        // Two agents: each lists only its own villagers, and a choice past its list is no choice.
        var first = await ApprovedAgent(Handset.NewEnglishPhone());
        var secondNumber = Handset.NewEnglishPhone();
        var second = await ApprovedAgent(secondNumber);
        var firstsVillager = await RegisterVillager(first, "Auntie Mei");
        await RegisterVillager(second, "Uncle Bo");
        var phone = new Handset(api, secondNumber);
        var list = await phone.Dial();
        Screens.AssertContinues(list, "1 Uncle Bo");
        Assert.DoesNotContain("Auntie Mei", list, StringComparison.Ordinal);
        Screens.AssertEnds(await phone.Press("2"), "Unknown choice");

        // An agent with no villager yet is told to register them; nothing else is offered.
        var third = Handset.NewEnglishPhone();
        await ApprovedAgent(third);
        Screens.AssertEnds(await new Handset(api, third).Dial(), "You have no villagers yet.");

        // The first agent's villager was never touched by the second's session.
        Assert.Empty((await Cart(firstsVillager.ShopperId)).Items);
        Assert.Empty(await Orders(firstsVillager.ShopperId));
    }

    /// <summary>Signs <paramref name="number"/> in, applies to be an agent, has the operator approve it, and refreshes into the agent role.</summary>
    private async Task<Caller> ApprovedAgent(string number)
    {
        var session = await api.SignInByPhone(number);
        using var applied = await api.AsCaller(session).Http.PostAsJsonAsync("/api/applications", new { role = "agent", name = "Point of Liu", village = "Zhouzhi" }, ApiJson.Options);
        var application = await applied.ReadAs<Application>(HttpStatusCode.Accepted);
        var op = api.AsCaller(await api.Operator());
        using var approved = await op.Http.PostAsync(new Uri($"/api/operator/applications/{application.ApplicationId}/approve", UriKind.Relative), null);
        Assert.Equal(ApplicationStatus.Approved, (await approved.ReadAs<Application>()).Status);
        using var refreshed = await api.PostRefresh(session.RefreshToken);
        var agent = await refreshed.ReadAs<SignedIn>();
        Assert.Contains("agent", agent.Roles);
        return api.AsCaller(agent);
    }

    private static async Task<VillagerView> RegisterVillager(Caller agent, string name)
    {
        using var response = await agent.Http.PostAsJsonAsync("/api/agent/villagers", new { name }, ApiJson.Options);
        return await response.ReadAs<VillagerView>(HttpStatusCode.Created);
    }

    private Task<Cart> Cart(string shopperId) => Grains.GetGrain<IShopperCartGrain>(shopperId).Get();

    private async Task<IReadOnlyList<Order>> Orders(string shopperId)
    {
        var ids = await Grains.GetGrain<IShopperCartGrain>(shopperId).ListOrderIds();
        return (await Task.WhenAll(ids.Select(id => Grains.GetGrain<IOrderGrain>(id).Get()))).OfType<Order>().ToList();
    }

    private IGrainFactory Grains => api.Services.GetRequiredService<IGrainFactory>();

    private static string Reference(Order order) => order.OrderId[^6..].ToUpperInvariant();
}
