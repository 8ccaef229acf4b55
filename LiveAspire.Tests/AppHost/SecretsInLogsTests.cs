using LiveAspire.Contracts.Accounts;

namespace LiveAspire.Tests.AppHost;

/// <summary>Tokens and passwords used against the running system show up in no service's log.</summary>
[Collection(SystemCollection.Name)]
public sealed class SecretsInLogsTests(AppHostFixture system)
{
    [Fact]
    public async Task CanaryPasswordAndTokensAppearInNoLogLine()
    {
        const string canaryPassword = "canary-Pa55word-7f3e9a";
        var username = $"canary{Guid.NewGuid():N}"[..20];
        using var api = system.CreateHttpClient("api");
        using (var register = await api.PostAsJsonAsync("/api/auth/register", new RegisterRequest(username, $"{username}@example.com", canaryPassword)))
        {
            Assert.True(register.IsSuccessStatusCode, $"register answered {(int)register.StatusCode}");
        }
        using var login = await api.PostAsJsonAsync("/api/auth/login", new LoginRequest(username, canaryPassword, "canary-device"));
        var tokens = (await login.Content.ReadFromJsonAsync<TokenResponse>())!;
        using (var wrong = await api.PostAsJsonAsync("/api/auth/login", new LoginRequest(username, canaryPassword + "x", "canary-device"))) { }

        // The hub, with the token in the header and, as browsers do, in the query string of the upgrade.
        await using (var client = await LiveClients.ConnectAsync(system.Endpoint("realtime"), () => tokens.AccessToken))
        {
            await client.Client.PingAsync();
        }
        using (var browserStyle = new System.Net.WebSockets.ClientWebSocket())
        {
            browserStyle.Options.SetRequestHeader("Origin", system.Endpoint("web").ToString().TrimEnd('/'));
            var url = new UriBuilder(system.Endpoint("realtime")) { Scheme = "ws", Path = "/hubs/live", Query = $"access_token={tokens.AccessToken}" }.Uri;
            try
            {
                await browserStyle.ConnectAsync(url, new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
            }
            catch (System.Net.WebSockets.WebSocketException)
            {
                // Refused or not, the token travelled in a URL: it must not be logged.
            }
        }
        // A bad token is logged as rejected: with its reason, never its text.
        var forged = tokens.AccessToken[..^4] + "AAAA";
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", forged);
        using (await api.GetAsync("/api/me")) { }

        var secrets = new[] { canaryPassword, tokens.AccessToken, tokens.RefreshToken, tokens.AccessToken.Split('.')[2], forged.Split('.')[2],
            system.Parameter("redis-password"), system.Parameter("postgres-password") };
        var lines = await system.LogLinesAsync();
        Assert.NotEmpty(lines);
        foreach (var secret in secrets)
        {
            var leaked = lines.FirstOrDefault(l => l.Contains(secret, StringComparison.Ordinal));
            Assert.True(leaked is null, $"a secret appears in a log line: {leaked?[..Math.Min(200, leaked.Length)]}");
        }
    }
}
