namespace FlashSale.Ledger;

/// <summary>Remittance ids: <c>rem_…</c>.</summary>
public static class RemittanceIds
{
    public const string Prefix = "rem_";
}
