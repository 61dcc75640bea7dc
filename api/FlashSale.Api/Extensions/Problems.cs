using FlashSale.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FlashSale.Api.Extensions;

/// <summary>
/// The contract's problem types. Every 4xx and 5xx answer is <c>application/problem+json</c> whose
/// <c>type</c> ends in one of these codes, so a client can branch on it without parsing prose.
/// The prose (<c>title</c>, <c>detail</c>) is in the request's language; the codes never change.
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

    /// <summary>A problem whose detail is read by a person, in the request's language.</summary>
    public static ProblemHttpResult Problem(int status, string code, LocalText detail) => Problem(status, code, detail.ForReader());

    /// <summary>A problem whose detail is already in its final words (a payment gateway's, read by its developers).</summary>
    public static ProblemHttpResult Problem(int status, string code, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: TitleOf(code), type: TypeOf(code));

    public static ProblemHttpResult From(Refusal refusal)
    {
        var detail = refusal.DetailIn(System.Globalization.CultureInfo.CurrentUICulture);
        return refusal.Code switch
        {
            RefusalCode.InvalidRequest => Problem(StatusCodes.Status400BadRequest, InvalidRequest, detail),
            RefusalCode.Unauthorized => Problem(StatusCodes.Status401Unauthorized, Unauthorized, detail),
            RefusalCode.Forbidden => Problem(StatusCodes.Status403Forbidden, Forbidden, detail),
            RefusalCode.NotFound => Problem(StatusCodes.Status404NotFound, NotFound, detail),
            RefusalCode.SoldOut => Problem(StatusCodes.Status409Conflict, SoldOut, detail),
            RefusalCode.LimitExceeded => Problem(StatusCodes.Status409Conflict, LimitExceeded, detail),
            RefusalCode.SaleNotLive => Problem(StatusCodes.Status409Conflict, SaleNotLive, detail),
            RefusalCode.CurrencyMismatch => Problem(StatusCodes.Status409Conflict, CurrencyMismatch, detail),
            _ => Problem(StatusCodes.Status409Conflict, Conflict, detail),
        };
    }

    /// <summary>404 <c>not-found</c>: "{what} was not found.", with <paramref name="what"/> from <see cref="EngineTexts"/>.</summary>
    public static ProblemHttpResult NotFoundProblem(LocalText what) => Problem(StatusCodes.Status404NotFound, NotFound, EngineTexts.NotFound.Format(what));

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

    /// <summary>The title of <paramref name="code"/>, in the request's language.</summary>
    public static string TitleOf(string code) => TitleTextOf(code).ForReader();

    public static LocalText TitleTextOf(string code) => code switch
    {
        InvalidRequest => ApiTexts.InvalidRequestTitle,
        Unauthorized => ApiTexts.UnauthorizedTitle,
        Forbidden => ApiTexts.ForbiddenTitle,
        NotFound => ApiTexts.NotFoundTitle,
        SoldOut => ApiTexts.SoldOutTitle,
        LimitExceeded => ApiTexts.LimitExceededTitle,
        SaleNotLive => ApiTexts.SaleNotLiveTitle,
        CurrencyMismatch => ApiTexts.CurrencyMismatchTitle,
        IdempotencyKeyRequired => ApiTexts.IdempotencyKeyRequiredTitle,
        IdempotencyKeyReused => ApiTexts.IdempotencyKeyReusedTitle,
        IdempotencyKeyInFlight => ApiTexts.IdempotencyKeyInFlightTitle,
        RateLimited => ApiTexts.RateLimitedTitle,
        SignatureInvalid => ApiTexts.SignatureInvalidTitle,
        Unavailable => ApiTexts.UnavailableTitle,
        Internal => ApiTexts.InternalTitle,
        _ => ApiTexts.ConflictTitle,
    };
}
