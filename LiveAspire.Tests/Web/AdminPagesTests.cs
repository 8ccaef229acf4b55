using LiveAspire.Api.Seeding;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LiveAspire.Tests.Web;

/// <summary>
/// The admin pages in Chromium against the running system (docs/web.md, "Admin pages"): an announcement to every live
/// stream reaches the stream pages of two channels once each; users are found by name, banned, unbanned and made
/// administrators; a member is refused in words. Every page passes <see cref="PageChecks"/> and is kept as a screenshot.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class AdminPagesTests(AppHostFixture system, ITestOutputHelper output)
{
    private string Web => system.Endpoint("web").ToString().TrimEnd('/');

    [Fact]
    public async Task AnAnnouncementToEveryLiveStreamAppearsOnceOnTheStreamPagesOfTwoChannels()
    {
        var admin = await NewAdminAsync();
        var first = await StreamChannels.CreateAsync(system, "Announced One");
        var second = await StreamChannels.CreateAsync(system, "Announced Two");
        await first.GoLiveAsync(system, "one");
        await second.GoLiveAsync(system, "two");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright, PageChecks.Timeout);
        await using var guests = await PageChecks.NewContextAsync(browser);
        await using var adminContext = await PageChecks.NewContextAsync(browser);
        var pages = new[] { await guests.NewPageAsync(), await guests.NewPageAsync() };
        var adminPage = await adminContext.NewPageAsync();
        try
        {
            await pages[0].GotoAsync($"{Web}/c/{first.Slug}");
            await pages[1].GotoAsync($"{Web}/c/{second.Slug}");
            foreach (var page in pages)
            {
                await WaitForAsync(page, "() => document.querySelector('[data-testid=connection]')?.dataset.state === 'connected'");
            }

            await SignInAsync(adminPage, admin, "/admin/announcements");
            var text = $"Maintenance at midnight {Guid.NewGuid():N}"[..36];
            await adminPage.FillAsync("#announcement-text", text);
            await adminPage.ClickAsync("[data-testid=announce] button[type=submit]");
            await adminPage.WaitForSelectorAsync("[data-testid=announcement-sent]");
            var rooms = await adminPage.InnerTextAsync("[data-testid=announcement-rooms]");
            Assert.Contains($"stream:{first.Id:D}", rooms, StringComparison.Ordinal);
            Assert.Contains($"stream:{second.Id:D}", rooms, StringComparison.Ordinal);
            await PageChecks.AssertAsync(adminPage, "admin-announcement-sent");

            foreach (var page in pages)
            {
                await WaitForAsync(page, "t => [...document.querySelectorAll('#announcements .announcement')].some(a => a.textContent === t)", text);
            }
            // Later events of each room arrive after it: by then a second copy would have arrived too.
            await first.RetitleAsync(system, "one, later");
            await second.RetitleAsync(system, "two, later");
            await WaitForAsync(pages[0], "() => document.getElementById('stream-title')?.textContent.trim() === 'one, later'");
            await WaitForAsync(pages[1], "() => document.getElementById('stream-title')?.textContent.trim() === 'two, later'");
            foreach (var page in pages)
            {
                Assert.Equal(1, await page.EvaluateAsync<int>("t => [...document.querySelectorAll('#announcements .announcement')].filter(a => a.textContent === t).length", text));
            }
            await PageChecks.AssertAsync(pages[0], "stream-announcement");
        }
        catch
        {
            await PageChecks.ReportFailureAsync(adminPage, output, "admin-announcement");
            await PageChecks.ReportFailureAsync(pages[0], output, "admin-announcement-viewer");
            throw;
        }
        finally
        {
            await first.EndAsync(system);
            await second.EndAsync(system);
        }
    }

    [Fact]
    public async Task AnAdministratorFindsBansUnbansAndPromotesAUserAndAMemberIsRefusedInWords()
    {
        var admin = await NewAdminAsync();
        var target = (await SystemTokens.NewSeededUsersAsync(system))[0];
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright, PageChecks.Timeout);
        await using var context = await PageChecks.NewContextAsync(browser);
        var page = await context.NewPageAsync();
        try
        {
            await SignInAsync(page, admin, "/admin/users");
            await page.FillAsync("#q", target.Username[..10]);
            await page.ClickAsync("[data-testid=user-search] button[type=submit]");
            var row = page.Locator($"[data-testid=users] [data-user-id='{target.UserId}']");
            await row.WaitForAsync();
            Assert.Equal("Member", await row.Locator("[data-testid=user-role]").InnerTextAsync());
            await PageChecks.AssertAsync(page, "admin-users");

            await row.Locator("input[name='BanInput.Reason']").FillAsync("spam in chat");
            await row.Locator("form.ban-form button").ClickAsync();
            await page.WaitForSelectorAsync($"[data-testid=users] [data-user-id='{target.UserId}'] [data-testid=user-banned]");
            Assert.Contains("is banned", await page.InnerTextAsync("[data-testid=admin-notice]"), StringComparison.Ordinal);
            Assert.Equal(403, await LoginStatusAsync(target));

            await row.Locator("button:has-text('Unban')").ClickAsync();
            await page.WaitForSelectorAsync("[data-testid=admin-notice]:has-text('no longer banned')");
            Assert.Equal(0, await row.Locator("[data-testid=user-banned]").CountAsync());
            Assert.Equal(200, await LoginStatusAsync(target));

            await row.Locator("button:has-text('Make administrator')").ClickAsync();
            await page.WaitForSelectorAsync("[data-testid=admin-notice]:has-text('administrator now')");
            Assert.Equal("Administrator", await row.Locator("[data-testid=user-role]").InnerTextAsync());
            await PageChecks.AssertAsync(page, "admin-users-promoted");
        }
        catch
        {
            await PageChecks.ReportFailureAsync(page, output, "admin-users");
            throw;
        }

        // A member sees the page refuse them in words, with 403.
        var member = (await SystemTokens.NewSeededUsersAsync(system))[0];
        await using var memberContext = await PageChecks.NewContextAsync(browser);
        var memberPage = await memberContext.NewPageAsync();
        await SignInAsync(memberPage, member, "/profile");
        var refused = await memberPage.GotoAsync($"{Web}/admin/users?q=a");
        Assert.Equal(403, refused!.Status);
        Assert.Equal("This page is for administrators.", await memberPage.InnerTextAsync("[data-testid=admin-forbidden]"));
        Assert.Equal(0, await memberPage.Locator("[data-testid=users]").CountAsync());
    }

    /// <summary>A seeded user made administrator in the database (as the first admin is; docs/accounts.md).</summary>
    private async Task<SeededUser> NewAdminAsync()
    {
        var admin = (await SystemTokens.NewSeededUsersAsync(system))[0];
        await using var database = Npgsql.NpgsqlDataSource.Create(system.ConnectionString("livedb"));
        await using var command = database.CreateCommand("UPDATE users SET global_role = 'admin' WHERE id = $1");
        command.Parameters.Add(new() { Value = admin.UserId });
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
        return admin;
    }

    private async Task<int> LoginStatusAsync(SeededUser user)
    {
        using var api = new HttpClient(ClientAddress.Handler("127.0.0.82")) { BaseAddress = system.Part("api").Url };
        using var response = await api.PostAsJsonAsync("/api/auth/login", new { login = user.Username, password = UserSeeder.DefaultPassword, deviceId = "admin-test" });
        return (int)response.StatusCode;
    }

    private static Task WaitForAsync(IPage page, string predicate, object? arg = null)
        => page.WaitForFunctionAsync(predicate, arg, new PageWaitForFunctionOptions { Timeout = 30_000 });

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
