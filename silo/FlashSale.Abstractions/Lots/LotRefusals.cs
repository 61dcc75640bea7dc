using FlashSale.Common;

namespace FlashSale.Lots;

/// <summary>
/// The lot's refusals of an increase, in one place: the lot decides with them, and an API host
/// that answers at the edge (<c>LotEdgeCache</c>) sends exactly the same words.
/// </summary>
public static class LotRefusals
{
    /// <summary><c>sold-out</c> when nothing is left.</summary>
    public static Refusal SoldOut { get; } = new(RefusalCode.SoldOut, EngineTexts.LotSoldOut);

    /// <summary><c>sold-out</c> when fewer than asked are left.</summary>
    public static Refusal OnlyLeft(int available, string unit) =>
        new(RefusalCode.SoldOut, EngineTexts.OnlyLeft.Format(available, unit));

    /// <summary><c>sale-not-live</c> for a lot that is scheduled, paused or ended.</summary>
    public static Refusal SaleNotLive(LotStatus status) =>
        new(RefusalCode.SaleNotLive, EngineTexts.SaleIs.Format(Describe(status)));

    private static LocalText Describe(LotStatus status) => status switch
    {
        LotStatus.Scheduled => EngineTexts.SaleNotOpenYet,
        LotStatus.Paused => EngineTexts.SalePaused,
        LotStatus.Ended => EngineTexts.SaleOver,
        _ => EngineTexts.SaleLive,
    };
}

/// <summary>
/// What an API host needs to answer an increase at the edge without asking the lot: the lot's
/// committed status at <see cref="Version"/> and who holds any of it then. <see cref="Holders"/>
/// is null when more shoppers hold the lot than the host asked for: such a host cannot tell an
/// increase from a decrease, so it always asks the lot.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LotEdgeView(
    [property: Id(0)] long Version,
    [property: Id(1)] LotStatus Status,
    [property: Id(2)] int PerShopperLimit,
    [property: Id(3)] IReadOnlyList<string>? Holders);
