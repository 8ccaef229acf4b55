using Aspire.Hosting.Testing;
using Microsoft.Playwright;

namespace LiveAspire.Tests.Web;

/// <summary>
/// Every page of the site in Chromium, as the AppHost runs it (signed out): the Content-Security-Policy reaches the
/// browser and nothing on any page violates it (no inline script or style, nothing from elsewhere), and every page
/// passes the other <see cref="PageChecks"/> too (axe-core, 360 px), so a page added later is checked without a test
/// of its own. Pages behind sign-in are checked signed in by <see cref="WebAccountTests"/>.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class WebPagesContentSecurityPolicyTests(AppHostFixture system)
{
    private static readonly float Timeout = 30_000;

    /// <summary>An inline script added after load: the policy must block it (so it is really enforced) and report it.</summary>
    private const string InlineScriptProbe = """
        () => { const s = document.createElement('script'); s.textContent = 'window.probeRan = true'; document.head.appendChild(s); }
        """;

    [Fact]
    public async Task NoPageViolatesTheContentSecurityPolicy()
    {
        var web = system.App.GetEndpoint("web", "http");
        var screenshots = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "liveaspire-web-csp")).FullName;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright, Timeout);
        await using var context = await PageChecks.NewContextAsync(browser);

        foreach (var path in WebPages.All((await StreamChannels.CreateAsync(system, "CSP check")).Slug))
        {
            var page = await context.NewPageAsync();
            var errors = new List<string>();
            page.PageError += (_, error) => errors.Add(error);
            // A refused stylesheet or script (wrong MIME type under nosniff, a blocked load) is a console error. A 404
            // is not this test's business: the site has no favicon yet, and the overlay's path no page yet.
            page.Console += (_, message) =>
            {
                if (message.Type == "error" && !message.Text.Contains("status of 404", StringComparison.Ordinal))
                {
                    errors.Add($"{message.Text} ({message.Location})");
                }
            };

            var response = await page.GotoAsync(new Uri(web, path).ToString(), new PageGotoOptions { Timeout = Timeout, WaitUntil = WaitUntilState.NetworkIdle });
            var afterLoad = await page.EvaluateAsync<string[]>("() => window.cspViolations");
            var loadErrors = errors.ToList(); // the probe below logs its own refusal
            var name = path.Trim('/').Replace('/', '_');
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, (name.Length > 0 ? name : "home") + ".png"), FullPage = true, Timeout = Timeout });
            Assert.True(afterLoad.Length == 0, $"{path}: {string.Join("; ", afterLoad)}");
            await PageChecks.AssertAsync(page, "all-" + (name.Length > 0 ? name.Replace("?", "_", StringComparison.Ordinal) : "home"));
            await page.EvaluateAsync(InlineScriptProbe);
            await page.WaitForFunctionAsync("() => window.cspViolations.length > 0", null, new PageWaitForFunctionOptions { Timeout = Timeout });

            Assert.NotNull(response);
            Assert.Contains("script-src 'self'", (await response.AllHeadersAsync()).GetValueOrDefault("content-security-policy") ?? "", StringComparison.Ordinal);
            Assert.True(afterLoad.Length == 0, $"{path}: {string.Join("; ", afterLoad)}");
            Assert.Equal(["script-src-elem blocked inline"], (await page.EvaluateAsync<string[]>("() => window.cspViolations")).Select(v => v[..v.IndexOf(" at ", StringComparison.Ordinal)]));
            Assert.False(await page.EvaluateAsync<bool>("() => window.probeRan === true"), $"{path}: an inline script ran");
            Assert.True(loadErrors.Count == 0, $"{path}: {string.Join("; ", loadErrors)}");
            await page.CloseAsync();
        }
    }
}
