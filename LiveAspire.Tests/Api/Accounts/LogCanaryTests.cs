using LiveAspire.Contracts.Accounts;

namespace LiveAspire.Tests.Api.Accounts;

[Collection(ApiCollection.Name)]
public sealed class LogCanaryTests(ApiFixture api)
{
    [Fact]
    public async Task NoApiLogLineContainsAPasswordOrTokenThatWasUsed()
    {
        using var http = api.CreateClient();
        var (account, _, tokens) = await http.NewSessionAsync();
        var verifyToken = await http.MailedTokenAsync(account.Email, "Confirm");
        using var verified = await http.PostAsync("/api/auth/verify-email", new { token = verifyToken });
        using var refreshed = await http.RefreshAsync(tokens.RefreshToken);
        var next = (await refreshed.Content.ReadFromJsonAsync<TokenResponse>())!;
        using var reused = await http.RefreshAsync(tokens.RefreshToken); // logs a reuse warning
        using var wrong = await http.PostAsync("/api/auth/login", new { login = account.Username, password = account.Password + "-wrong", deviceId = "d" });
        using var reset = await http.PostAsync("/api/auth/password-reset", new { account.Email });
        var resetToken = await http.MailedTokenAsync(account.Email, "Reset");
        using var confirmed = await http.PostAsync("/api/auth/password-reset/confirm", new { token = resetToken, newPassword = account.Password + "-new" });
        var admin = await http.LoginAsync("admin", ApiFixture.AdminPassword, "canary");

        // A rejected token is logged with its path: once this line is in the tail, everything above was logged too.
        var marker = $"canary-{Guid.NewGuid():N}";
        using var probe = await http.GetMeAsync("rejected-token");
        using var markerRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/me/{marker}");
        markerRequest.Headers.Authorization = new("Bearer", "rejected-token");
        using var _ = await http.SendAsync(markerRequest);
        IReadOnlyList<string> log = [];
        await Eventually.UntilAsync(async () => (log = await api.LogLinesAsync()).Any(l => l.Contains(marker, StringComparison.Ordinal)),
            "the api's log to show the marker request", TimeSpan.FromSeconds(15));

        string[] canaries =
        [
            account.Password, account.Password + "-wrong", account.Password + "-new", ApiFixture.AdminPassword,
            tokens.AccessToken, tokens.RefreshToken, next.AccessToken, next.RefreshToken, admin.AccessToken, admin.RefreshToken,
            verifyToken, resetToken,
        ];
        var lines = log;
        Assert.Equal(HttpStatusCode.Unauthorized, reused.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, confirmed.StatusCode);
        Assert.Contains(lines, l => l.Contains("reuse", StringComparison.OrdinalIgnoreCase)); // the log does speak about it
        foreach (var canary in canaries)
        {
            var leak = lines.FirstOrDefault(l => l.Contains(canary, StringComparison.Ordinal));
            Assert.True(leak is null, $"a log line contains a secret that was used: {leak?[..Math.Min(200, leak.Length)]}");
        }
    }
}
