using FlashSale.LoadTests.Harness;
using FlashSale.LoadTests.Sale;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace FlashSale.LoadTests.Tests.Sale;

/// <summary>
/// The audit reads the lots around the carts and orders until no lot moved in between, so work the
/// engine finishes after the run (here a payment whose lot moves its unit from reserved to sold
/// only after the order already reads paid) is seen whole, never half.
/// </summary>
public sealed class SaleAuditReadingTests
{
    private const string LotId = "lot_a";

    /// <summary>An API that serves one lot (moving from <paramref name="lotReadings"/>' first entry to the next on each read, then standing still), one empty cart and one paid order.</summary>
    private static async Task<WebApplication> StubApi(LotView[] lotReadings, OrderView order)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var reads = -1;
        app.MapGet("/api/lots/{lotId}", (string lotId) => lotReadings[Math.Min(Interlocked.Increment(ref reads), lotReadings.Length - 1)]);
        app.MapGet("/api/cart", () => new CartView("shp_1", []));
        app.MapGet("/api/orders", () => new[] { order });
        app.MapGet("/api/orders/{orderId}", (string orderId) => order);
        await app.StartAsync();
        return app;
    }

    private static async Task<AuditReport> Audit(WebApplication api, OrderView order)
    {
        using var client = new SaleClient(new Uri(api.Urls.First()));
        var ledger = new SaleLedger();
        ledger.AddLot(new LotView(LotId, 10, 9, 1, 0, 5, "live", 1));
        var shopper = ledger.AddShopper(new Identity("shp_1", "token"));
        shopper.CheckoutAnswered(StepOutcome.Ok(), order with { Status = "awaiting-payment" }, "wallet");
        shopper.PaymentAnswered(shopper.Orders[0], "succeeded", StepOutcome.Ok());
        return await SaleAudit.RunAsync(client, ledger, hasOrders: true, CancellationToken.None);
    }

    private static readonly OrderView PaidOrder = new("ord_1", "paid", [new OrderItemView(LotId, 1)], new PaymentView("pay_1", "wallet", "succeeded"), 1000, "CNY");

    [Fact]
    public async Task A_lot_that_moves_while_the_orders_are_read_is_read_again_and_the_totals_hold()
    {
        await using var api = await StubApi(
            [new LotView(LotId, 10, 9, 1, 0, 5, "live", 1), new LotView(LotId, 10, 9, 0, 1, 5, "live", 2)],
            PaidOrder);

        var report = await Audit(api, PaidOrder);

        Assert.True(report.Passed, string.Join("; ", report.Checks.SelectMany(c => c.Violations)));
        Assert.Equal(2, report.Counts["readings until the lots stood still"]);
    }

    [Fact]
    public async Task A_lot_whose_totals_are_wrong_and_stand_still_fails_the_audit()
    {
        await using var api = await StubApi([new LotView(LotId, 10, 9, 1, 0, 5, "live", 1)], PaidOrder);

        var report = await Audit(api, PaidOrder);

        Assert.False(report.Passed);
        var totals = Assert.Single(report.Checks, c => c.Name == "each lot's reserved and sold equal its holds and orders");
        Assert.Contains("reserved 1 vs holds 0 + unpaid orders 0; sold 0 vs sold orders 1", Assert.Single(totals.Violations), StringComparison.Ordinal);
        Assert.Equal(1, report.Counts["readings until the lots stood still"]);
    }
}
