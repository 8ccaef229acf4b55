using LiveAspire.Contracts.Accounts;
using LiveAspire.Contracts.Errors;

namespace LiveAspire.Tests.Api.Accounts;

[Collection(ApiCollection.Name)]
public sealed class SessionTests(ApiFixture api)
{
    [Fact]
    public async Task WrongPasswordAndUnknownUserGetTheSameUnauthorizedAnswer()
    {
        using var http = api.CreateClient();
        var account = TestAccount.New();
        await http.RegisterAsync(account);

        using var wrongPassword = await http.PostAsync("/api/auth/login", new { login = account.Username, password = "wrong-password", deviceId = "d" });
        using var unknownUser = await http.PostAsync("/api/auth/login", new { login = "nobody_" + Guid.NewGuid().ToString("N")[..8], password = "wrong-password", deviceId = "d" });

        await wrongPassword.AssertProblemAsync(HttpStatusCode.Unauthorized, ApiErrorCodes.InvalidCredentials);
        await unknownUser.AssertProblemAsync(HttpStatusCode.Unauthorized, ApiErrorCodes.InvalidCredentials);
        Assert.Equal(await BodyWithoutTraceIdAsync(wrongPassword), await BodyWithoutTraceIdAsync(unknownUser));
    }

    private static async Task<string> BodyWithoutTraceIdAsync(HttpResponseMessage response)
    {
        var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        body.Remove("traceId");
        return body.ToJsonString();
    }

    [Fact]
    public async Task AccessTokenCarriesTheDocumentedClaimsAndLivesFifteenMinutes()
    {
        using var http = api.CreateClient();
        var (account, userId, tokens) = await http.NewSessionAsync();

        var claims = AccountsClient.Payload(tokens.AccessToken);

        Assert.Equal(userId.ToString(), claims.GetProperty("sub").GetString());
        Assert.Equal(1, claims.GetProperty("sv").GetInt32()); // a number, not a string
        Assert.Equal("user", claims.GetProperty("role").GetString());
        Assert.Equal(account.Username, claims.GetProperty("name").GetString());
        Assert.Equal("liveaspire-api", claims.GetProperty("iss").GetString());
        Assert.Equal("liveaspire", claims.GetProperty("aud").GetString());
        Assert.False(string.IsNullOrEmpty(claims.GetProperty("jti").GetString()));
        Assert.Equal(15 * 60, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());
        Assert.Equal(tokens.AccessTokenExpiresAt.ToUnixTimeSeconds(), claims.GetProperty("exp").GetInt64());
        Assert.InRange(tokens.RefreshTokenExpiresAt - DateTimeOffset.UtcNow, TimeSpan.FromDays(29.9), TimeSpan.FromDays(30));
    }

    [Fact]
    public async Task RefreshRotatesTheTokenAndTheOldOneStopsWorking()
    {
        using var http = api.CreateClient();
        var (_, _, first) = await http.NewSessionAsync();

        using var refreshed = await http.RefreshAsync(first.RefreshToken);
        var second = (await refreshed.Content.ReadFromJsonAsync<TokenResponse>())!;
        using var me = await http.GetMeAsync(second.AccessToken);
        using var third = await http.RefreshAsync(second.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    [Fact]
    public async Task PresentingARotatedRefreshTokenAgainEndsThatDevicesSession()
    {
        using var http = api.CreateClient();
        var (_, _, first) = await http.NewSessionAsync();
        using var rotated = await http.RefreshAsync(first.RefreshToken);
        var current = (await rotated.Content.ReadFromJsonAsync<TokenResponse>())!;

        using var reuse = await http.RefreshAsync(first.RefreshToken);
        using var afterReuse = await http.RefreshAsync(current.RefreshToken);

        await reuse.AssertProblemAsync(HttpStatusCode.Unauthorized, ApiErrorCodes.RefreshReused);
        await afterReuse.AssertProblemAsync(HttpStatusCode.Unauthorized, ApiErrorCodes.RefreshInvalid);
    }

    [Fact]
    public async Task UnknownOrMalformedRefreshTokensAreRejected()
    {
        using var http = api.CreateClient();

        using var unknown = await http.RefreshAsync(Convert.ToBase64String(new byte[32]).TrimEnd('=').Replace('+', '-').Replace('/', '_'));
        using var malformed = await http.RefreshAsync("not a token");
        using var missing = await http.PostAsync("/api/auth/refresh", new { });

        await unknown.AssertProblemAsync(HttpStatusCode.Unauthorized, ApiErrorCodes.RefreshInvalid);
        await malformed.AssertProblemAsync(HttpStatusCode.Unauthorized, ApiErrorCodes.RefreshInvalid);
        await missing.AssertProblemAsync(HttpStatusCode.BadRequest, ApiErrorCodes.ValidationFailed);
    }

    [Fact]
    public async Task LogoutEndsOnlyThatDevicesRefreshToken()
    {
        using var http = api.CreateClient();
        var (account, _, phone) = await http.NewSessionAsync("phone");
        var laptop = await http.LoginAsync(account.Username, account.Password, "laptop");

        using var logout = await http.PostAsync("/api/auth/logout", new { deviceId = "phone" }, phone.AccessToken);
        using var phoneRefresh = await http.RefreshAsync(phone.RefreshToken);
        using var laptopRefresh = await http.RefreshAsync(laptop.RefreshToken);

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        await phoneRefresh.AssertProblemAsync(HttpStatusCode.Unauthorized, ApiErrorCodes.RefreshInvalid);
        Assert.Equal(HttpStatusCode.OK, laptopRefresh.StatusCode);
    }

    [Fact]
    public async Task ASecondLoginOnTheSameDeviceReplacesItsRefreshToken()
    {
        using var http = api.CreateClient();
        var (account, userId, first) = await http.NewSessionAsync("tablet");

        var second = await http.LoginAsync(account.Username, account.Password, "tablet");
        using var oldRefresh = await http.RefreshAsync(first.RefreshToken);
        using var newRefresh = await http.RefreshAsync(second.RefreshToken);

        await oldRefresh.AssertProblemAsync(HttpStatusCode.Unauthorized, ApiErrorCodes.RefreshInvalid);
        Assert.Equal(HttpStatusCode.OK, newRefresh.StatusCode);
        Assert.Equal(1, await api.ScalarAsync("SELECT count(*) FROM refresh_tokens WHERE user_id = $1", userId));
    }

    [Fact]
    public async Task EndpointsThatNeedATokenAnswer401WithACodeWithoutOne()
    {
        using var http = api.CreateClient();

        using var me = await http.GetAsync("/api/me");
        using var forged = await http.GetMeAsync("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.");
        using var logoutAll = await http.PostAsync("/api/auth/logout-all", new { });
        using var logout = await http.PostAsync("/api/auth/logout", new { deviceId = "d" });

        await me.AssertProblemAsync(HttpStatusCode.Unauthorized, ApiErrorCodes.Unauthenticated);
        await forged.AssertProblemAsync(HttpStatusCode.Unauthorized, ApiErrorCodes.Unauthenticated);
        await logoutAll.AssertProblemAsync(HttpStatusCode.Unauthorized, ApiErrorCodes.Unauthenticated);
        await logout.AssertProblemAsync(HttpStatusCode.Unauthorized, ApiErrorCodes.Unauthenticated);
    }
}
