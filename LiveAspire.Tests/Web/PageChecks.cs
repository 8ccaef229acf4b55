using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace LiveAspire.Tests.Web;

/// <summary>
/// The checks every page of the site must pass, written once for every browser test to reuse (accounts now, the
/// stream page next): no <c>securitypolicyviolation</c> since the page loaded, no serious or critical axe-core
/// violation, and no sideways scrolling at 360 px wide. Screenshots (as the test's viewport and at 360 px) go to
/// <c>artifacts/screenshots/web/</c>, which no test run deletes.
/// </summary>
public static class PageChecks
{
    public const float Timeout = 30_000;

    /// <summary>The narrowest phone width the site supports.</summary>
    public const int NarrowWidth = 360;

    /// <summary>Runs before any script of a page: every violation the browser reports is recorded.</summary>
    public const string RecordViolations = """
        window.cspViolations = [];
        document.addEventListener('securitypolicyviolation', e => window.cspViolations.push(
          `${e.effectiveDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`));
        """;

    public static string ScreenshotFolder => Directory.CreateDirectory(Path.Combine(AppHostProcess.RepositoryRoot, "artifacts", "screenshots", "web")).FullName;

    /// <summary>A context whose pages record CSP violations (call once per context, before its pages load).</summary>
    public static async Task<IBrowserContext> NewContextAsync(IBrowser browser, BrowserNewContextOptions? options = null)
    {
        var context = await browser.NewContextAsync(options ?? new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(Timeout);
        await context.AddInitScriptAsync(RecordViolations);
        return context;
    }

    /// <summary>
    /// For a test that is failing: saves a screenshot <c>failed-{name}.png</c> and writes the page's address and
    /// text to the test output, so the failure says what the browser showed. Call from a catch block, then rethrow.
    /// </summary>
    public static async Task ReportFailureAsync(IPage page, Xunit.Abstractions.ITestOutputHelper output, string name)
    {
        try
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, $"failed-{name}.png"), FullPage = true });
            output.WriteLine($"page at failure: {page.Url}\n{await page.InnerTextAsync("body")}");
        }
        catch (PlaywrightException e)
        {
            output.WriteLine($"could not report the page: {e.Message}");
        }
    }

    /// <summary>Opens <paramref name="url"/> in a new page of <paramref name="context"/> and checks it (<see cref="AssertAsync"/>).</summary>
    public static async Task<IPage> VisitAsync(IBrowserContext context, string url, string name)
    {
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        Assert.True(response is { Ok: true }, $"{url} answered {response?.Status}");
        await AssertAsync(page, name);
        return page;
    }

    /// <summary>
    /// Checks the page as it is now: zero CSP violations, no serious or critical axe-core violation, and at 360 px
    /// wide no sideways scroll. Saves <c>{name}.png</c> and <c>{name}-360.png</c>; returns the first one's path.
    /// </summary>
    public static async Task<string> AssertAsync(IPage page, string name)
    {
        var violations = await page.EvaluateAsync<string[]?>("() => window.cspViolations ?? null");
        Assert.True(violations is not null, $"{name}: the page was not opened in a context from PageChecks.NewContextAsync");
        Assert.True(violations.Length == 0, $"{name} ({page.Url}): Content-Security-Policy violations: {string.Join("; ", violations)}");

        var axe = await page.RunAxe();
        var serious = axe.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{name} ({page.Url}): axe-core found " + string.Join("; ", serious.Select(v =>
            $"{v.Impact} {v.Id} ({v.Help}) at {string.Join(", ", v.Nodes.Take(3).Select(n => n.Html))}")));

        var path = Path.Combine(ScreenshotFolder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });

        var viewport = page.ViewportSize;
        await page.SetViewportSizeAsync(NarrowWidth, 800);
        try
        {
            var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + "-360.png"), FullPage = true });
            Assert.True(widths[0] <= widths[1], $"{name} ({page.Url}) scrolls sideways at {NarrowWidth} px: content {widths[0]} px wide, viewport {widths[1]} px");
        }
        finally
        {
            if (viewport is not null)
            {
                await page.SetViewportSizeAsync(viewport.Width, viewport.Height);
            }
        }
        return path;
    }
}
