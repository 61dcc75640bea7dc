using System.Text.Json;
using System.Text.Json.Serialization;
using FlashSale.LoadTests.Harness;

namespace FlashSale.LoadTests.Reports;

/// <summary>Writes a run's three reports side by side: Markdown, a self-contained HTML page, and JSON.</summary>
public static class ReportWriter
{
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static IReadOnlyList<string> Write(RunReport report, string directory)
    {
        Directory.CreateDirectory(directory);
        var stem = Path.Combine(directory, report.Scenario);
        var paths = new[] { stem + ".md", stem + ".html", stem + ".json" };
        File.WriteAllText(paths[0], MarkdownReport.Render(report));
        File.WriteAllText(paths[1], HtmlReport.Render(report));
        File.WriteAllText(paths[2], JsonSerializer.Serialize(report, JsonOptions));
        return paths;
    }

    public static RunReport Read(string path) =>
        JsonSerializer.Deserialize<RunReport>(File.ReadAllText(path), JsonOptions) ?? throw new InvalidDataException($"{path} holds no report.");
}
