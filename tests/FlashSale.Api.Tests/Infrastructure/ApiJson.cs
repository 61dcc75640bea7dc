using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FlashSale.Api.Extensions;

namespace FlashSale.Api.Tests.Infrastructure;

/// <summary>JSON as the contract writes it, and the checks every answer gets.</summary>
public static class ApiJson
{
    public const string ProblemMediaType = "application/problem+json";

    /// <summary>The API's own settings (camelCase, kebab-case enums) on the web defaults it starts from.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>A body sent byte for byte as written, so a test can send what no serializer would.</summary>
    public static StringContent Raw(string body, string mediaType = "application/json") =>
        new(body, Encoding.UTF8, new MediaTypeHeaderValue(mediaType));

    public static async Task<T> ReadAs<T>(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, Options) ?? throw new InvalidOperationException("The answer had no body.");
    }

    /// <summary>Asserts an RFC 9457 problem with this status whose <c>type</c> ends in the contract's <paramref name="code"/>.</summary>
    public static async Task<JsonElement> ReadProblem(this HttpResponseMessage response, HttpStatusCode expected, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected} {code}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(ProblemMediaType, response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        var problem = document.RootElement.Clone();
        var type = problem.GetProperty("type").GetString() ?? "";
        Assert.True(type.EndsWith(":" + code, StringComparison.Ordinal), $"expected a type ending in {code}, got {type}");
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>The names of an object's properties, to compare with the contract's.</summary>
    public static IReadOnlySet<string> PropertyNames(JsonElement element) =>
        element.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ApiExtensions.ConfigureContractJson(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
