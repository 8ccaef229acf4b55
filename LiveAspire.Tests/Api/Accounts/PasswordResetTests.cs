using LiveAspire.Contracts.Accounts;
using LiveAspire.Contracts.Auth;
using LiveAspire.Contracts.Errors;

namespace LiveAspire.Tests.Api.Accounts;

[Collection(ApiCollection.Name)]
public sealed class PasswordResetTests(ApiFixture api)
{
    [Fact]
    public async Task ResetTokenFromTheMailSetsTheNewPasswordOnceAndEndsEverySession()
    {
        using var http = api.CreateClient();
        var (account, userId, tokens) = await http.NewSessionAsync();

        using var request = await http.PostAsync("/api/auth/password-reset", new { account.Email });
        var token = await http.MailedTokenAsync(account.Email, "Reset");
        using var confirm = await http.PostAsync("/api/auth/password-reset/confirm", new { token, newPassword = "a-brand-new-password" });
        await api.Revocations.WaitForAsync(userId, RevocationReasons.PasswordReset);
        using var again = await http.PostAsync("/api/auth/password-reset/confirm", new { token, newPassword = "yet-another-password" });
        using var oldPassword = await http.PostAsync("/api/auth/login", new { login = account.Username, account.Password, deviceId = "d" });
        using var oldToken = await http.GetMeAsync(tokens.AccessToken);
        using var oldRefresh = await http.RefreshAsync(tokens.RefreshToken);
        var newLogin = await http.LoginAsync(account.Username, "a-brand-new-password");

        Assert.Equal(HttpStatusCode.Accepted, request.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, confirm.StatusCode);
        await again.AssertProblemAsync(HttpStatusCode.BadRequest, ApiErrorCodes.EmailTokenInvalid);
        await oldPassword.AssertProblemAsync(HttpStatusCode.Unauthorized, ApiErrorCodes.InvalidCredentials);
        await oldToken.AssertProblemAsync(HttpStatusCode.Unauthorized, ApiErrorCodes.Unauthenticated);
        await oldRefresh.AssertProblemAsync(HttpStatusCode.Unauthorized, ApiErrorCodes.RefreshInvalid);
        Assert.Equal(userId, newLogin.User.Id);
    }

    [Fact]
    public async Task ResetForAnUnknownAddressAnswersTheSameAndMailsNothing()
    {
        using var http = api.CreateClient();
        var nobody = TestAccount.New().Email;

        using var response = await http.PostAsync("/api/auth/password-reset", new { email = nobody });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Empty((await http.GetFromJsonAsync<List<DevMailMessage>>($"/api/dev/mail?to={nobody}"))!);
    }

    [Fact]
    public async Task ConfirmRejectsAShortPasswordWithoutSpendingTheTokenAndAVerifyTokenCannotReset()
    {
        using var http = api.CreateClient();
        var (account, _, _) = await http.NewSessionAsync();
        using var requested = await http.PostAsync("/api/auth/password-reset", new { account.Email });
        var token = await http.MailedTokenAsync(account.Email, "Reset");
        var verifyToken = await http.MailedTokenAsync(account.Email, "Confirm");

        using var shortPassword = await http.PostAsync("/api/auth/password-reset/confirm", new { token, newPassword = "short" });
        using var wrongPurpose = await http.PostAsync("/api/auth/password-reset/confirm", new { token = verifyToken, newPassword = "long-enough-password" });
        using var good = await http.PostAsync("/api/auth/password-reset/confirm", new { token, newPassword = "long-enough-password" });

        await shortPassword.AssertProblemAsync(HttpStatusCode.BadRequest, ApiErrorCodes.ValidationFailed);
        await wrongPurpose.AssertProblemAsync(HttpStatusCode.BadRequest, ApiErrorCodes.EmailTokenInvalid);
        Assert.Equal(HttpStatusCode.NoContent, good.StatusCode);
    }
}
