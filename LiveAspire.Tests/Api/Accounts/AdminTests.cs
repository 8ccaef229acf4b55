using LiveAspire.Contracts.Accounts;
using LiveAspire.Contracts.Errors;

namespace LiveAspire.Tests.Api.Accounts;

[Collection(ApiCollection.Name)]
public sealed class AdminTests(ApiFixture api)
{
    [Fact]
    public async Task FirstAdminWasCreatedFromTheConfiguredPasswordExactlyOnce()
    {
        using var http = api.CreateClient();

        var tokens = await http.LoginAsync("admin", ApiFixture.AdminPassword);
        using var me = await http.GetMeAsync(tokens.AccessToken);

        Assert.Equal("admin", tokens.User.Role);
        Assert.Equal(new MeResponse(tokens.User.Id, "admin", "admin@liveaspire.local", true, "admin"), await me.Content.ReadFromJsonAsync<MeResponse>());
        Assert.Equal(1, await api.ScalarAsync("SELECT count(*) FROM users WHERE username_normalized = 'admin'"));
    }

    [Fact]
    public async Task NormalUserGetsForbiddenOnAdminEndpointsAndAnonymousGetsUnauthorized()
    {
        using var http = api.CreateClient();
        var (_, _, tokens) = await http.NewSessionAsync();
        var (_, victim, _) = await http.NewSessionAsync();

        using var ban = await http.PostAsync($"/api/admin/users/{victim}/ban", new { reason = "no" }, tokens.AccessToken);
        using var role = await http.PutAsync($"/api/admin/users/{victim}/role", new { role = "admin" }, tokens.AccessToken);
        using var anonymous = await http.PostAsync($"/api/admin/users/{victim}/unban", null);

        await ban.AssertProblemAsync(HttpStatusCode.Forbidden, ApiErrorCodes.Forbidden);
        await role.AssertProblemAsync(HttpStatusCode.Forbidden, ApiErrorCodes.Forbidden);
        await anonymous.AssertProblemAsync(HttpStatusCode.Unauthorized, ApiErrorCodes.Unauthenticated);
        Assert.Equal(0, await api.ScalarAsync("SELECT count(*) FROM users WHERE id = $1 AND (banned_at IS NOT NULL OR global_role <> 'user')", victim));
    }
}
