using LiveAspire.Api.Seeding;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LiveAspire.Tests.Web;

/// <summary>
/// The performer's dashboard in Chromium against the running system (docs/web.md, "The dashboard"): a performer
/// creates the channel and goes live from it while a viewer's stream page flips to live without a reload, and both
/// connections count across the two Realtime replicas; moderators appointed by name are listed; a replaced overlay key
/// stops the old one working. Every page passes <see cref="PageChecks"/> and is kept as a screenshot.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class DashboardTests(AppHostFixture system, ITestOutputHelper output)
{
    private string Web => system.Endpoint("web").ToString().TrimEnd('/');

    [Fact]
    public async Task APerformerGoesLiveFromTheDashboardAndTheViewersPageFlipsToLiveAndCountsBothAcrossTheReplicas()
    {
        var users = await SystemTokens.NewSeededUsersAsync(system, 2);
        var (performer, viewer) = (users[0], users[1]);
        var slug = $"d{Guid.NewGuid():N}"[..16];
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright, PageChecks.Timeout);
        await using var performerContext = await PageChecks.NewContextAsync(browser);
        await using var viewerContext = await PageChecks.NewContextAsync(browser);
        var dashboard = await performerContext.NewPageAsync();
        var page = await viewerContext.NewPageAsync();
        try
        {
            await SignInAsync(dashboard, performer, "/dashboard");
            await PageChecks.AssertAsync(dashboard, "dashboard-create");
            await dashboard.FillAsync("#create-slug", slug);
            await dashboard.FillAsync("#create-name", "Dashboard Test");
            await dashboard.FillAsync("#create-category", "Chess");
            await dashboard.FillAsync("#create-description", "Openings, slowly.");
            await dashboard.ClickAsync("[data-testid=create-channel] button[type=submit]");
            await dashboard.WaitForSelectorAsync("[data-testid=go-live]");
            Assert.Equal("Offline", (await dashboard.TextContentAsync("[data-testid=dashboard-live]"))?.Trim());
            await PageChecks.AssertAsync(dashboard, "dashboard-offline");

            await SignInAsync(page, viewer, $"/c/{slug}");
            await WaitForAsync(page, "() => document.querySelector('[data-testid=connection]')?.dataset.state === 'connected'");
            Assert.Equal("Offline", await page.TextContentAsync("[data-testid=live-badge]"));

            await dashboard.FillAsync("#golive-title", "Live from the dashboard");
            await dashboard.ClickAsync("[data-testid=go-live] button[type=submit]");
            await dashboard.WaitForSelectorAsync("[data-testid=end-stream]");
            Assert.Equal("Live", (await dashboard.TextContentAsync("[data-testid=dashboard-live]"))?.Trim());

            // The viewer's page flips to live and takes the title without a reload.
            await WaitForAsync(page, "() => document.getElementById('live-badge')?.textContent.trim() === 'Live'");
            await WaitForAsync(page, "() => document.getElementById('stream-title')?.textContent.trim() === 'Live from the dashboard'");

            // Both connections count, on both pages, with the two on different Realtime replicas.
            await WaitForAsync(dashboard, "() => window.dashboard?.state === 'connected'");
            for (var attempt = 0; await ReplicaAsync(page, "streamPage") == await ReplicaAsync(dashboard, "dashboard"); attempt++)
            {
                Assert.True(attempt < 8, "the viewer's page kept landing on the dashboard's replica");
                await page.ReloadAsync();
                await WaitForAsync(page, "() => document.querySelector('[data-testid=connection]')?.dataset.state === 'connected'");
            }
            await WaitForAsync(page, "() => document.getElementById('viewer-count')?.textContent.trim() === '2'");
            await WaitForAsync(dashboard, "() => document.getElementById('dashboard-viewers')?.textContent.trim() === '2'");
            await PageChecks.AssertAsync(dashboard, "dashboard-live");

            // The home page lists the channel with its count: Api's snapshot of the room's presence. The viewer follows
            // the channel, so it is listed first whatever page of the live listing it falls on.
            var channelId = Guid.Parse((await dashboard.GetAttributeAsync("#dashboard", "data-channel-id"))!);
            await FollowAsync(viewer, channelId);
            var home = await viewerContext.NewPageAsync();
            var card = home.Locator($".channel-card[data-slug='{slug}']");
            await Eventually.UntilAsync(async () =>
            {
                await home.GotoAsync($"{Web}/");
                return await card.CountAsync() == 1 && await card.Locator("[data-testid=viewer-count]").InnerTextAsync() == "2";
            }, "the home page to list the channel with 2 viewers", TimeSpan.FromSeconds(30));
            Assert.Equal("Live from the dashboard", await card.Locator(".title").InnerTextAsync());
            await PageChecks.AssertAsync(home, "home-with-count");
            await home.CloseAsync();

            // A new live title reaches the viewer; ending the stream flips the page offline.
            await dashboard.FillAsync("#live-title", "A better title");
            await dashboard.ClickAsync("[data-testid=retitle] button[type=submit]");
            await WaitForAsync(page, "() => document.getElementById('stream-title')?.textContent.trim() === 'A better title'");
            await dashboard.ClickAsync("[data-testid=end-stream] button[type=submit]");
            await WaitForAsync(page, "() => document.getElementById('live-badge')?.textContent.trim() === 'Offline'");
            await dashboard.WaitForSelectorAsync("[data-testid=go-live]");
        }
        catch
        {
            await PageChecks.ReportFailureAsync(dashboard, output, "dashboard");
            await PageChecks.ReportFailureAsync(page, output, "dashboard-viewer");
            throw;
        }
    }

    [Fact]
    public async Task AModeratorAppointedByNameIsListedAndAReplacedOverlayKeyStopsTheOldOneWorking()
    {
        var users = await SystemTokens.NewSeededUsersAsync(system, 2);
        var (performer, moderator) = (users[0], users[1]);
        var channel = await CreateChannelAsync(performer);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright, PageChecks.Timeout);
        await using var context = await PageChecks.NewContextAsync(browser);
        var page = await context.NewPageAsync();
        try
        {
            await SignInAsync(page, performer, "/dashboard");
            Assert.True(await page.IsVisibleAsync("[data-testid=no-moderators]"));

            // An unknown name is said next to the field; the real one is appointed and listed.
            await page.FillAsync("#moderator-name", "nobody_" + Guid.NewGuid().ToString("N")[..8]);
            await page.ClickAsync("[data-testid=add-moderator] button[type=submit]");
            await page.WaitForSelectorAsync("#moderator-name-error");
            Assert.Contains("There is no user named", await page.InnerTextAsync("#moderator-name-error"), StringComparison.Ordinal);
            await page.FillAsync("#moderator-name", moderator.Username);
            await page.ClickAsync("[data-testid=add-moderator] button[type=submit]");
            await page.WaitForSelectorAsync($"[data-testid=moderators] [data-user-id='{moderator.UserId}']");
            Assert.Equal(moderator.Username, await page.InnerTextAsync($"[data-testid=moderators] [data-user-id='{moderator.UserId}'] .name"));
            await PageChecks.AssertAsync(page, "dashboard-moderators");

            // A key is shown once; replacing it shows the new one and the old stops working at Api.
            await page.ClickAsync("[data-testid=create-key] button[type=submit]");
            var first = await page.InnerTextAsync("[data-testid=overlay-key]");
            Assert.Equal(200, await ExchangeAsync(first));
            await page.ClickAsync("[data-testid=rotate-key] button[type=submit]");
            await page.WaitForFunctionAsync("old => document.querySelector('[data-testid=overlay-key]')?.textContent.trim() !== old", first);
            var second = await page.InnerTextAsync("[data-testid=overlay-key]");
            await PageChecks.AssertAsync(page, "dashboard-overlay-key");
            Assert.Equal(401, await ExchangeAsync(first));
            Assert.Equal(200, await ExchangeAsync(second));

            // A plain visit shows no key: it was shown once.
            await page.GotoAsync($"{Web}/dashboard");
            Assert.Equal(0, await page.Locator("[data-testid=overlay-key]").CountAsync());
            Assert.True(await page.IsVisibleAsync("[data-testid=overlay-key-active]"));
        }
        catch
        {
            await PageChecks.ReportFailureAsync(page, output, "dashboard-moderators");
            throw;
        }
    }

    /// <summary>The replica serving the page's hub connection (from a ping's answer).</summary>
    private static Task<string> ReplicaAsync(IPage page, string record)
        => page.EvaluateAsync<string>($"async () => (await window.{record}.client.ping()).replica");

    private static Task WaitForAsync(IPage page, string predicate)
        => page.WaitForFunctionAsync(predicate, null, new PageWaitForFunctionOptions { Timeout = 30_000 });

    private async Task<int> ExchangeAsync(string key)
    {
        using var api = new HttpClient(ClientAddress.Handler("127.0.0.81")) { BaseAddress = system.Part("api").Url };
        using var response = await api.PostAsJsonAsync("/api/overlay/token", new { key });
        return (int)response.StatusCode;
    }

    private async Task FollowAsync(SeededUser user, Guid channel)
    {
        using var api = system.CreateHttpClient("api");
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", user.AccessToken);
        using var response = await api.PutAsync($"/api/channels/{channel:D}/follow", null);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    private async Task<Guid> CreateChannelAsync(SeededUser performer)
    {
        using var api = system.CreateHttpClient("api");
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", performer.AccessToken);
        var slug = $"d{Guid.NewGuid():N}"[..16];
        using var response = await api.PostAsJsonAsync("/api/channels", new { slug, displayName = "Moderated Channel" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private async Task SignInAsync(IPage page, SeededUser user, string returnUrl)
    {
        await page.GotoAsync($"{Web}/signin?returnUrl={Uri.EscapeDataString(returnUrl)}");
        await page.FillAsync("#login", user.Username);
        await page.FillAsync("#password", UserSeeder.DefaultPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(Web + returnUrl);
        Assert.Equal(user.Username, await page.InnerTextAsync("[data-testid=user-name]"));
    }
}
