using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace FlashSale.Browser.Tests.Infrastructure;

/// <summary>
/// Runs axe-core (pinned in client-web's devDependencies) on the page as it is now and fails with
/// every violation spelled out: the rule, its impact, what it asks for and each offending element.
/// </summary>
public static class Axe
{
    private static readonly string ScriptPath = Path.Combine(LiveApp.RepositoryRoot, "client-web", "node_modules", "axe-core", "axe.min.js");

    public static async Task AssertNoViolations(IPage page, string what)
    {
        if (!File.Exists(ScriptPath))
        {
            throw new FileNotFoundException($"axe-core is not installed: run `npm ci` in client-web ({ScriptPath}).");
        }

        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            // Evaluated, not added as a <script> tag: the page's Content-Security-Policy refuses
            // inline scripts it has no hash for, and a test must not weaken it.
            await page.EvaluateAsync(await File.ReadAllTextAsync(ScriptPath));
        }

        var answer = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const result = await axe.run(document, { resultTypes: ["violations"] });
              return { passes: result.passes.length, violations: result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => n.target.join(" ") + "\n      " + (n.failureSummary || "").replace(/\n/g, "\n      ")),
              })) };
            }
            """);
        // A run that checked nothing would pass vacuously.
        Assert.True(answer.GetProperty("passes").GetInt32() > 0, $"axe-core checked no rule on {what}");
        var violations = answer.GetProperty("violations");
        if (violations.GetArrayLength() == 0)
        {
            return;
        }

        var report = new StringBuilder($"axe-core found {violations.GetArrayLength()} violation(s) on {what} ({page.Url}):\n");
        foreach (var v in violations.EnumerateArray())
        {
            report.Append(System.Globalization.CultureInfo.InvariantCulture, $"- {v.GetProperty("id").GetString()} [{v.GetProperty("impact").GetString()}]: {v.GetProperty("help").GetString()} ({v.GetProperty("helpUrl").GetString()})\n");
            foreach (var node in v.GetProperty("nodes").EnumerateArray())
            {
                report.Append("    ").Append(node.GetString()).Append('\n');
            }
        }

        Assert.Fail(report.ToString());
    }
}
