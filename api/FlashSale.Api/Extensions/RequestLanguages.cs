using System.Globalization;
using FlashSale.Common;
using Microsoft.AspNetCore.Localization;
using Microsoft.Net.Http.Headers;

namespace FlashSale.Api.Extensions;

/// <summary>
/// The language of the server's texts, from the request's <c>Accept-Language</c>: English
/// (<c>en</c>, the default) or Simplified Chinese (<c>zh-CN</c>). ASP.NET Core's request
/// localization sets the request's UI culture, the texts (<see cref="LocalText.ForReader"/>)
/// follow it, and <c>Content-Language</c> says which one was chosen.
/// </summary>
public static class RequestLanguages
{
    public static readonly CultureInfo English = CultureInfo.GetCultureInfo(TextLanguages.English);
    public static readonly CultureInfo ChineseSimplified = CultureInfo.GetCultureInfo(TextLanguages.ChineseSimplified);

    public static WebApplicationBuilder AddFlashSaleRequestLanguages(this WebApplicationBuilder builder)
    {
        builder.Services.AddRequestLocalization(o =>
        {
            o.DefaultRequestCulture = new RequestCulture(English);
            o.SupportedCultures = [English, ChineseSimplified];
            o.SupportedUICultures = [English, ChineseSimplified];
            o.RequestCultureProviders = [new AcceptLanguageProvider()];
            o.ApplyCurrentCultureToResponseHeaders = true;
        });
        return builder;
    }

    /// <summary>
    /// The server language a language tag asks for, or null for one it does not speak. Parent-culture
    /// fallback goes from specific to general (<c>zh-Hans-CN</c> → <c>zh-Hans</c> → <c>zh</c>) and so
    /// never reaches <c>zh-CN</c>: Simplified Chinese tags are mapped here instead. Traditional
    /// Chinese (<c>zh-TW</c>, <c>zh-HK</c>, <c>zh-Hant</c>) is not Simplified and is not mapped.
    /// </summary>
    public static string? ServerLanguageFor(string tag)
    {
        var t = tag.Trim().ToLowerInvariant();
        if (t == "en" || t.StartsWith("en-", StringComparison.Ordinal))
        {
            return TextLanguages.English;
        }

        return t is "zh" or "zh-cn" or "zh-sg" or "zh-hans" || t.StartsWith("zh-hans-", StringComparison.Ordinal)
            ? TextLanguages.ChineseSimplified
            : null;
    }

    /// <summary>The first language of <c>Accept-Language</c>, by quality, that the server speaks.</summary>
    private sealed class AcceptLanguageProvider : RequestCultureProvider
    {
        public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
        {
            var header = httpContext.Request.Headers.AcceptLanguage;
            if (header.Count == 0 || !StringWithQualityHeaderValue.TryParseList(header, out var languages))
            {
                return NullProviderCultureResult;
            }

            var chosen = languages
                .Where(l => l.Quality is not 0)
                .OrderByDescending(l => l.Quality ?? 1) // a stable sort: equal qualities keep the client's order
                .Select(l => l.Value.HasValue ? ServerLanguageFor(l.Value.Value!) : null)
                .FirstOrDefault(l => l is not null);
            return chosen is null ? NullProviderCultureResult : Task.FromResult<ProviderCultureResult?>(new ProviderCultureResult(chosen));
        }
    }
}
