using Microsoft.AspNetCore.Http.HttpResults;

namespace FlashSale.Api.Extensions;

/// <summary>
/// Collects field errors of one request, so a form can show each beside its field; answered as
/// a 400 <c>invalid-request</c> validation problem with an <c>errors</c> map.
/// </summary>
public sealed class RequestErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public RequestErrors Add(string field, string message)
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
            return required ? Add(field, $"{field} is required.") : this;
        }

        if (value.Length > max)
        {
            Add(field, $"{field} must be at most {max} characters.");
        }

        if (value.Any(char.IsControl))
        {
            Add(field, $"{field} must not contain control characters.");
        }

        return this;
    }

    public RequestErrors Range(string field, long? value, long min, long max)
    {
        if (value is null)
        {
            return Add(field, $"{field} is required.");
        }

        return value < min || value > max ? Add(field, $"{field} must be between {min} and {max}.") : this;
    }

    public ValidationProblem ToProblem() => TypedResults.ValidationProblem(
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray()),
        detail: "One or more fields are not valid.",
        title: Problems.TitleOf(Problems.InvalidRequest),
        type: Problems.TypeOf(Problems.InvalidRequest));
}
