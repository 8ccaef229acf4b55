using Aspire.Hosting.Testing;
using LiveAspire.Web;

namespace LiveAspire.Tests.Web;

/// <summary>The site's headers as the AppHost runs it: pages, static files, status pages and the overlay's path.</summary>
[Collection(SystemCollection.Name)]
public sealed class WebSecurityHeadersTests(AppHostFixture system)
{
    /// <summary>The policy the pages must carry: scripts and styles from the site only, connections to Realtime's address.</summary>
    private string ExpectedPolicy()
    {
        var realtime = system.App.GetEndpoint("realtime", "http");
        return ContainsRealtime(WebSecurityHeaders.ContentSecurityPolicy(new BrowserEndpoints { Realtime = realtime }), realtime);
    }

    private static string ContainsRealtime(string policy, Uri realtime)
    {
        Assert.Contains($"connect-src 'self' http://{realtime.Authority} ws://{realtime.Authority};", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
        return policy;
    }

    [Fact]
    public async Task PagesStaticFilesAndStatusPagesCarryThePolicyAndTheOtherSecurityHeaders()
    {
        var policy = ExpectedPolicy();
        using var web = system.CreateHttpClient("web");
        var pages = WebPages.All((await StreamChannels.CreateAsync(system, "Header check")).Slug).Where(p => !p.StartsWith(WebSecurityHeaders.OverlayPath, StringComparison.Ordinal));
        string[] files = ["/app.css", "/lib/signalr/signalr.min.js", "/js/live-client.js", "/health"];

        foreach (var path in pages.Concat(files))
        {
            using var response = await web.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
            response.AssertSecurityHeaders(policy);
        }
        using var missing = await web.GetAsync("/no-such-page");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        missing.AssertSecurityHeaders(policy);
    }

    [Fact]
    public async Task TheOverlayPathMayBeFramedByStreamingSoftwareAndNothingElseMay()
    {
        var policy = ExpectedPolicy();
        using var web = system.CreateHttpClient("web");

        using var overlay = await web.GetAsync(WebSecurityHeaders.OverlayPath);
        using var overlayBelow = await web.GetAsync(WebSecurityHeaders.OverlayPath + "/some-channel");
        using var home = await web.GetAsync("/");

        overlay.AssertSecurityHeaders(policy, embeddableBy: "*");
        overlayBelow.AssertSecurityHeaders(policy, embeddableBy: "*");
        home.AssertSecurityHeaders(policy);
    }
}
