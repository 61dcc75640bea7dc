namespace FlashSale.Ledger;

/// <summary>What moved money in a seller's ledger; serialized in kebab case.</summary>
public enum LedgerEntryKind
{
    /// <summary>A gateway took the shopper's money (wallet, bank transfer): the gateway owes it.</summary>
    PaidViaGateway,

    /// <summary>An agent took cash (village-agent payment, or cash on delivery at handover).</summary>
    CashHeldByAgent,

    /// <summary>The seller took cash on home delivery.</summary>
    CashHeldBySeller,

    /// <summary>The money went back through the gateway.</summary>
    RefundViaGateway,

    /// <summary>The agent handed the cash back to the shopper.</summary>
    RefundFromAgentCash,

    /// <summary>The seller handed the cash back.</summary>
    RefundFromSellerCash,

    /// <summary>The seller confirmed receiving an agent's cash.</summary>
    RemittanceConfirmed,
}

/// <summary>One movement, applied at most once per <see cref="EntryId"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record LedgerEntry(
    [property: Id(0)] string EntryId,
    [property: Id(1)] LedgerEntryKind Kind,
    [property: Id(2)] string Currency,
    [property: Id(3)] long AmountMinor,
    [property: Id(4)] DateTimeOffset At,
    [property: Id(5)] string? OrderId = null,
    [property: Id(6)] string? AgentId = null);

/// <summary>
/// A seller's figures in one currency. Always
/// <c>PaidMinor - RefundedMinor == GatewayMinor + HeldByAgentsMinor + HeldBySellerMinor + RemittedMinor</c>:
/// every entry moves both sides by the same amount (see <see cref="LedgerBook"/>).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LedgerBalance(
    [property: Id(0)] string Currency,
    [property: Id(1)] long PaidMinor,
    [property: Id(2)] long RefundedMinor,
    [property: Id(3)] long GatewayMinor,
    [property: Id(4)] long HeldByAgentsMinor,
    [property: Id(5)] long HeldBySellerMinor,
    [property: Id(6)] long RemittedMinor)
{
    public static LedgerBalance Empty(string currency) => new(currency, 0, 0, 0, 0, 0, 0);

    public bool Balances => checked(PaidMinor - RefundedMinor) == checked(GatewayMinor + HeldByAgentsMinor + HeldBySellerMinor + RemittedMinor);

    /// <summary>This balance after <paramref name="entry"/>; checked arithmetic, so an overflow throws instead of wrapping.</summary>
    public LedgerBalance After(LedgerEntry entry)
    {
        var a = entry.AmountMinor;
        return checked(entry.Kind switch
        {
            LedgerEntryKind.PaidViaGateway => this with { PaidMinor = PaidMinor + a, GatewayMinor = GatewayMinor + a },
            LedgerEntryKind.CashHeldByAgent => this with { PaidMinor = PaidMinor + a, HeldByAgentsMinor = HeldByAgentsMinor + a },
            LedgerEntryKind.CashHeldBySeller => this with { PaidMinor = PaidMinor + a, HeldBySellerMinor = HeldBySellerMinor + a },
            LedgerEntryKind.RefundViaGateway => this with { RefundedMinor = RefundedMinor + a, GatewayMinor = GatewayMinor - a },
            LedgerEntryKind.RefundFromAgentCash => this with { RefundedMinor = RefundedMinor + a, HeldByAgentsMinor = HeldByAgentsMinor - a },
            LedgerEntryKind.RefundFromSellerCash => this with { RefundedMinor = RefundedMinor + a, HeldBySellerMinor = HeldBySellerMinor - a },
            LedgerEntryKind.RemittanceConfirmed => this with { HeldByAgentsMinor = HeldByAgentsMinor - a, RemittedMinor = RemittedMinor + a },
            _ => throw new ArgumentOutOfRangeException(nameof(entry), entry.Kind, "Unknown ledger entry kind."),
        });
    }
}

/// <summary>
/// A seller's balances per currency and the ids of the entries already applied. Pure, so the
/// grain and the model-based test run the same arithmetic.
/// </summary>
[GenerateSerializer]
public sealed class LedgerBook
{
    [Id(0)]
    public Dictionary<string, LedgerBalance> Balances { get; set; } = new(StringComparer.Ordinal);

    [Id(1)]
    public HashSet<string> Applied { get; set; } = new(StringComparer.Ordinal);

    [Id(2)]
    public List<LedgerEntry> Entries { get; set; } = [];

    /// <summary>Applies the entry unless its id was applied before; false for a duplicate. A failed check leaves the book unchanged.</summary>
    public bool Apply(LedgerEntry entry)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(entry.AmountMinor);
        if (Applied.Contains(entry.EntryId))
        {
            return false;
        }

        var after = (Balances.GetValueOrDefault(entry.Currency) ?? LedgerBalance.Empty(entry.Currency)).After(entry);
        if (!after.Balances)
        {
            throw new InvalidOperationException($"Ledger entry {entry.EntryId} would unbalance the ledger.");
        }

        Balances[entry.Currency] = after;
        Applied.Add(entry.EntryId);
        Entries.Add(entry);
        return true;
    }
}

/// <summary>Cash an agent handed to a seller; the agent's held cash falls only when the seller confirms.</summary>
public enum RemittanceStatus
{
    Pending,
    Confirmed,
}

[GenerateSerializer, Immutable]
public sealed record Remittance(
    [property: Id(0)] string RemittanceId,
    [property: Id(1)] string AgentId,
    [property: Id(2)] string SellerId,
    [property: Id(3)] string Currency,
    [property: Id(4)] long AmountMinor,
    [property: Id(5)] RemittanceStatus Status,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] DateTimeOffset? ConfirmedAt = null);

/// <summary>A seller's day: the entries of that UTC day, and the balances at its end.</summary>
[GenerateSerializer, Immutable]
public sealed record LedgerStatement(
    [property: Id(0)] string SellerId,
    [property: Id(1)] DateOnly Date,
    [property: Id(2)] IReadOnlyList<LedgerEntry> Entries,
    [property: Id(3)] IReadOnlyList<LedgerBalance> ClosingBalances);

/// <summary>One seller's money (key: seller id). Entries are idempotent by id.</summary>
public interface ISellerLedgerGrain : IGrainWithStringKey
{
    Task Post(IReadOnlyList<LedgerEntry> entries);

    [Orleans.Concurrency.AlwaysInterleave]
    Task<IReadOnlyList<LedgerBalance>> GetBalances();

    [Orleans.Concurrency.AlwaysInterleave]
    Task<LedgerStatement> GetStatement(DateOnly date);

    /// <summary>An agent says it handed over cash; idempotent by remittance id.</summary>
    Task AddPendingRemittance(Remittance remittance);

    /// <summary>The seller confirms; the ledger moves the cash from held-by-agents to remitted, and the agent's held cash falls.</summary>
    Task<Common.Outcome<Remittance>> ConfirmRemittance(string remittanceId);

    [Orleans.Concurrency.AlwaysInterleave]
    Task<IReadOnlyList<Remittance>> ListRemittances();
}

/// <summary>What one agent holds for one seller in one currency.</summary>
[GenerateSerializer, Immutable]
public sealed record AgentCashHeld(
    [property: Id(0)] string SellerId,
    [property: Id(1)] string Currency,
    [property: Id(2)] long HeldMinor,
    [property: Id(3)] long PendingRemittanceMinor);

/// <summary>The cash one agent holds (key: agent id), per seller and currency.</summary>
public interface IAgentCashGrain : IGrainWithStringKey
{
    /// <summary>Cash taken (positive) or handed back (negative) for a seller; idempotent by entry id.</summary>
    Task Record(string entryId, string sellerId, string currency, long deltaMinor);

    [Orleans.Concurrency.AlwaysInterleave]
    Task<IReadOnlyList<AgentCashHeld>> GetHeld();

    /// <summary>Records a hand-over to a seller, pending the seller's confirmation; at most what is held and not already pending.</summary>
    Task<Common.Outcome<Remittance>> Remit(string sellerId, string currency, long amountMinor);

    /// <summary>The seller confirmed: the held cash falls. Idempotent by remittance id.</summary>
    Task Settle(string remittanceId);
}
