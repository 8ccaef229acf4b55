using LiveAspire.Contracts.Accounts;
using LiveAspire.Contracts.Auth;
using LiveAspire.Contracts.Errors;

namespace LiveAspire.Tests.Api.Accounts;

/// <summary>Log out everywhere, ban and role change: old tokens stop working and every replica is told.</summary>
[Collection(ApiCollection.Name)]
public sealed class RevocationTests(ApiFixture api)
{
    private async Task<string> AdminTokenAsync(HttpClient http)
        => (await http.LoginAsync("admin", ApiFixture.AdminPassword, $"admin-{Guid.NewGuid():N}")).AccessToken;

    [Fact]
    public async Task LogoutAllRejectsTheOldAccessTokenEndsEveryDeviceAndPublishesARevocation()
    {
        using var http = api.CreateClient();
        var (account, userId, phone) = await http.NewSessionAsync("phone");
        var laptop = await http.LoginAsync(account.Username, account.Password, "laptop");

        using var logoutAll = await http.PostAsync("/api/auth/logout-all", new { }, phone.AccessToken);
        var (raw, notice) = await api.Revocations.WaitForAsync(userId, RevocationReasons.LogoutAll);
        using var me = await http.GetMeAsync(phone.AccessToken);
        using var laptopRefresh = await http.RefreshAsync(laptop.RefreshToken);
        var again = await http.LoginAsync(account.Username, account.Password, "phone");
        using var meAgain = await http.GetMeAsync(again.AccessToken);

        Assert.Equal(HttpStatusCode.NoContent, logoutAll.StatusCode);
        Assert.Equal(2, notice!.SessionVersion);
        Assert.Contains("\"userId\":", raw, StringComparison.Ordinal); // camelCase on the wire
        Assert.Contains("\"sessionVersion\":2", raw, StringComparison.Ordinal);
        await me.AssertProblemAsync(HttpStatusCode.Unauthorized, ApiErrorCodes.Unauthenticated);
        await laptopRefresh.AssertProblemAsync(HttpStatusCode.Unauthorized, ApiErrorCodes.RefreshInvalid);
        Assert.Equal(2, AccountsClient.Payload(again.AccessToken).GetProperty("sv").GetInt32());
        Assert.Equal(HttpStatusCode.OK, meAgain.StatusCode);
    }

    [Fact]
    public async Task BannedUserCannotLogInAndTheirOldTokenIsRejectedAndUnbanRestoresLogin()
    {
        using var http = api.CreateClient();
        var admin = await AdminTokenAsync(http);
        var (account, userId, tokens) = await http.NewSessionAsync();
        using var before = await http.GetMeAsync(tokens.AccessToken); // fills the session cache

        using var ban = await http.PostAsync($"/api/admin/users/{userId}/ban", new { reason = "spam" }, admin);
        var (_, notice) = await api.Revocations.WaitForAsync(userId, RevocationReasons.Banned);
        using var me = await http.GetMeAsync(tokens.AccessToken);
        using var login = await http.PostAsync("/api/auth/login", new { login = account.Username, account.Password, deviceId = "d" });
        using var refresh = await http.RefreshAsync(tokens.RefreshToken);
        using var unban = await http.PostAsync($"/api/admin/users/{userId}/unban", null, admin);
        var afterUnban = await http.LoginAsync(account.Username, account.Password);
        using var meAfterUnban = await http.GetMeAsync(afterUnban.AccessToken);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, ban.StatusCode);
        Assert.Equal(2, notice!.SessionVersion);
        await me.AssertProblemAsync(HttpStatusCode.Unauthorized, ApiErrorCodes.Unauthenticated);
        await login.AssertProblemAsync(HttpStatusCode.Forbidden, ApiErrorCodes.UserBanned);
        await refresh.AssertProblemAsync(HttpStatusCode.Unauthorized, ApiErrorCodes.RefreshInvalid); // ban deleted it
        Assert.Equal(HttpStatusCode.NoContent, unban.StatusCode);
        Assert.Equal(HttpStatusCode.OK, meAfterUnban.StatusCode);
    }

    [Fact]
    public async Task RoleChangeRejectsTheOldTokenAndTheNextTokenCarriesTheNewRole()
    {
        using var http = api.CreateClient();
        var admin = await AdminTokenAsync(http);
        var (_, userId, tokens) = await http.NewSessionAsync();

        using var change = await http.PutAsync($"/api/admin/users/{userId}/role", new { role = "admin" }, admin);
        await api.Revocations.WaitForAsync(userId, RevocationReasons.RoleChanged);
        using var oldToken = await http.GetMeAsync(tokens.AccessToken);
        using var refreshed = await http.RefreshAsync(tokens.RefreshToken);
        var next = (await refreshed.Content.ReadFromJsonAsync<TokenResponse>())!;
        using var me = await http.GetMeAsync(next.AccessToken);

        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        await oldToken.AssertProblemAsync(HttpStatusCode.Unauthorized, ApiErrorCodes.Unauthenticated);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.Equal("admin", AccountsClient.Payload(next.AccessToken).GetProperty("role").GetString());
        Assert.Equal("admin", next.User.Role);
        Assert.Equal("admin", (await me.Content.ReadFromJsonAsync<MeResponse>())!.Role);
    }

    [Fact]
    public async Task AdminEndpointsValidateTheirInputAndChangeNothingOnBadInput()
    {
        using var http = api.CreateClient();
        var admin = await AdminTokenAsync(http);
        var (_, userId, tokens) = await http.NewSessionAsync();
        var adminId = Guid.Parse(AccountsClient.Payload(admin).GetProperty("sub").GetString()!);

        using var noReason = await http.PostAsync($"/api/admin/users/{userId}/ban", new { reason = " " }, admin);
        using var badRole = await http.PutAsync($"/api/admin/users/{userId}/role", new { role = "owner" }, admin);
        using var unknown = await http.PostAsync($"/api/admin/users/{Guid.NewGuid()}/ban", new { reason = "x" }, admin);
        using var self = await http.PutAsync($"/api/admin/users/{adminId}/role", new { role = "user" }, admin);
        using var me = await http.GetMeAsync(tokens.AccessToken);

        await noReason.AssertProblemAsync(HttpStatusCode.BadRequest, ApiErrorCodes.ValidationFailed);
        await badRole.AssertProblemAsync(HttpStatusCode.BadRequest, ApiErrorCodes.ValidationFailed);
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound, ApiErrorCodes.UserNotFound);
        await self.AssertProblemAsync(HttpStatusCode.Conflict, ApiErrorCodes.CannotTargetSelf);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(1, await api.ScalarAsync("SELECT session_version FROM users WHERE id = $1", userId));
    }
}
