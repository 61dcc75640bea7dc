namespace FlashSale.Common;

/// <summary>
/// Why a command was refused. A refused command changes no state, so a refusal is an answer,
/// not a failure: grains return it instead of throwing, which keeps the hot path free of
/// exceptions and lets the API map it to a problem response without guessing.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Refusal([property: Id(0)] RefusalCode Code, [property: Id(1)] string Detail)
{
    public static Refusal NotFound(string what) => new(RefusalCode.NotFound, $"{what} was not found.");
    public static Refusal Forbidden(string detail) => new(RefusalCode.Forbidden, detail);
    public static Refusal Conflict(string detail) => new(RefusalCode.Conflict, detail);
    public static Refusal Invalid(string detail) => new(RefusalCode.InvalidRequest, detail);
}
