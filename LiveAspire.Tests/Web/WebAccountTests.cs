using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LiveAspire.Tests.Web;

/// <summary>
/// Accounts in the browser, against the running system (two Web replicas behind the proxy, Api, PostgreSQL): sign
/// up, the mail-sent page, the development mailbox, verify, the errors in words (taken name, wrong password), sign
/// in back to a local page, follow through the session's endpoint, unfollow on the profile, sign out, reset the
/// password. Every page visited passes <see cref="PageChecks"/> and is kept as a screenshot.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class WebAccountTests(AppHostFixture system, ITestOutputHelper output)
{
    private string Web => system.Endpoint("web").ToString().TrimEnd('/');

    [Fact]
    public async Task SignUpVerifySignInFollowSignOutAndResetThePassword()
    {
        var account = TestAccount.New("web");
        var channel = await NewChannelAsync("Follow me");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright, PageChecks.Timeout);
        await using var context = await PageChecks.NewContextAsync(browser);

        // Sign up: the page says a mail was sent and links the development mailbox.
        var page = await PageChecks.VisitAsync(context, $"{Web}/signup", "signup");
        try
        {
            await FlowAsync(page, account, channel);
        }
        catch
        {
            await PageChecks.ReportFailureAsync(page, output, "account-flow");
            throw;
        }
    }

    private async Task FlowAsync(IPage page, TestAccount account, (Guid Id, string Slug) channel)
    {        await page.FillAsync("#username", account.Username);
        await page.FillAsync("#email", account.Email);
        await page.FillAsync("#password", account.Password);
        await page.ClickAsync("button[type=submit]");
        await page.Locator("[data-testid=mail-sent]").WaitForAsync();
        Assert.Contains(account.Email, await page.InnerTextAsync("[data-testid=mail-sent]"), StringComparison.Ordinal);
        await PageChecks.AssertAsync(page, "signup-mail-sent");

        // The mailbox shows the mail with a link that verifies.
        await page.ClickAsync("[data-testid=dev-mailbox-link]");
        await page.Locator("[data-testid=mail-link]").First.WaitForAsync();
        await PageChecks.AssertAsync(page, "dev-mail");
        await page.ClickAsync("[data-testid=mail-link]");
        await page.WaitForURLAsync("**/verify-email?token=*");
        await PageChecks.AssertAsync(page, "verify-email");
        await page.ClickAsync("button[type=submit]");
        await page.Locator("[data-testid=verified]").WaitForAsync();
        await PageChecks.AssertAsync(page, "verify-email-done");

        // A taken name is refused next to its field, in words.
        await page.GotoAsync($"{Web}/signup");
        await page.FillAsync("#username", account.Username.ToUpperInvariant());
        await page.FillAsync("#email", "other." + account.Email);
        await page.FillAsync("#password", account.Password);
        await page.ClickAsync("button[type=submit]");
        await page.Locator("#username-error").WaitForAsync();
        Assert.Equal("This username is taken; choose another.", (await page.InnerTextAsync("#username-error")).TrimStart('⚠', ' '));
        Assert.Equal("true", await page.GetAttributeAsync("#username", "aria-invalid"));
        await PageChecks.AssertAsync(page, "signup-username-taken");

        // A wrong password says so, and signs nobody in.
        await page.GotoAsync($"{Web}/signin?returnUrl=%2Fprofile");
        await page.FillAsync("#login", account.Username);
        await page.FillAsync("#password", "not-the-password");
        await page.ClickAsync("button[type=submit]");
        await page.Locator("[data-testid=form-error]").WaitForAsync();
        Assert.Equal("Wrong username or password.", (await page.InnerTextAsync("[data-testid=form-error]")).Trim());
        Assert.Equal(0, await page.Locator("[data-testid=user-name]").CountAsync());
        await PageChecks.AssertAsync(page, "signin-wrong-password");

        // Signed in, back on the page asked for: the header names the user, the profile says the address is confirmed.
        await page.FillAsync("#login", account.Username);
        await page.FillAsync("#password", account.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync($"{Web}/profile");
        Assert.Equal(account.Username, await page.InnerTextAsync("[data-testid=user-name]"));
        Assert.Equal(account.Username, await page.InnerTextAsync("[data-testid=profile-username]"));
        Assert.Equal("Yes", await page.InnerTextAsync("[data-testid=profile-verified]"));
        Assert.Equal(1, await page.Locator("[data-testid=no-follows]").CountAsync());
        await PageChecks.AssertAsync(page, "profile");
        await page.ClickAsync("summary");
        await PageChecks.AssertAsync(page, "account-menu-open");

        // Follow as the stream page's script will: POST /session/follows/{id} with the page's antiforgery token.
        var status = await page.EvaluateAsync<int>("""
            async id => (await fetch(`/session/follows/${id}`, { method: 'POST',
              headers: { 'X-CSRF-TOKEN': document.querySelector('meta[name="csrf-token"]').content } })).status
            """, channel.Id.ToString());
        Assert.Equal(204, status);
        await page.ReloadAsync();
        Assert.Contains("Follow me", await page.InnerTextAsync("[data-testid=follows]"), StringComparison.Ordinal);
        await PageChecks.AssertAsync(page, "profile-following");
        await page.ClickAsync("[data-testid=follows] button[type=submit]");
        await page.Locator("[data-testid=no-follows]").WaitForAsync();

        // Sign out: the header offers sign-in again and the token endpoint knows nobody.
        await page.ClickAsync("summary");
        await page.ClickAsync("text=Sign out >> nth=0");
        await page.Locator("[data-testid=signed-out]").WaitForAsync();
        Assert.Equal(0, await page.Locator("[data-testid=user-name]").CountAsync());
        Assert.Equal("Sign in", (await page.InnerTextAsync("[data-testid=account-nav] a.nav-link")).Trim());
        Assert.Equal(401, await page.EvaluateAsync<int>("""
            async () => (await fetch('/session/token', { method: 'POST',
              headers: { 'X-CSRF-TOKEN': document.querySelector('meta[name="csrf-token"]').content } })).status
            """));
        await PageChecks.AssertAsync(page, "signin-signed-out");

        // Password reset: ask, open the mail's link, choose a new password, sign in with it.
        await page.GotoAsync($"{Web}/password-reset");
        await PageChecks.AssertAsync(page, "password-reset");
        await page.FillAsync("#email", account.Email);
        await page.ClickAsync("button[type=submit]");
        await page.Locator("[data-testid=reset-sent]").WaitForAsync();
        await PageChecks.AssertAsync(page, "password-reset-sent");
        await page.GotoAsync($"{Web}/dev/mail?to={Uri.EscapeDataString(account.Email)}");
        await page.ClickAsync("[data-testid=mail-link] >> text=Choose a new password");
        await page.WaitForURLAsync("**/password-reset/confirm?token=*");
        await PageChecks.AssertAsync(page, "password-reset-confirm");
        await page.FillAsync("#new-password", account.Password + "-new");
        await page.FillAsync("#repeat-password", account.Password + "-new");
        await page.ClickAsync("button[type=submit]");
        await page.Locator("[data-testid=password-changed]").WaitForAsync();
        await PageChecks.AssertAsync(page, "password-reset-done");
        await page.GotoAsync($"{Web}/signin");
        await page.FillAsync("#login", account.Email);
        await page.FillAsync("#password", account.Password + "-new");
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync($"{Web}/");
        Assert.Equal(account.Username, await page.InnerTextAsync("[data-testid=user-name]"));
    }

    /// <summary>A channel of a new performer, created at Api with a token minted by the system's key.</summary>
    private async Task<(Guid Id, string Slug)> NewChannelAsync(string displayName)
    {
        var performer = await SystemTokens.NewUserAsync(system);
        using var api = system.CreateHttpClient("api");
        var slug = $"c{Guid.NewGuid():N}"[..16];
        using var created = await api.PostAsync("/api/channels", new { slug, displayName }, SystemTokens.Mint(system, performer));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("id").GetGuid(), slug);
    }
}
