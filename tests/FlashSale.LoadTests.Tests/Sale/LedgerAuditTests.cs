using FlashSale.LoadTests.Sale;

namespace FlashSale.LoadTests.Tests.Sale;

/// <summary>The audit's reading of a seller's ledger against the orders: what it expects, and that a ledger one unit off fails it.</summary>
public sealed class LedgerAuditTests
{
    private static OrderView Order(string status, string method, long total, string currency = "CNY") =>
        new($"ord_{Guid.NewGuid():N}", status, [new OrderItemView("lot_a", 1)], new PaymentView("pay_x", method, "succeeded"), total, currency);

    private static readonly OrderView[] Orders =
    [
        Order("paid", "cash-on-delivery", 3_000),
        Order("paid", "cash-on-delivery", 1_500),
        Order("paid", "wallet", 2_000),
        Order("paid", "mobile-money", 700, "KES"),
        Order("confirmed-cod", "cash-on-delivery", 9_999), // not collected: no money moved
        Order("awaiting-payment", "wallet", 8_888),
        Order("cancelled", "wallet", 7_777),
    ];

    [Fact]
    public void Paid_orders_make_the_ledger_cash_to_the_agents_and_gateway_money_owed()
    {
        var expected = SaleAudit.ExpectedLedger(Orders);

        Assert.Equal(new LedgerBalanceView("CNY", 6_500, 0, 2_000, 4_500, 0, 0), expected["CNY"]);
        Assert.Equal(new LedgerBalanceView("KES", 700, 0, 700, 0, 0, 0), expected["KES"]);
        Assert.All(expected.Values, b => Assert.True(b.Balances));
    }

    [Fact]
    public void The_ledger_that_shows_exactly_the_orders_is_settled()
    {
        var expected = SaleAudit.ExpectedLedger(Orders);
        var ledger = new LedgerView([expected["KES"], new LedgerBalanceView("EUR", 0, 0, 0, 0, 0, 0), expected["CNY"]]);

        Assert.True(SaleAudit.Settled(ledger, expected));
    }

    [Theory]
    [InlineData(1, 0, 0, "one unit more paid")]
    [InlineData(0, 1, 0, "one unit more with the agents")]
    [InlineData(0, 0, 1, "a refund the harness never made")]
    public void A_ledger_one_unit_off_is_not_settled(long paidOff, long agentsOff, long refundedOff, string why)
    {
        var expected = SaleAudit.ExpectedLedger(Orders);
        var cny = expected["CNY"];
        var ledger = new LedgerView([expected["KES"], cny with
        {
            PaidMinor = cny.PaidMinor + paidOff, HeldByAgentsMinor = cny.HeldByAgentsMinor + agentsOff, RefundedMinor = cny.RefundedMinor + refundedOff,
        }]);

        Assert.False(SaleAudit.Settled(ledger, expected), why);
    }

    [Fact]
    public void A_ledger_missing_a_currency_or_showing_one_with_no_orders_is_not_settled()
    {
        var expected = SaleAudit.ExpectedLedger(Orders);

        Assert.False(SaleAudit.Settled(new LedgerView([expected["CNY"]]), expected));
        Assert.False(SaleAudit.Settled(new LedgerView([expected["CNY"], expected["KES"], new LedgerBalanceView("EUR", 5, 0, 5, 0, 0, 0)]), expected));
    }
}
