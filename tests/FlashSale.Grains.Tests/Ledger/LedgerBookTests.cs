using FlashSale.Ledger;

namespace FlashSale.Tests.Ledger;

public sealed class LedgerBookTests
{
    private static LedgerEntry Entry(string id, LedgerEntryKind kind, long amount) => new(id, kind, "CNY", amount, DateTimeOffset.UnixEpoch);

    [Fact]
    public void An_entry_is_applied_once_by_its_id()
    {
        var book = new LedgerBook();

        Assert.True(book.Apply(Entry("a", LedgerEntryKind.PaidViaGateway, 500)));
        Assert.False(book.Apply(Entry("a", LedgerEntryKind.PaidViaGateway, 500)));

        Assert.Equal(new LedgerBalance("CNY", 500, 0, 500, 0, 0, 0), book.Balances["CNY"]);
    }

    [Fact]
    public void An_overflow_throws_and_leaves_the_book_unchanged()
    {
        var book = new LedgerBook();
        book.Apply(Entry("a", LedgerEntryKind.CashHeldByAgent, long.MaxValue));

        Assert.Throws<OverflowException>(() => book.Apply(Entry("b", LedgerEntryKind.CashHeldByAgent, 1)));

        Assert.Equal(new LedgerBalance("CNY", long.MaxValue, 0, 0, long.MaxValue, 0, 0), book.Balances["CNY"]);
        Assert.DoesNotContain("b", book.Applied);
    }

    [Fact]
    public void A_negative_amount_is_refused()
    {
        var book = new LedgerBook();
        Assert.Throws<ArgumentOutOfRangeException>(() => book.Apply(Entry("a", LedgerEntryKind.PaidViaGateway, -1)));
        Assert.Empty(book.Balances);
    }
}
