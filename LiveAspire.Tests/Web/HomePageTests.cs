using System.Net.Http.Headers;
using LiveAspire.Api.Seeding;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LiveAspire.Tests.Web;

/// <summary>
/// The home page and the directory in Chromium against the running system: live channels with title, category and
/// performer, the ones a signed-in viewer follows first and their offline follows below; the directory's search by
/// name and category, its empty state. Every page passes <see cref="PageChecks"/> and is kept as a screenshot.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class HomePageTests(AppHostFixture system, ITestOutputHelper output)
{
    private string Web => system.Endpoint("web").ToString().TrimEnd('/');

    [Fact]
    public async Task ASignedInViewerSeesTheLiveChannelsTheyFollowFirstTheirOfflineFollowsAndFindsChannelsInTheDirectory()
    {
        var tag = $"H{Guid.NewGuid():N}"[..9];
        var followedLive = await StreamChannels.CreateAsync(system, $"Followed {tag}", title: "Chess night");
        var followedOffline = await StreamChannels.CreateAsync(system, $"Resting {tag}");
        var notFollowed = await StreamChannels.CreateAsync(system, $"Other {tag}");
        var viewer = (await SystemTokens.NewSeededUsersAsync(system))[0];
        await FollowAsync(viewer, followedLive.Id);
        await FollowAsync(viewer, followedOffline.Id);
        await followedLive.GoLiveAsync(system, "Chess night");
        await notFollowed.GoLiveAsync(system, "Also live");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright, PageChecks.Timeout);
        await using var context = await PageChecks.NewContextAsync(browser);
        var page = await context.NewPageAsync();
        try
        {
            await SignInAsync(page, viewer);
            var first = page.Locator("[data-testid=live-channels] .channel-card").First;
            Assert.Equal(followedLive.Slug, await first.GetAttributeAsync("data-slug"));
            Assert.Equal("true", await first.GetAttributeAsync("data-followed"));
            Assert.Equal($"Followed {tag}", await first.Locator(".name").InnerTextAsync());
            Assert.Equal("Chess night", await first.Locator(".title").InnerTextAsync());
            var meta = await first.Locator(".meta").InnerTextAsync();
            Assert.Contains("Testing", meta, StringComparison.Ordinal);
            Assert.Contains("Following", meta, StringComparison.Ordinal);
            Assert.Contains("by ", meta, StringComparison.Ordinal);
            Assert.Equal(1, await page.Locator($"[data-testid=followed-offline] [data-slug='{followedOffline.Slug}']").CountAsync());
            Assert.Equal(0, await page.Locator($"[data-testid=followed-offline] [data-slug='{followedLive.Slug}']").CountAsync());
            await PageChecks.AssertAsync(page, "home-signed-in");

            // The card's link opens the stream page.
            await first.Locator(".name").ClickAsync();
            await page.WaitForURLAsync($"{Web}/c/{followedLive.Slug}");

            // The directory: by part of the name, then narrowed by category; a search without matches says so.
            await page.GotoAsync($"{Web}/channels");
            await page.FillAsync("#q", tag.ToLowerInvariant());
            await page.ClickAsync("[data-testid=directory-search] button[type=submit]");
            await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex($"/channels\\?q={tag.ToLowerInvariant()}&"));
            Assert.Equal(new[] { followedLive.Slug, followedOffline.Slug, notFollowed.Slug }.Order(StringComparer.Ordinal),
                await SlugsAsync(page));
            Assert.Equal(2, await page.Locator("[data-testid=directory-results] .badge").CountAsync());
            await PageChecks.AssertAsync(page, "directory-search");
            await page.FillAsync("#q", $"resting {tag}");
            await page.FillAsync("#category", "testing");
            await page.ClickAsync("[data-testid=directory-search] button[type=submit]");
            await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("category=testing"));
            Assert.Equal([followedOffline.Slug], await SlugsAsync(page));
            await page.FillAsync("#q", $"nothing {tag}");
            await page.ClickAsync("[data-testid=directory-search] button[type=submit]");
            await page.WaitForSelectorAsync("[data-testid=directory-empty]");
            Assert.Equal("No channel matches this search.", await page.InnerTextAsync("[data-testid=directory-empty]"));
            await PageChecks.AssertAsync(page, "directory-empty");

            // A guest's home page lists live channels too, with no section of follows.
            await using var guestContext = await PageChecks.NewContextAsync(browser);
            var guest = await PageChecks.VisitAsync(guestContext, Web + "/", "home-guest");
            Assert.True(await guest.Locator("[data-testid=live-channels] .channel-card").CountAsync() >= 2);
            Assert.Equal(0, await guest.Locator("[data-testid=followed-offline]").CountAsync());
        }
        catch
        {
            await PageChecks.ReportFailureAsync(page, output, "home");
            throw;
        }
        finally
        {
            await followedLive.EndAsync(system);
            await notFollowed.EndAsync(system);
        }
    }

    /// <summary>The home page's counts are a snapshot refreshed every 15 s: a new viewer shows without a reload.</summary>
    [Fact]
    public async Task TheHomePagesViewerCountFollowsANewViewerWithoutAReload()
    {
        var channel = await StreamChannels.CreateAsync(system, $"Counted {Guid.NewGuid():N}"[..20]);
        var viewer = (await SystemTokens.NewSeededUsersAsync(system))[0];
        await FollowAsync(viewer, channel.Id); // listed first, whatever page of the live listing it falls on
        await channel.GoLiveAsync(system, "Count me");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright, PageChecks.Timeout);
        await using var context = await PageChecks.NewContextAsync(browser);
        await using var guestContext = await PageChecks.NewContextAsync(browser);
        var page = await context.NewPageAsync();
        try
        {
            await SignInAsync(page, viewer);
            var count = page.Locator($".channel-card[data-slug='{channel.Slug}'] [data-testid=viewer-count]");
            Assert.Equal("0", await count.InnerTextAsync());
            var watching = await guestContext.NewPageAsync();
            await watching.GotoAsync($"{Web}/c/{channel.Slug}");
            await page.WaitForFunctionAsync($"() => document.querySelector(\".channel-card[data-slug='{channel.Slug}'] [data-testid=viewer-count]\")?.textContent === '1'",
                null, new PageWaitForFunctionOptions { Timeout = 60_000 });
            Assert.True(await page.EvaluateAsync<int>("() => window.homeViewers?.refreshed ?? 0") >= 1);
        }
        catch
        {
            await PageChecks.ReportFailureAsync(page, output, "home-count");
            throw;
        }
        finally
        {
            await channel.EndAsync(system);
        }
    }

    private static async Task<List<string>> SlugsAsync(IPage page)
        => [.. (await page.Locator("[data-testid=directory-results] .directory-item").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.slug)"))];

    private async Task FollowAsync(SeededUser user, Guid channel)
    {
        using var api = system.CreateHttpClient("api");
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.AccessToken);
        using var response = await api.PutAsync($"/api/channels/{channel:D}/follow", null);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    private async Task SignInAsync(IPage page, SeededUser user)
    {
        await page.GotoAsync($"{Web}/signin?returnUrl=%2F");
        await page.FillAsync("#login", user.Username);
        await page.FillAsync("#password", UserSeeder.DefaultPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(Web + "/");
        Assert.Equal(user.Username, await page.InnerTextAsync("[data-testid=user-name]"));
    }
}
