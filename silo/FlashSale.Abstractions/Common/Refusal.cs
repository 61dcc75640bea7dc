using System.Globalization;

namespace FlashSale.Common;

/// <summary>
/// Why a command was refused. A refused command changes no state, so a refusal is an answer,
/// not a failure: grains return it instead of throwing, which keeps the hot path free of
/// exceptions and lets the API map it to a problem response without guessing.
/// <see cref="Detail"/> is English; <see cref="DetailZhCn"/> carries the same in Simplified
/// Chinese, so the API answers in the reader's language without knowing every refusal.
/// <see cref="DetailSw"/> is the Swahili a phone shows a Kenyan number, for the refusals a phone
/// can meet (null for the rest: they read in English).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Refusal([property: Id(0)] RefusalCode Code, [property: Id(1)] string Detail, [property: Id(2)] string? DetailZhCn = null, [property: Id(3)] string? DetailSw = null)
{
    public Refusal(RefusalCode code, LocalText detail)
        : this(code, detail.En, detail.ZhCn, detail.Sw)
    {
    }

    /// <summary>The detail in <paramref name="culture"/>'s language; English when there is no translation.</summary>
    public string DetailIn(CultureInfo culture) =>
        TextLanguages.IsChineseSimplified(culture) && DetailZhCn is { } zh ? zh
        : TextLanguages.IsSwahili(culture) && DetailSw is { } sw ? sw
        : Detail;

    public static Refusal NotFound(LocalText what) => new(RefusalCode.NotFound, EngineTexts.NotFound.Format(what));
    public static Refusal Forbidden(LocalText detail) => new(RefusalCode.Forbidden, detail);
    public static Refusal Conflict(LocalText detail) => new(RefusalCode.Conflict, detail);
    public static Refusal Invalid(LocalText detail) => new(RefusalCode.InvalidRequest, detail);
}
