using LiveAspire.Contracts.Accounts;
using LiveAspire.Contracts.Errors;

namespace LiveAspire.Tests.Api.Accounts;

[Collection(ApiCollection.Name)]
public sealed class RegistrationTests(ApiFixture api)
{
    [Fact]
    public async Task RegisteredUserVerifiesTheEmailFromTheDevMailboxLogsInAndSeesThemselves()
    {
        using var http = api.CreateClient();
        var account = TestAccount.New();

        var userId = await http.RegisterAsync(account);
        var token = await http.MailedTokenAsync(account.Email, "Confirm");
        using var verified = await http.PostAsync("/api/auth/verify-email", new { token });
        var tokens = await http.LoginAsync(account.Email.ToUpperInvariant(), account.Password);
        using var me = await http.GetMeAsync(tokens.AccessToken);

        Assert.Equal(HttpStatusCode.NoContent, verified.StatusCode);
        Assert.Equal(new UserSummary(userId, account.Username, "user"), tokens.User);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(new MeResponse(userId, account.Username, account.Email, true, "user"), await me.Content.ReadFromJsonAsync<MeResponse>());
    }

    [Fact]
    public async Task UnverifiedAccountSaysSoAndAVerificationTokenWorksOnlyOnce()
    {
        using var http = api.CreateClient();
        var (account, _, tokens) = await http.NewSessionAsync();
        using var before = await http.GetMeAsync(tokens.AccessToken);
        var token = await http.MailedTokenAsync(account.Email, "Confirm");

        using var first = await http.PostAsync("/api/auth/verify-email", new { token });
        using var second = await http.PostAsync("/api/auth/verify-email", new { token });

        Assert.False((await before.Content.ReadFromJsonAsync<MeResponse>())!.EmailVerified);
        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        await second.AssertProblemAsync(HttpStatusCode.BadRequest, ApiErrorCodes.EmailTokenInvalid);
    }

    [Fact]
    public async Task UsernameTakenInAnyLetterCaseIsAConflictAndSoIsATakenEmail()
    {
        using var http = api.CreateClient();
        var account = TestAccount.New();
        await http.RegisterAsync(account);
        var other = TestAccount.New();

        using var sameName = await http.PostAsync("/api/auth/register", new { Username = account.Username.ToUpperInvariant(), other.Email, other.Password });
        using var sameEmail = await http.PostAsync("/api/auth/register", new { other.Username, Email = " " + account.Email.ToUpperInvariant(), other.Password });

        await sameName.AssertProblemAsync(HttpStatusCode.Conflict, ApiErrorCodes.UsernameTaken);
        await sameEmail.AssertProblemAsync(HttpStatusCode.Conflict, ApiErrorCodes.EmailTaken);
        Assert.Equal(0, await api.ScalarAsync("SELECT count(*) FROM users WHERE username_normalized = $1", other.Username));
    }

    public static TheoryData<string, string> BadRegistrations => new()
    {
        { "username", """{"username":"ab","email":"EMAIL","password":"long-enough-password"}""" },
        { "username", """{"username":"has space","email":"EMAIL","password":"long-enough-password"}""" },
        { "username", """{"username":"ünïcode_name","email":"EMAIL","password":"long-enough-password"}""" },
        { "email", """{"username":"NAME","email":"not-an-address","password":"long-enough-password"}""" },
        { "password", """{"username":"NAME","email":"EMAIL","password":"short"}""" },
        { "password", """{"username":"NAME","email":"EMAIL"}""" },
    };

    [Theory]
    [MemberData(nameof(BadRegistrations))]
    public async Task BadRegistrationInputIsAValidationProblemNamingTheFieldAndCreatesNothing(string field, string body)
    {
        using var http = api.CreateClient();
        var account = TestAccount.New();
        var json = body.Replace("EMAIL", account.Email, StringComparison.Ordinal).Replace("NAME", account.Username, StringComparison.Ordinal);

        using var response = await http.PostAsync("/api/auth/register", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ApiErrorCodes.ValidationFailed);
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(0, await api.ScalarAsync("SELECT count(*) FROM users WHERE email = $1 OR username_normalized = $2", account.Email, account.Username));
        Assert.Empty((await http.GetFromJsonAsync<List<DevMailMessage>>($"/api/dev/mail?to={account.Email}"))!);
    }

    [Fact]
    public async Task MalformedJsonIsAProblemWithACode()
    {
        using var http = api.CreateClient();

        using var response = await http.PostAsync("/api/auth/login", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ApiErrorCodes.ValidationFailed);
    }
}
