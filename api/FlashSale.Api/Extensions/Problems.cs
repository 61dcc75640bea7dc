using FlashSale.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FlashSale.Api.Extensions;

/// <summary>
/// The contract's problem types. Every 4xx and 5xx answer is <c>application/problem+json</c> whose
/// <c>type</c> ends in one of these codes, so a client can branch on it without parsing prose.
/// </summary>
public static class Problems
{
    public const string TypePrefix = "urn:flashsale:problem:";

    public const string InvalidRequest = "invalid-request";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not-found";
    public const string SoldOut = "sold-out";
    public const string LimitExceeded = "limit-exceeded";
    public const string SaleNotLive = "sale-not-live";
    public const string CurrencyMismatch = "currency-mismatch";
    public const string Conflict = "conflict";
    public const string IdempotencyKeyRequired = "idempotency-key-required";
    public const string IdempotencyKeyReused = "idempotency-key-reused";
    public const string IdempotencyKeyInFlight = "idempotency-key-in-flight";
    public const string RateLimited = "rate-limited";
    public const string SignatureInvalid = "signature-invalid";

    /// <summary>Not a client error: the engine could not answer now, and a retry may succeed (503).</summary>
    public const string Unavailable = "unavailable";

    /// <summary>A bug: never the answer to any input (500).</summary>
    public const string Internal = "internal";

    public static string TypeOf(string code) => TypePrefix + code;

    public static ProblemHttpResult Problem(int status, string code, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: TitleOf(code), type: TypeOf(code));

    public static ProblemHttpResult From(Refusal refusal) => refusal.Code switch
    {
        RefusalCode.InvalidRequest => Problem(StatusCodes.Status400BadRequest, InvalidRequest, refusal.Detail),
        RefusalCode.Unauthorized => Problem(StatusCodes.Status401Unauthorized, Unauthorized, refusal.Detail),
        RefusalCode.Forbidden => Problem(StatusCodes.Status403Forbidden, Forbidden, refusal.Detail),
        RefusalCode.NotFound => Problem(StatusCodes.Status404NotFound, NotFound, refusal.Detail),
        RefusalCode.SoldOut => Problem(StatusCodes.Status409Conflict, SoldOut, refusal.Detail),
        RefusalCode.LimitExceeded => Problem(StatusCodes.Status409Conflict, LimitExceeded, refusal.Detail),
        RefusalCode.SaleNotLive => Problem(StatusCodes.Status409Conflict, SaleNotLive, refusal.Detail),
        RefusalCode.CurrencyMismatch => Problem(StatusCodes.Status409Conflict, CurrencyMismatch, refusal.Detail),
        _ => Problem(StatusCodes.Status409Conflict, Conflict, refusal.Detail),
    };

    public static ProblemHttpResult NotFoundProblem(string what) => Problem(StatusCodes.Status404NotFound, NotFound, $"{what} was not found.");

    /// <summary>The code a bare status gets when nothing more specific was said.</summary>
    public static string CodeForStatus(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => Unauthorized,
        StatusCodes.Status403Forbidden => Forbidden,
        StatusCodes.Status404NotFound => NotFound,
        StatusCodes.Status409Conflict => Conflict,
        StatusCodes.Status429TooManyRequests => RateLimited,
        StatusCodes.Status503ServiceUnavailable => Unavailable,
        >= 500 => Internal,
        _ => InvalidRequest,
    };

    public static string TitleOf(string code) => code switch
    {
        InvalidRequest => "The request is not valid.",
        Unauthorized => "A valid bearer token is required.",
        Forbidden => "You may not do this.",
        NotFound => "Not found.",
        SoldOut => "Sold out.",
        LimitExceeded => "Per-shopper limit reached.",
        SaleNotLive => "The sale is not live.",
        CurrencyMismatch => "The cart holds another currency.",
        IdempotencyKeyRequired => "An Idempotency-Key header is required.",
        IdempotencyKeyReused => "This Idempotency-Key was used with another request.",
        IdempotencyKeyInFlight => "A request with this Idempotency-Key is still running.",
        RateLimited => "Too many requests.",
        SignatureInvalid => "The signature is not valid.",
        Unavailable => "The engine is briefly unavailable.",
        Internal => "Something went wrong on our side.",
        _ => "The request conflicts with the current state.",
    };
}
