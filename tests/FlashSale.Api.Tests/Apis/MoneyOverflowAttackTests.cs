using System.Net;
using System.Numerics;
using FlashSale.Api.Extensions;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Lots;
using FlashSale.Orders;

namespace FlashSale.Api.Tests.Apis;

/// <summary>
/// The overflow attack of issue #12, through the API, on a host whose money ceiling is as high as
/// it may be set (2⁶² − 1): a seller creates lots whose price × quantity add up to exactly
/// 2⁶³ − 1, a shopper holds every one in full, then one more lot, then checks out by cash on
/// delivery. Before the fix the next hold answered 500 with the lot's <c>reserved</c> risen and
/// checkout answered 500 with units <c>sold</c>, no order and a phantom paid order in the
/// seller's stats. Now every hold past the ceiling is 409 <c>limit-exceeded</c> and moves
/// nothing, and the checkout orders exactly what was held.
/// </summary>
[Collection(LimitsCollection.Name)]
public sealed class MoneyOverflowAttackTests(LimitsApiFactory api)
{
    private static readonly (long Price, int Quantity)[] Attack =
    [
        .. Enumerable.Repeat((1_000_000_000_000L, 1_000_000), 9),
        (1_000_000_000_000L, 223_372),
        (36_854_775_807L, 1),
    ];

    [Fact]
    public async Task Holds_past_the_ceiling_are_409_and_move_nothing_and_checkout_orders_what_was_held()
    {
        Assert.Equal(long.MaxValue, Attack.Aggregate(0L, (sum, l) => checked(sum + (l.Price * l.Quantity))));
        var seller = await api.SignUpSeller();
        var lots = new List<Lot>();
        foreach (var (price, quantity) in Attack)
        {
            lots.Add(await seller.CreateLot(quantity: quantity, perShopperLimit: quantity, priceMinor: price));
        }

        var another = await seller.CreateLot(quantity: 1_000_000, perShopperLimit: 1_000_000, priceMinor: 1_000_000_000_000);
        var shopper = await api.SignUpShopper();

        // The model: a hold is taken exactly when the cart's total stays within the ceiling.
        var held = BigInteger.Zero;
        var taken = new List<Lot>();
        foreach (var lot in lots.Append(another))
        {
            var before = await seller.GetLot(lot.LotId);
            using var answer = await shopper.SetItem(lot.LotId, lot.Quantity);
            var wanted = held + (new BigInteger(lot.PriceMinor) * lot.Quantity);
            if (wanted <= LimitsApiFactory.Ceiling)
            {
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
                held = wanted;
                taken.Add(lot);
            }
            else
            {
                await answer.ReadProblem(HttpStatusCode.Conflict, Problems.LimitExceeded);
                var after = await seller.GetLot(lot.LotId);
                Assert.Equal((before.Available, before.Reserved, before.Sold, before.Version), (after.Available, after.Reserved, after.Sold, after.Version));
            }

            Assert.Equal(held, new BigInteger((await shopper.GetCart()).TotalMinor));
        }

        Assert.Contains(lots, l => !taken.Contains(l)); // the attack did reach the ceiling
        Assert.DoesNotContain(another, taken);

        var order = await shopper.PlaceOrder("cash-on-delivery");
        Assert.Equal((held, OrderStatus.ConfirmedCod), (new BigInteger(order.TotalMinor), order.Status));
        Assert.Single(await shopper.ListOrders());
        Assert.Empty((await shopper.GetCart()).Items);
        foreach (var lot in lots.Append(another))
        {
            var stats = await seller.GetStats(lot.LotId);
            var sold = taken.Contains(lot) ? lot.Quantity : 0;
            Assert.Equal((sold, 0, sold * lot.PriceMinor, sold > 0 ? 1 : 0), (stats.Sold, stats.Reserved, stats.RevenueMinor, stats.PaidOrders));
            SaleApi.AssertInvariant(await seller.GetLot(lot.LotId));
        }
    }
}
