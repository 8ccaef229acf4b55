using System.Net.Http.Headers;
using System.Text.Encodings.Web;
using LiveAspire.Contracts.Accounts;
using LiveAspire.Contracts.Channels;

namespace LiveAspire.Tests.AppHost;

/// <summary>
/// Canaries (passwords, access and refresh tokens, an overlay key and its token, the admin password, verification and
/// password-reset tokens, the stores' passwords, a Web session cookie, the token Web hands its page and the key Web
/// sends Api with the browser's address) used against the running system show up in no line any process
/// wrote: each instance of Api, Realtime, the Worker and Web, read from its own console output as the orchestrator
/// captured it (<see cref="SystemFixture.LogLinesByInstanceAsync"/>), not from anything redacted after the process.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class SecretsInLogsTests(AppHostFixture system)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static readonly string[] Services = ["api", "realtime", "worker", "web"];

    [Fact]
    public async Task CanariesUsedAgainstEveryServiceAppearInNoLineAnyOfItsProcessesWrote()
    {
        // Api on its own address, from an address of this test's own: the login and register limits are per address.
        using var api = new HttpClient(ClientAddress.Handler("127.0.0.44")) { BaseAddress = system.Part("api").Url, Timeout = Deadline };
        var account = TestAccount.New();
        await api.RegisterAsync(account);
        var verifyToken = await api.MailedTokenAsync(account.Email, "Confirm");
        using (await api.PostAsync("/api/auth/verify-email", new { token = verifyToken })) { }
        var tokens = await api.LoginAsync(account.Username, account.Password, "canary-device");
        using var refreshed = await api.RefreshAsync(tokens.RefreshToken);
        var next = (await refreshed.Content.ReadFromJsonAsync<TokenResponse>())!;
        using (await api.RefreshAsync(tokens.RefreshToken)) { } // a reuse: logged as such, without the token
        using (await api.PostAsync("/api/auth/login", new { login = account.Username, password = account.Password + "-wrong", deviceId = "d" })) { }
        var adminPassword = system.Parameter("initial-admin-password");
        var admin = await api.LoginAsync("admin", adminPassword, "canary-admin");

        var slug = $"canary{Guid.NewGuid():N}"[..20];
        using var channel = await api.PostAsync("/api/channels", new { slug, displayName = "Canary", title = "canary" }, next.AccessToken);
        Assert.Equal(HttpStatusCode.Created, channel.StatusCode);
        var channelId = (await channel.Content.ReadFromJsonAsync<ChannelDto>())!.Id;
        using var created = await api.PostAsync($"/api/channels/{channelId}/overlay-keys", null, next.AccessToken);
        var overlayKey = (await created.Content.ReadFromJsonAsync<OverlayKeySecret>())!.Key;
        using var exchanged = await api.PostAsync("/api/overlay/token", new { key = overlayKey });
        var overlayToken = (await exchanged.Content.ReadFromJsonAsync<OverlayTokenResponse>())!.AccessToken;

        using (await api.PostAsync("/api/auth/password-reset", new { account.Email })) { }
        var resetToken = await api.MailedTokenAsync(account.Email, "Reset");
        using (await api.PostAsync("/api/auth/password-reset/confirm", new { token = resetToken, newPassword = account.Password + "-new" })) { }
        // A bad token is logged as rejected: with its reason, never its text.
        var forged = admin.AccessToken[..^4] + "AAAA";
        using (await api.SendAsync(Get("/api/me", forged))) { }

        // Realtime: each replica, the token in the header and, as browsers do, in the query string of the upgrade.
        foreach (var replica in system.Parts("realtime"))
        {
            await using (var client = await LiveClients.ConnectAsync(replica.Url!, () => admin.AccessToken))
            {
                await client.Client.PingAsync();
            }
            await using (var overlay = await LiveClients.ConnectAsync(replica.Url!, () => overlayToken))
            {
                await overlay.Client.PingAsync();
            }
            await TryUpgradeAsync(new UriBuilder(replica.Url!) { Scheme = "ws", Path = "/hubs/live", Query = $"access_token={next.AccessToken}" }.Uri);
        }
        // Web: secrets travel in headers and bodies (docs/channels.md), and an access token in a query string as on the
        // hub's upgrade; Web's request lines see all of these requests.
        using (var web = system.CreateHttpClient("web"))
        {
            using var request = Get($"/?access_token={tokens.AccessToken}", admin.AccessToken);
            request.Headers.Add("Cookie", $"refresh_token={admin.RefreshToken}; overlay={overlayKey}; reset={resetToken}; verify={verifyToken}");
            using (await web.SendAsync(request)) { }
        }
        // Web's own session: sign in through the site (Web logs in, refreshes and calls Api with the browser's address
        // and its key), and hand the page a token; the session cookie and the handed token are canaries too.
        var siteAccount = TestAccount.New("canary");
        await api.RegisterAsync(siteAccount);
        using var site = new WebFormClient(system.Endpoint("web"), "127.0.0.46");
        var signedIn = await site.SignInAsync(siteAccount.Username, siteAccount.Password);
        var sessionCookie = site.Cookies.GetCookies(system.Endpoint("web")).SingleOrDefault(c => c.Name == "liveaspire-session")?.Value;
        if (sessionCookie is null)
        {
            var webErrors = (await system.LogLinesByInstanceAsync()).Where(i => i.Key.StartsWith("web", StringComparison.Ordinal))
                .SelectMany(i => i.Value.Select(l => $"{i.Key}: {l}")).Where(l => l.Contains("fail", StringComparison.Ordinal) || l.Contains("Exception", StringComparison.Ordinal) || l.Contains("   at ", StringComparison.Ordinal)).TakeLast(40);
            throw new Xunit.Sdk.XunitException($"signing in through the site set no session cookie: {(int)signedIn.Status} at {signedIn.Url}: "
                + System.Text.RegularExpressions.Regex.Replace(signedIn.Html, "<[^>]+>|\\s+", " ").Trim() + "\nWeb's errors:\n" + string.Join("\n", webErrors));
        }
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Post, "/session/token");
        tokenRequest.Headers.Add("X-CSRF-TOKEN", WebFormClient.CsrfToken(await site.GetPageAsync("/profile")));
        using var siteToken = await site.Http.SendAsync(tokenRequest);
        var pageToken = (await siteToken.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;

        string[] canaries =
        [
            account.Password, account.Password + "-wrong", account.Password + "-new", adminPassword,
            tokens.AccessToken, tokens.RefreshToken, next.AccessToken, next.RefreshToken, admin.AccessToken, admin.RefreshToken,
            tokens.AccessToken.Split('.')[2], forged.Split('.')[2], overlayKey, overlayKey[(overlayKey.IndexOf('_', StringComparison.Ordinal) + 1)..], overlayToken,
            verifyToken, resetToken, system.Parameter("redis-password"), system.Parameter("postgres-password"),
            siteAccount.Password, sessionCookie, pageToken, system.Parameter("web-client-address-key"),
        ];
        var logs = await EveryInstanceLoggedItsMarkerAsync();
        var leaks = new List<string>();
        foreach (var (instance, lines) in logs)
        {
            foreach (var canary in canaries)
            {
                // As written: the JSON console formatter escapes some characters, so a secret may appear escaped.
                string[] forms = [canary, JsonEncodedText.Encode(canary, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString(), JsonEncodedText.Encode(canary).ToString()];
                if (lines.FirstOrDefault(l => forms.Any(f => l.Contains(f, StringComparison.Ordinal))) is { } leak)
                {
                    leaks.Add($"{instance} wrote a secret: {leak[..Math.Min(300, leak.Length)]}");
                }
            }
        }
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
    }

    private static HttpRequestMessage Get(string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static async Task TryUpgradeAsync(Uri url)
    {
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        using var cts = new CancellationTokenSource(Deadline);
        try
        {
            await socket.ConnectAsync(url, cts.Token);
        }
        catch (System.Net.WebSockets.WebSocketException)
        {
            // Refused or not, the token travelled in a URL: it must not be logged.
        }
    }

    /// <summary>
    /// A request with a fresh marker in its path to each instance of each service, then each instance's console
    /// output once its marker is in it (request lines are logged in the test system), so everything the test did
    /// before is in the lines too. Fails unless every service has instances and each logged its marker.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> EveryInstanceLoggedItsMarkerAsync()
    {
        var markers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var service in Services)
        {
            var parts = system.Parts(service);
            Assert.NotEmpty(parts);
            foreach (var part in parts)
            {
                var marker = $"canary-marker-{Guid.NewGuid():N}";
                using var http = new HttpClient { BaseAddress = part.Url, Timeout = Deadline };
                using (await http.GetAsync($"/{marker}")) { }
                markers[part.Id] = marker;
            }
        }
        IReadOnlyDictionary<string, IReadOnlyList<string>> logs = new Dictionary<string, IReadOnlyList<string>>();
        await Eventually.UntilAsync(async () =>
        {
            logs = await system.LogLinesByInstanceAsync();
            return markers.All(m => logs.TryGetValue(m.Key, out var lines) && lines.Any(l => l.Contains(m.Value, StringComparison.Ordinal)));
        }, "every instance's console output to show its marker request", Deadline);
        return logs;
    }
}
