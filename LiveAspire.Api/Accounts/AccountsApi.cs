using LiveAspire.Contracts.Text;
using LiveAspire.Rooms;
using StackExchange.Redis;

namespace LiveAspire.Api.Accounts;

public static class AccountsApi
{
    public static RouteGroupBuilder MapAccountsApi(this IEndpointRouteBuilder api)
    {
        // No AllowAnonymous on the group: it would override RequireAuthorization on the logout pair. Without a
        // fallback policy the other endpoints are open anyway (they are how one gets a token).
        var group = api.MapGroup("/auth").WithTags("Accounts");
        group.MapPost("/register", Register).WithName(nameof(Register)).RequireRateLimiting(AccountsExtensions.RegisterRateLimit);
        group.MapPost("/login", Login).WithName(nameof(Login)).RequireRateLimiting(AccountsExtensions.LoginRateLimit);
        group.MapPost("/refresh", Refresh).WithName(nameof(Refresh)).RequireRateLimiting(AccountsExtensions.RefreshRateLimit);
        group.MapPost("/logout", Logout).WithName(nameof(Logout)).RequireAuthorization();
        group.MapPost("/logout-all", LogoutAll).WithName(nameof(LogoutAll)).RequireAuthorization();
        group.MapPost("/verify-email", VerifyEmail).WithName(nameof(VerifyEmail));
        group.MapPost("/password-reset", RequestPasswordReset).WithName(nameof(RequestPasswordReset))
            .RequireRateLimiting(AccountsExtensions.PasswordResetRateLimit);
        group.MapPost("/password-reset/confirm", ConfirmPasswordReset).WithName(nameof(ConfirmPasswordReset));
        return group;
    }

    public static async Task<Results<Created<RegisterResponse>, ValidationProblem, ProblemHttpResult>> Register(
        RegisterRequest request, AccountService accounts, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var username = AccountRules.ParseUsername(request.Username);
        if (username is null)
        {
            errors["username"] = ["username must be 3 to 32 characters of letters, digits and _ (after NFKC normalisation)."];
        }
        var email = AccountRules.NormalizeEmail(request.Email);
        if (email is null)
        {
            errors["email"] = ["email must be an email address."];
        }
        if (!AccountRules.IsValidPassword(request.Password))
        {
            errors["password"] = [AccountRules.PasswordRule];
        }
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }
        var (userId, error) = await accounts.RegisterAsync(username!.Value.Display, username.Value.Normalized, email!, request.Password!, cancellationToken);
        return error switch
        {
            null => TypedResults.Created("/api/me", new RegisterResponse(userId)),
            ApiErrorCodes.EmailTaken => ApiProblems.Problem(StatusCodes.Status409Conflict, error, "Another account uses this email address."),
            _ => ApiProblems.Problem(StatusCodes.Status409Conflict, error, "This username is taken."),
        };
    }

    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> Login(
        LoginRequest request, SessionService sessions, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Login) || request.Login.Length > AccountRules.MaxEmailLength || UserText.HasLoneSurrogate(request.Login))
        {
            errors["login"] = ["login must be a username or an email address."];
        }
        if (string.IsNullOrEmpty(request.Password) || request.Password.Length > AccountRules.MaxPasswordLength || UserText.HasLoneSurrogate(request.Password))
        {
            errors["password"] = ["password is required (valid UTF-16 text)."];
        }
        if (!AccountRules.IsValidDeviceId(request.DeviceId))
        {
            errors["deviceId"] = ["deviceId must be 1 to 64 characters of letters, digits and . _ : -"];
        }
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }
        return ToResult(await sessions.LoginAsync(request.Login!, request.Password!, request.DeviceId!, cancellationToken));
    }

    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> Refresh(
        RefreshRequest request, SessionService sessions, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.RefreshToken))
        {
            return ApiProblems.Validation("refreshToken", "refreshToken is required.");
        }
        return ToResult(await sessions.RefreshAsync(request.RefreshToken, cancellationToken));
    }

    public static async Task<Results<NoContent, ValidationProblem>> Logout(
        LogoutRequest request, ClaimsPrincipal user, SessionService sessions, CancellationToken cancellationToken)
    {
        if (!AccountRules.IsValidDeviceId(request.DeviceId))
        {
            return ApiProblems.Validation("deviceId", "deviceId must be 1 to 64 characters of letters, digits and . _ : -");
        }
        await sessions.LogoutAsync(user.UserId(), request.DeviceId!, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> LogoutAll(
        ClaimsPrincipal user, SessionService sessions, CancellationToken cancellationToken)
        => await sessions.LogoutAllAsync(user.UserId(), cancellationToken)
            ? TypedResults.NoContent()
            : ApiProblems.Problem(StatusCodes.Status404NotFound, ApiErrorCodes.UserNotFound, "This user no longer exists.");

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> VerifyEmail(
        VerifyEmailRequest request, AccountService accounts, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.Token))
        {
            return ApiProblems.Validation("token", "token is required.");
        }
        return SecureTokens.LooksValid(request.Token) && await accounts.VerifyEmailAsync(request.Token, cancellationToken)
            ? TypedResults.NoContent()
            : ApiProblems.Problem(StatusCodes.Status400BadRequest, ApiErrorCodes.EmailTokenInvalid, "The token is unknown, used or expired.");
    }

    public static async Task<Results<Accepted, ValidationProblem, ProblemHttpResult>> RequestPasswordReset(
        PasswordResetRequest request, HttpContext context, PasswordResetLimiter limiter, AccountService accounts, CancellationToken cancellationToken)
    {
        var email = AccountRules.NormalizeEmail(request.Email);
        if (email is null)
        {
            return ApiProblems.Validation("email", "email must be an email address.");
        }
        // Counted before the account is looked up, for every address: a known address and an unknown one run out
        // of budget alike, so a 429 tells nothing either.
        TimeSpan? retryAfter;
        try
        {
            retryAfter = await limiter.TryAcquireAsync(email, cancellationToken);
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
        {
            // Without the count no mail goes out: an outage must not lift the limit.
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The password reset cannot be counted right now; retry shortly.",
                extensions: new Dictionary<string, object?> { [ApiProblems.CodeExtension] = ApiErrorCodes.RedisUnavailable, ["retryAfterMs"] = RoomStoreUnavailableException.RetryAfterMs });
        }
        if (retryAfter is { } wait)
        {
            return AccountsExtensions.RateLimited(context, wait,
                "Too many password reset requests for this address; retry after the number of seconds in Retry-After.");
        }
        // The same answer whether or not the account exists: this endpoint must not reveal who is registered.
        await accounts.RequestPasswordResetAsync(email, cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ConfirmPasswordReset(
        PasswordResetConfirmRequest request, AccountService accounts, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(request.Token))
        {
            errors["token"] = ["token is required."];
        }
        if (!AccountRules.IsValidPassword(request.NewPassword))
        {
            errors["newPassword"] = [AccountRules.PasswordRule.Replace("password", "newPassword", StringComparison.Ordinal)];
        }
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }
        return SecureTokens.LooksValid(request.Token) && await accounts.ConfirmPasswordResetAsync(request.Token!, request.NewPassword!, cancellationToken)
            ? TypedResults.NoContent()
            : ApiProblems.Problem(StatusCodes.Status400BadRequest, ApiErrorCodes.EmailTokenInvalid, "The token is unknown, used or expired.");
    }

    private static Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult> ToResult(SessionOutcome outcome) => outcome switch
    {
        { Tokens: { } tokens } => TypedResults.Ok(tokens),
        { Error: ApiErrorCodes.UserBanned } => ApiProblems.Problem(StatusCodes.Status403Forbidden, ApiErrorCodes.UserBanned, "This account is banned."),
        { Error: ApiErrorCodes.RefreshReused } => ApiProblems.Problem(StatusCodes.Status401Unauthorized, ApiErrorCodes.RefreshReused,
            "This refresh token was already used; the device's session has ended. Log in again."),
        { Error: ApiErrorCodes.RefreshInvalid } => ApiProblems.Problem(StatusCodes.Status401Unauthorized, ApiErrorCodes.RefreshInvalid,
            "The refresh token is unknown or expired. Log in again."),
        _ => ApiProblems.Problem(StatusCodes.Status401Unauthorized, ApiErrorCodes.InvalidCredentials, "Wrong login or password."),
    };
}
