namespace FlashSale.Common;

/// <summary>
/// The stable refusal codes of the public contract. Each maps to one HTTP status and to the
/// last segment of the problem <c>type</c>; see <c>docs/api.md</c>.
/// </summary>
public enum RefusalCode
{
    InvalidRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    SoldOut,
    LimitExceeded,
    SaleNotLive,
    CurrencyMismatch,
    Conflict,
}
