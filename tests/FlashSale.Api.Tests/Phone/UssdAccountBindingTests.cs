using FlashSale.Accounts;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Lots;
using Microsoft.Extensions.DependencyInjection;

namespace FlashSale.Api.Tests.Phone;

/// <summary>
/// A number is bound to an account when it first acts, not when it dials: a crowd that only looks
/// at a sale's menu writes nothing, and the account a hold is made for is the number's one account
/// as it stands at that moment (the web's phone sign-in may have made it meanwhile).
/// </summary>
[Collection(PhoneApiCollection.Name)]
public sealed class UssdAccountBindingTests(PhoneApiFactory api)
{
    private IPhoneNumberGrain Number(string phone) => api.Services.GetRequiredService<IGrainFactory>().GetGrain<IPhoneNumberGrain>(phone);

    /// <summary>A new number's session on a new lot, at "How many?": it has browsed, not yet acted.</summary>
    private async Task<(Lot Lot, Handset Phone)> NewNumberAskedHowMany()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 10, perShopperLimit: 3, priceMinor: 5000, currency: "KES");
        var phone = new Handset(api, Handset.NewEnglishPhone());
        await phone.Dial();
        var live = await phone.Press("1");
        Screens.AssertContinues(await phone.Press(Screens.ChoiceOf(live, $"#{lot.PhoneCode} ")), "1 Hold");
        Screens.AssertContinues(await phone.Press("1"), "How many");
        return (lot, phone);
    }

    [Fact]
    public async Task A_number_that_only_browses_has_no_account_and_its_first_hold_makes_one()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 10, perShopperLimit: 3, priceMinor: 5000, currency: "KES");
        var phone = new Handset(api, Handset.NewEnglishPhone());

        Screens.AssertContinues(await phone.Dial(), "1 Live lots");
        Screens.AssertContinues(await phone.Press("3"), "Your cart is empty.");
        Screens.AssertContinues(await phone.Press("0"), "4 My orders");
        Screens.AssertContinues(await phone.Press("4"), "You have no orders.");
        Screens.AssertContinues(await phone.Press("0"), "1 Live lots");
        var live = await phone.Press("1");
        Screens.AssertContinues(await phone.Press(Screens.ChoiceOf(live, $"#{lot.PhoneCode} ")), "1 Hold");
        Screens.AssertContinues(await phone.Press("1"), "How many");
        Assert.Null(await Number(phone.Phone).AccountId());

        Screens.AssertContinues(await phone.Press("2"), "Held 2 ");
        var account = await Number(phone.Phone).BoundAccount();
        Assert.NotNull(account);
        var line = Assert.Single((await phone.Cart()).Items);
        Assert.Equal((lot.LotId, 2), (line.LotId, line.Quantity));
        Assert.Equal(account.ShopperId, (await phone.Account()).ShopperId);

        // The next session finds the account at once: its cart is the one the hold filled.
        await phone.Dial();
        Screens.AssertContinues(await phone.Press("3"), "x2", "1 Check out");
    }

    [Fact]
    public async Task A_number_signed_in_on_the_web_mid_session_holds_for_that_same_account()
    {
        var (lot, phone) = await NewNumberAskedHowMany();
        var number = phone.Phone;

        var web = await api.SignInByPhone(number);

        Screens.AssertContinues(await phone.Press("1"), "Held 1 ");
        var bound = await Number(number).BoundAccount();
        Assert.Equal(web.AccountId, bound!.AccountId);
        Assert.Equal(lot.LotId, Assert.Single((await phone.Cart()).Items).LotId);
    }

    [Fact]
    public async Task A_number_whose_account_is_suspended_mid_session_cannot_hold_and_the_lot_does_not_move()
    {
        var (lot, phone) = await NewNumberAskedHowMany();
        var number = phone.Phone;

        var web = await api.SignInByPhone(number);
        Assert.NotNull(await api.Services.GetRequiredService<IGrainFactory>().GetGrain<IAccountGrain>(web.AccountId).Suspend());

        Screens.AssertEnds(await phone.Press("1"), "This number's account is suspended.");
        var after = await api.CreateAnonymousClient().GetLot(lot.LotId);
        Assert.Equal((10, 0, 0), (after.Available, after.Reserved, after.Sold));
    }
}
