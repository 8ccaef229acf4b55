using LiveAspire.Contracts.Errors;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LiveAspire.Tests.Web;

/// <summary>
/// Server-side sessions under load and faults, against the running system: two tabs on two Web replicas asking for
/// tokens at once through many refreshes (the row lock keeps Api from ever seeing a refresh token twice), a session
/// outliving a restart of the replica that made it (sessions and data-protection keys in PostgreSQL), and a session
/// Api ends (a ban) shown to the user in words. Web refreshes tokens older than 4 s here
/// (<see cref="AppHostFixture.WebRefreshBefore"/>).
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class WebSessionTests(AppHostFixture system, ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Asks <c>/session/token</c> every 100 ms until <c>want</c> distinct tokens were answered or the deadline
    /// passes; returns how many distinct tokens, and every answer that was not 200.
    /// </summary>
    private const string PollTokens = """
        async ([want, deadlineMs]) => {
          const csrf = document.querySelector('meta[name="csrf-token"]').content;
          const seen = new Set(); const failures = []; let calls = 0;
          const end = Date.now() + deadlineMs;
          while (seen.size < want && Date.now() < end) {
            const response = await fetch('/session/token', { method: 'POST', headers: { 'X-CSRF-TOKEN': csrf } });
            calls++;
            if (response.status !== 200) { failures.push(`${response.status} ${await response.text()}`); }
            else { seen.add((await response.json()).accessToken); }
            await new Promise(resolve => setTimeout(resolve, 100));
          }
          return { distinct: seen.size, calls, failures };
        }
        """;

    private sealed record PollResult(int Distinct, int Calls, string[] Failures)
    {
        public static PollResult From(JsonElement json) => new(json.GetProperty("distinct").GetInt32(), json.GetProperty("calls").GetInt32(),
            [.. json.GetProperty("failures").EnumerateArray().Select(f => f.GetString()!)]);
    }

    [Fact]
    public async Task TwoTabsOnTwoReplicasRefreshManyTimesAtOnceAndStaySignedIn()
    {
        var account = await NewVerifiedAccountAsync();
        var (first, second) = (system.Replica("web", 0), system.Replica("web", 1));
        Assert.NotEqual(first.Port, second.Port);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright, PageChecks.Timeout);
        await using var context = await PageChecks.NewContextAsync(browser);
        var tabA = await SignInAsync(context, first, account);
        // Cookies belong to the host, not the port: the second replica's tab is the same browser session.
        var tabB = await context.NewPageAsync();
        await tabB.GotoAsync(new Uri(second, "/profile").ToString());
        Assert.Equal(account.Username, await tabB.InnerTextAsync("[data-testid=user-name]"));

        // session.js: callers at once share one request.
        var tokenRequests = 0;
        tabB.Request += (_, request) => tokenRequests += request.Url.EndsWith("/session/token", StringComparison.Ordinal) ? 1 : 0;
        var shared = await tabB.EvaluateAsync<string[]>("""
            async () => { const m = await import('/js/session.js'); return Promise.all([m.getAccessToken(), m.getAccessToken(), m.getAccessToken()]); }
            """);
        Assert.Single(shared.Distinct());
        Assert.Equal(1, tokenRequests);

        const int Want = 11;
        var polls = (await Task.WhenAll(
            tabA.EvaluateAsync<JsonElement>(PollTokens, new object[] { Want, Deadline.TotalMilliseconds }),
            tabB.EvaluateAsync<JsonElement>(PollTokens, new object[] { Want, Deadline.TotalMilliseconds }))).Select(PollResult.From).ToArray();
        output.WriteLine($"tab A (replica {first}): {polls[0]}; tab B (replica {second}): {polls[1]}");

        Assert.All(polls, p => Assert.True(p.Failures.Length == 0, "answers other than 200: " + string.Join("; ", p.Failures)));
        Assert.All(polls, p => Assert.True(p.Distinct >= Want, $"only {p.Distinct} distinct tokens in {p.Calls} calls"));
        // Still signed in on both, as Api sees it too: the last token works.
        await tabA.ReloadAsync();
        Assert.Equal(account.Username, await tabA.InnerTextAsync("[data-testid=user-name]"));
        await PageChecks.AssertAsync(tabA, "profile-after-refreshes");
    }

    [Fact]
    public async Task ASessionOutlivesARestartOfTheReplicaThatMadeIt()
    {
        var account = await NewVerifiedAccountAsync();
        var replica = system.Part("web", 0);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright, PageChecks.Timeout);
        await using var context = await PageChecks.NewContextAsync(browser);
        var page = await SignInAsync(context, replica.Url!, account);
        // What survives lives in PostgreSQL: the key ring, and a row holding no usable secret (id hashed, tokens protected).
        await using (var database = Npgsql.NpgsqlDataSource.Create(system.ConnectionString("livedb")))
        {
            await using var keys = database.CreateCommand("SELECT count(*) FROM web_data_protection_keys");
            Assert.True((long)(await keys.ExecuteScalarAsync())! >= 1, "no data-protection key in web_data_protection_keys");
            await using var row = database.CreateCommand("SELECT octet_length(id_hash), refresh_token, access_token, device_id FROM web_sessions WHERE username = $1");
            row.Parameters.Add(new() { Value = account.Username });
            await using var reader = await row.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync(), "no web_sessions row for the signed-in user");
            Assert.Equal(32, reader.GetInt32(0));
            Assert.All(new[] { reader.GetString(1), reader.GetString(2) }, token => Assert.StartsWith("CfDJ8", token, StringComparison.Ordinal));
            Assert.StartsWith("web-", reader.GetString(3), StringComparison.Ordinal);
        }

        await replica.KillAsync();
        await replica.StartAsync();

        // The new process reads the session row and the key ring from PostgreSQL: same cookie, still signed in.
        await page.GotoAsync(new Uri(replica.Url!, "/profile").ToString());
        Assert.Equal(account.Username, await page.InnerTextAsync("[data-testid=user-name]"));
        Assert.Equal(200, await page.EvaluateAsync<int>("""
            async () => (await fetch('/session/token', { method: 'POST',
              headers: { 'X-CSRF-TOKEN': document.querySelector('meta[name="csrf-token"]').content } })).status
            """));
    }

    [Fact]
    public async Task ReplicasStartingTogetherOverAnEmptyKeyRingShareOneKeySoACookieOneMadeTheOtherReads()
    {
        var account = await NewVerifiedAccountAsync();
        var first = system.Part("web", 0);
        var second = system.Part("web", 1);
        await Task.WhenAll(first.KillAsync(), second.KillAsync());
        await using (var database = Npgsql.NpgsqlDataSource.Create(system.ConnectionString("livedb")))
        {
            await using (var wipe = database.CreateCommand("DELETE FROM web_data_protection_keys"))
            {
                await wipe.ExecuteNonQueryAsync();
            }
            await Task.WhenAll(first.StartAsync(), second.StartAsync());
            // Each would otherwise make a key of its own on first use and never see the other's.
            await using var keys = database.CreateCommand("SELECT count(*) FROM web_data_protection_keys");
            Assert.Equal(1L, (long)(await keys.ExecuteScalarAsync())!);
        }

        // Signed in on the first replica; the second reads the session cookie and the antiforgery token it made.
        using var onFirst = new WebFormClient(first.Url!, "127.0.0.75");
        var signedIn = await onFirst.SignInAsync(account.Username, account.Password);
        Assert.True(signedIn.Status == HttpStatusCode.OK, $"signing in on the first replica answered {(int)signedIn.Status}");
        using var onSecond = new WebFormClient(second.Url!, "127.0.0.75");
        onSecond.Cookies.Add(onFirst.Cookies.GetAllCookies());
        var profile = await onSecond.GetPageAsync("/profile");
        Assert.Contains(account.Username, profile, StringComparison.Ordinal);
        using var token = new HttpRequestMessage(HttpMethod.Post, "/session/token");
        token.Headers.Add("X-CSRF-TOKEN", WebFormClient.CsrfToken(await onFirst.GetPageAsync("/profile")));
        using var answer = await onSecond.Http.SendAsync(token);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }

    [Fact]
    public async Task ASessionApiEndsIsSignedOutInWords()
    {
        var (account, userId) = await NewVerifiedAccountWithIdAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright, PageChecks.Timeout);
        await using var context = await PageChecks.NewContextAsync(browser);
        var page = await SignInAsync(context, system.Endpoint("web"), account);

        using var api = ApiClient();
        var admin = await api.LoginAsync("admin", system.Parameter("initial-admin-password"), "web-session-tests");
        using (var ban = await api.PostAsync($"/api/admin/users/{userId}/ban", new { reason = "test" }, admin.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, ban.StatusCode);
        }

        // The request that finds the session ended says so: Api refusing the banned user's token on one of the page's
        // calls (the home page asks for the user's follows), or the next refresh (once the token is 4 s old) refused
        // because the ban deleted the refresh tokens. The notice is on that response; the cookie is gone after it.
        await Eventually.UntilAsync(async () =>
        {
            await page.GotoAsync(new Uri(system.Endpoint("web"), "/").ToString());
            return await page.Locator("[data-testid=signed-out-notice]").CountAsync() == 1
                || await page.Locator("[data-testid=user-name]").CountAsync() == 0;
        }, "the session to end after the ban", Deadline);
        Assert.Equal(LiveAspire.Web.Components.Account.AccountMessages.SignedOut(ApiErrorCodes.RefreshInvalid),
            (await page.InnerTextAsync("[data-testid=signed-out-notice] p")).Replace("Sign in", "").Trim());
        Assert.Equal(0, await page.Locator("[data-testid=user-name]").CountAsync());
        await PageChecks.AssertAsync(page, "signed-out-banned");
        var token = await page.EvaluateAsync<JsonElement>("""
            async () => { const r = await fetch('/session/token', { method: 'POST',
              headers: { 'X-CSRF-TOKEN': document.querySelector('meta[name="csrf-token"]').content } });
              return { status: r.status, body: await r.json() }; }
            """);
        Assert.Equal(401, token.GetProperty("status").GetInt32());
        Assert.Equal(ApiErrorCodes.Unauthenticated, token.GetProperty("body").GetProperty("code").GetString());

        // Signing in again says the account is banned.
        await page.GotoAsync(new Uri(system.Endpoint("web"), "/signin").ToString());
        await page.FillAsync("#login", account.Username);
        await page.FillAsync("#password", account.Password);
        await page.ClickAsync("button[type=submit]");
        await page.Locator("[data-testid=form-error]").WaitForAsync();
        Assert.Equal("This account is banned.", (await page.InnerTextAsync("[data-testid=form-error]")).Trim());
    }

    [Fact]
    public async Task SigningInAgainReplacesTheBrowsersSessionInsteadOfLeavingItBehind()
    {
        var account = await NewVerifiedAccountAsync();
        var web = system.Endpoint("web");
        using var browser = new WebFormClient(web, "127.0.0.72");

        await browser.SignInAsync(account.Username, account.Password);
        var first = browser.Cookies.GetCookies(web).Single(c => c.Name == "liveaspire-session").Value;
        var again = await browser.SignInAsync(account.Username, account.Password);
        var second = browser.Cookies.GetCookies(web).Single(c => c.Name == "liveaspire-session").Value;

        Assert.Contains($">{account.Username}</span>", again.Html, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
        await using var database = Npgsql.NpgsqlDataSource.Create(system.ConnectionString("livedb"));
        await using var rows = database.CreateCommand("SELECT count(*) FROM web_sessions WHERE username = $1");
        rows.Parameters.Add(new() { Value = account.Username });
        Assert.Equal(1L, (long)(await rows.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task SigningOutEverywhereEndsTheUsersSessionsInEveryBrowser()
    {
        var account = await NewVerifiedAccountAsync();
        var web = system.Endpoint("web");
        using var laptop = new WebFormClient(web, "127.0.0.73");
        using var phone = new WebFormClient(web, "127.0.0.74");
        await laptop.SignInAsync(account.Username, account.Password);
        await phone.SignInAsync(account.Username, account.Password);
        var phoneCsrf = WebFormClient.CsrfToken(await phone.GetPageAsync("/profile"));
        using (var before = await PostTokenAsync(phone, phoneCsrf))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var signedOut = await laptop.PostFormAsync("/profile", "/signout/everywhere");

        Assert.Contains("You are signed out everywhere", signedOut.Html, StringComparison.Ordinal);
        Assert.EndsWith("/signin?signedOut=everywhere", signedOut.Url!.PathAndQuery, StringComparison.Ordinal);
        // The phone's session is gone from Web (its row), and its page's token request says nobody is signed in.
        using (var after = await PostTokenAsync(phone, phoneCsrf))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        }
        var profile = await phone.Http.GetAsync("/profile");
        Assert.Equal("/signin", profile.RequestMessage!.RequestUri!.AbsolutePath);
        await using var database = Npgsql.NpgsqlDataSource.Create(system.ConnectionString("livedb"));
        await using var rows = database.CreateCommand("SELECT count(*) FROM web_sessions WHERE username = $1");
        rows.Parameters.Add(new() { Value = account.Username });
        Assert.Equal(0L, (long)(await rows.ExecuteScalarAsync())!);
    }

    /// <summary>
    /// PostgreSQL restarts while a user is signed in on both Web replicas, each holding idle pooled connections the
    /// restart kills. The next page and token on each replica work at once (the session store empties the pool and
    /// reads again on a fresh connection), and a new sign-in through the site works. While PostgreSQL is down, a page
    /// is answered 503 in words and a script's token request 503 <c>database_unavailable</c>, never a 500.
    /// </summary>
    [Fact]
    public async Task SessionsSurviveAPostgresRestartAndAnOutageIsAnsweredInWords()
    {
        var account = await NewVerifiedAccountAsync();
        var replicas = new[] { system.Replica("web", 0), system.Replica("web", 1) };
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright, PageChecks.Timeout);
        await using var context = await PageChecks.NewContextAsync(browser);
        var page = await SignInAsync(context, replicas[0], account);
        // Both replicas read the session now, so each pool holds idle connections for the restart to break.
        await AssertProfileAsync(page, replicas[1], account);

        var postgres = system.Part("postgres");
        try
        {
            await postgres.InterruptAsync();
            await postgres.StartAsync();
            // Api's own pool met the restart too: wait until it answers (its first request may be a 503 that empties
            // its pool), so that what follows tests Web's connections only.
            await WaitForApiAsync(account);

            foreach (var replica in replicas)
            {
                await AssertProfileAsync(page, replica, account);
            }
            var newcomer = await NewVerifiedAccountAsync();
            await using (var other = await PageChecks.NewContextAsync(browser))
            {
                await SignInAsync(other, replicas[1], newcomer);
            }

            await postgres.InterruptAsync();
            var down = await page.GotoAsync(new Uri(replicas[0], "/profile").ToString());
            Assert.Equal(503, down!.Status);
            Assert.Equal("1", await down.HeaderValueAsync("retry-after"));
            Assert.Equal("Temporarily unavailable", await page.InnerTextAsync("[data-testid=status-page] h1"));
            Assert.DoesNotContain("Exception", await page.ContentAsync(), StringComparison.Ordinal);
            await PageChecks.AssertAsync(page, "status-database-unavailable");
            var token = await page.EvaluateAsync<JsonElement>("""
                async () => {
                  const response = await fetch('/session/token', { method: 'POST', headers: {
                    'X-CSRF-TOKEN': document.querySelector('meta[name="csrf-token"]')?.content ?? '', 'Accept': 'application/json' } });
                  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.text() };
                }
                """);
            output.WriteLine($"token while PostgreSQL is down: {token}");
            Assert.Equal(503, token.GetProperty("status").GetInt32());
            Assert.Equal("1", token.GetProperty("retryAfter").GetString());
            using var body = JsonDocument.Parse(token.GetProperty("body").GetString()!);
            Assert.Equal(ApiErrorCodes.DatabaseUnavailable, body.RootElement.GetProperty("code").GetString());
        }
        finally
        {
            if (postgres.Pid is null)
            {
                await postgres.StartAsync();
            }
        }
        await WaitForApiAsync(account);
        await AssertProfileAsync(page, replicas[0], account);
    }

    /// <summary>Opens the profile on <paramref name="replica"/>: 200, the user's name, and a token for the page's scripts.</summary>
    private static async Task AssertProfileAsync(IPage page, Uri replica, TestAccount account)
    {
        var response = await page.GotoAsync(new Uri(replica, "/profile").ToString());
        Assert.True(response is { Status: 200 }, $"/profile on {replica} answered {response?.Status}: {await page.InnerTextAsync("main")}");
        Assert.Equal(account.Username, await page.InnerTextAsync("[data-testid=user-name]"));
        var token = await page.EvaluateAsync<string>("""
            async () => { const r = await fetch('/session/token', { method: 'POST', headers: {
              'X-CSRF-TOKEN': document.querySelector('meta[name="csrf-token"]').content } }); return `${r.status} ${await r.text()}`; }
            """);
        Assert.True(token.StartsWith("200 ", StringComparison.Ordinal), $"/session/token on {replica} answered {token}");
    }

    /// <summary>Until Api answers a database read (a login) with anything but 503 <c>database_unavailable</c>.</summary>
    private async Task WaitForApiAsync(TestAccount account)
    {
        using var api = ApiClient();
        await Eventually.UntilAsync(async () =>
        {
            using var response = await api.PostAsJsonAsync("/api/auth/login", new { login = account.Username, password = account.Password, deviceId = "probe" });
            return response.StatusCode != HttpStatusCode.ServiceUnavailable;
        }, "Api to read the database again", TimeSpan.FromSeconds(60));
    }

    private static Task<HttpResponseMessage> PostTokenAsync(WebFormClient browser, string csrf)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/session/token");
        request.Headers.Add("X-CSRF-TOKEN", csrf);
        return browser.Http.SendAsync(request);
    }

    private async Task<TestAccount> NewVerifiedAccountAsync() => (await NewVerifiedAccountWithIdAsync()).Account;

    /// <summary>An account registered at Api and verified (the token read from the development mailbox).</summary>
    private async Task<(TestAccount Account, Guid UserId)> NewVerifiedAccountWithIdAsync()
    {
        var account = TestAccount.New("ws");
        using var api = ApiClient();
        var userId = await api.RegisterAsync(account);
        var token = await api.MailedTokenAsync(account.Email, "Confirm");
        using var verified = await api.PostAsync("/api/auth/verify-email", new { token });
        Assert.Equal(HttpStatusCode.NoContent, verified.StatusCode);
        return (account, userId);
    }

    /// <summary>
    /// Api from a client address of its own (one per call, 127.0.1.x): registrations (5 per 10 minutes per address)
    /// and logins made here use up neither each other's budget nor 127.0.0.1's, which every browser shares behind
    /// Aspire's proxy.
    /// </summary>
    private HttpClient ApiClient() => new(ClientAddress.Handler($"127.0.1.{Interlocked.Increment(ref _nextClient)}")) { BaseAddress = system.Part("api").Url, Timeout = TimeSpan.FromSeconds(30) };

    private static int _nextClient;

    private static async Task<IPage> SignInAsync(IBrowserContext context, Uri web, TestAccount account)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(web, "/signin?returnUrl=%2Fprofile").ToString());
        await page.FillAsync("#login", account.Username);
        await page.FillAsync("#password", account.Password);
        await page.ClickAsync("button[type=submit]");
        try
        {
            await page.WaitForURLAsync("**/profile");
        }
        catch (TimeoutException)
        {
            Assert.Fail($"signing in on {web} did not reach /profile; the page ({page.Url}) says: {await page.InnerTextAsync("body")}");
        }
        Assert.Equal(account.Username, await page.InnerTextAsync("[data-testid=user-name]"));
        return page;
    }
}
