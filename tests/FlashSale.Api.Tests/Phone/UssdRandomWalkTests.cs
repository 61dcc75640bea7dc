using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Orders;
using Xunit.Abstractions;

namespace FlashSale.Api.Tests.Phone;

/// <summary>
/// Seeded random USSD walks by many handsets at once on one small lot, checked against a plain
/// model: whatever they press, in whatever order, with repeated callbacks, the lot is never
/// oversold, its counts always add up, what the shoppers hold and bought is exactly what the
/// lot says is reserved and sold, and nobody passes the per-shopper limit.
/// <c>PHONE_WALK_SEED=&lt;n&gt;</c> replays a run.
/// </summary>
[Collection(PhoneApiCollection.Name)]
public sealed class UssdRandomWalkTests(PhoneApiFactory api, ITestOutputHelper output)
{
    private const int Handsets = 8;
    private const int Quantity = 12;
    private const int Limit = 3;

    [Fact]
    public async Task Random_walks_never_oversell_and_never_pass_the_per_shopper_limit()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("PHONE_WALK_SEED"), out var given) ? given : Random.Shared.Next();
        output.WriteLine($"PHONE_WALK_SEED={seed}");
        var random = new Random(seed);
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: Quantity, perShopperLimit: Limit, priceMinor: 5000, currency: "KES");
        var phones = Enumerable.Range(0, Handsets).Select(_ => new Handset(api, Handset.NewKenyanPhone())).ToList();
        var walks = phones.Select(phone => (phone, seed: random.Next())).ToList();

        await Task.WhenAll(walks.Select(w => Walk(w.phone, new Random(w.seed), lot.PhoneCode!.Value)));

        var after = await api.CreateAnonymousClient().GetLot(lot.LotId);
        SaleApi.AssertInvariant(after);
        var held = 0;
        var ordered = 0;
        foreach (var phone in phones)
        {
            var mine = (await phone.Cart()).Items.Where(i => i.LotId == lot.LotId).Sum(i => i.Quantity);
            var bought = (await phone.Orders()).Where(o => !o.Status.ReleasedItsStock()).SelectMany(o => o.Items).Where(i => i.LotId == lot.LotId).Sum(i => i.Quantity);
            Assert.True(mine + bought <= Limit, $"{phone.Phone} holds {mine} and bought {bought} (seed {seed})");
            held += mine;
            ordered += bought;
        }

        var awaitingPayment = await OrderedButReserved(phones, lot.LotId);
        Assert.Equal(held, after.Reserved - awaitingPayment);
        Assert.Equal(ordered, after.Sold + awaitingPayment);
    }

    /// <summary>Units in orders still awaiting payment: the lot counts them as reserved, not sold.</summary>
    private static async Task<int> OrderedButReserved(List<Handset> phones, string lotId)
    {
        var units = 0;
        foreach (var phone in phones)
        {
            units += (await phone.Orders()).Where(o => o.Status is OrderStatus.AwaitingPayment).SelectMany(o => o.Items).Where(i => i.LotId == lotId).Sum(i => i.Quantity);
        }

        return units;
    }

    private static async Task Walk(Handset phone, Random random, int phoneCode)
    {
        for (var session = 0; session < 3; session++)
        {
            var screen = await phone.Dial();
            for (var step = 0; step < 10 && screen.StartsWith("CON ", StringComparison.Ordinal); step++)
            {
                // Mostly sensible presses (the lot's own line, small numbers), sometimes nonsense,
                // and now and then the gateway sends the same step again.
                var input = random.Next(10) switch
                {
                    0 => "0",
                    1 or 2 when screen.Contains($"#{phoneCode} ", StringComparison.Ordinal) && !screen.Contains("x", StringComparison.Ordinal) => Screens.ChoiceOf(screen, $"#{phoneCode} "),
                    9 => random.Next(3) == 0 ? "x" : "7",
                    _ => random.Next(1, 5).ToString(System.Globalization.CultureInfo.InvariantCulture),
                };
                screen = await phone.Press(input);
                if (random.Next(5) == 0)
                {
                    Assert.Equal(screen, await phone.Resend(phone.Text));
                }
            }
        }
    }
}
