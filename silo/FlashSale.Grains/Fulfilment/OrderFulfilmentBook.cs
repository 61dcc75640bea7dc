using FlashSale.Ledger;
using FlashSale.Payments;

namespace FlashSale.Fulfilment;

/// <summary>What a fulfilment notice tells, and to whom.</summary>
public enum FulfilmentNoticeKind
{
    /// <summary>Post <see cref="FulfilmentNotice.Entry"/> to the seller's ledger.</summary>
    Ledger,

    /// <summary>Move an agent's held cash by <see cref="FulfilmentNotice.DeltaMinor"/>.</summary>
    AgentCash,

    /// <summary>List the order under a lot, for the seller's order desk.</summary>
    LotIndex,

    /// <summary>List the order among an agent's parcels.</summary>
    ParcelIndex,
}

/// <summary>
/// A message the order owes another grain, written in the same state write as the change that
/// caused it and delivered after (an outbox): a crash in between delays it, never loses it, and
/// every receiver is idempotent, so a repeated delivery changes nothing.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FulfilmentNotice(
    [property: Id(0)] FulfilmentNoticeKind Kind,
    [property: Id(1)] string Target,
    [property: Id(2)] LedgerEntry? Entry = null,
    [property: Id(3)] string? SellerId = null,
    [property: Id(4)] long DeltaMinor = 0);

/// <summary>How one seller's share of an order was paid, so a refund takes it back the same way.</summary>
[GenerateSerializer, Immutable]
public sealed record PaidShare(
    [property: Id(0)] string SellerId,
    [property: Id(1)] LedgerEntryKind Kind,
    [property: Id(2)] long AmountMinor,
    [property: Id(3)] string? AgentId);

/// <summary>The order's fulfilment bookkeeping, kept beside the order in its grain state.</summary>
[GenerateSerializer]
public sealed class OrderFulfilmentBook
{
    /// <summary>The seller of each lot of the order, learnt when the order is placed.</summary>
    [Id(0)]
    public Dictionary<string, string> SellerOfLot { get; set; } = new(StringComparer.Ordinal);

    [Id(1)]
    public List<FulfilmentNotice> Outbox { get; set; } = [];

    /// <summary>Each seller's share as it was paid; empty until paid.</summary>
    [Id(2)]
    public List<PaidShare> Paid { get; set; } = [];

    /// <summary>True once the payment's shares are in the ledgers' outbox (gateway, or cash by whoever took it).</summary>
    [Id(3)]
    public bool PaidPosted { get; set; }

    /// <summary>The agent who took the cash for a village-agent or cash-on-delivery order.</summary>
    [Id(4)]
    public string? CashCollector { get; set; }

    [Id(5)]
    public int WrongCodeTries { get; set; }

    /// <summary>A seller's cancel owes the shopper the money; set in the same write as the cancel.</summary>
    [Id(6)]
    public string? RefundOwedReason { get; set; }

    [Id(7)]
    public PaymentRefundReceipt? Refund { get; set; }
}
