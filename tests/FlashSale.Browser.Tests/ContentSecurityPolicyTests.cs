using System.Text.Json;
using FlashSale.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FlashSale.Browser.Tests;

/// <summary>
/// The client runs whole under its Content-Security-Policy (no inline script but its own, by
/// hash): every page, the lazy SignalR chunk and the hub's WebSocket, with no violation reported.
/// A future inline script, event-handler attribute, eval or injected style fails here.
/// </summary>
[Collection(LiveAppCollection.Name)]
public sealed class ContentSecurityPolicyTests(LiveApp app)
{
    // Runs before any of the page's scripts (the browser injects it, so the policy does not apply to it).
    private const string RecordViolations = """
        window.__cspViolations = [];
        document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
        """;

    [Fact]
    public async Task Every_page_of_the_client_runs_with_no_policy_violation()
    {
        var (_, sellerToken) = await app.SignUp("seller", "Qian Li");
        var lotId = await app.CreateLot(sellerToken, "Ningxia goji berries", quantity: 20);
        var (page, console) = await OpenRecording();

        var response = await page.GotoAsync("/#/");
        var policy = response!.Headers["content-security-policy"];
        Assert.Contains("script-src 'self' 'sha256-", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        await LiveApp.WaitReady(page);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Ningxia goji berries" })).ToBeVisibleAsync();

        await page.GotoAsync($"/#/lot/{lotId}");
        await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-state", "live"); // the lazy chunk and the WebSocket both loaded
        await page.GetByLabel("Your name").FillAsync("Bai Yun");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add to cart" }).ClickAsync();
        await Expect(page.Locator("#hold")).ToContainTextAsync("Held for you: 1.");
        var pages = new[] { "#/cart", "#/orders", "#/seller", $"#/seller/orders/{lotId}", "#/seller/money", "#/agent", "#/agent/parcels", "#/account" };
        for (var i = 0; i < pages.Length; i++)
        {
            // A new document each time (the query differs), so every page runs its first load too.
            await page.GotoAsync($"/?page={i}{pages[i]}");
            await LiveApp.WaitReady(page);
        }

        Assert.Empty(await Violations(page));
        Assert.Empty(console);
        await page.Context.CloseAsync();
    }

    /// <summary>The control: the recorder does see a violation, and the policy does stop an inline script.</summary>
    [Fact]
    public async Task An_injected_inline_script_is_blocked_and_reported()
    {
        var (page, _) = await OpenRecording();
        await page.GotoAsync("/#/");
        await LiveApp.WaitReady(page);

        await page.EvaluateAsync("""
            () => {
              const script = document.createElement("script");
              script.textContent = "window.__injectedRan = true;";
              document.head.append(script);
            }
            """);

        await page.WaitForFunctionAsync("() => window.__cspViolations.length > 0");
        Assert.Contains(await Violations(page), v => v.StartsWith("script-src", StringComparison.Ordinal));
        Assert.False(await page.EvaluateAsync<bool>("() => window.__injectedRan === true"));
        await page.Context.CloseAsync();
    }

    private async Task<(IPage Page, List<string> Console)> OpenRecording()
    {
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseUrl.ToString(), ViewportSize = LiveApp.Phone, Locale = "en-US" });
        context.SetDefaultTimeout(15_000);
        await context.AddInitScriptAsync(RecordViolations);
        var page = await context.NewPageAsync();
        var console = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                lock (console)
                {
                    console.Add(message.Text);
                }
            }
        };
        return (page, console);
    }

    private static async Task<string[]> Violations(IPage page) =>
        (await page.EvaluateAsync<JsonElement>("() => window.__cspViolations")).EnumerateArray().Select(v => v.GetString() ?? "").ToArray();
}
