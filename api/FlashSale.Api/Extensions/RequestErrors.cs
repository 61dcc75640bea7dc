using FlashSale.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FlashSale.Api.Extensions;

/// <summary>
/// Collects field errors of one request, so a form can show each beside its field; answered as
/// a 400 <c>invalid-request</c> validation problem with an <c>errors</c> map. Messages are kept in
/// every language and written in the request's; the map's keys are the contract's field names.
/// </summary>
public sealed class RequestErrors
{
    private readonly Dictionary<string, List<LocalText>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public RequestErrors Add(string field, LocalText message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
        return this;
    }

    public RequestErrors Text(string field, string? value, bool required = true, int max = Lots.LotLimits.MaxTextLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return required ? Add(field, ApiTexts.Required.Format(field)) : this;
        }

        if (value.Length > max)
        {
            Add(field, ApiTexts.TooLong.Format(field, max));
        }

        if (value.Any(char.IsControl))
        {
            Add(field, ApiTexts.ControlCharacters.Format(field));
        }

        // Format characters (Unicode Cf: zero-width spaces and joiners, the byte-order mark,
        // right-to-left overrides and isolates) do not show, yet change what a reader sees: a
        // name with U+202E can display as another seller's or end in a fake ".exe". A name is
        // shown to strangers, so what is stored must be what is seen (docs/security.md).
        if (value.EnumerateRunes().Any(IsInvisible))
        {
            Add(field, ApiTexts.InvisibleCharacters.Format(field));
        }

        return this;
    }

    /// <summary>Unicode Cf (format), and the line and paragraph separators, which break a line where none shows.</summary>
    // By rune, so the format characters outside the BMP (the tag characters U+E0000–U+E007F) count too.
    private static bool IsInvisible(System.Text.Rune r) => System.Text.Rune.GetUnicodeCategory(r) is System.Globalization.UnicodeCategory.Format
        or System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator;

    public RequestErrors Range(string field, long? value, long min, long max, bool required = true)
    {
        if (value is null)
        {
            return required ? Add(field, ApiTexts.Required.Format(field)) : this;
        }

        return value < min || value > max ? Add(field, ApiTexts.OutOfRange.Format(field, min, max)) : this;
    }

    public ValidationProblem ToProblem() => TypedResults.ValidationProblem(
        _errors.ToDictionary(e => e.Key, e => e.Value.Select(m => m.ForReader()).ToArray()),
        detail: ApiTexts.FieldsNotValid.ForReader(),
        title: Problems.TitleOf(Problems.InvalidRequest),
        type: Problems.TypeOf(Problems.InvalidRequest));
}
