namespace LiveAspire.Contracts.Errors;

/// <summary>
/// The <c>code</c> extension of problem details answered by Api endpoints (docs/errors.md lists them with
/// status and whether a retry can help).
/// </summary>
public static class ApiErrorCodes
{
    /// <summary>400: the request body or a parameter is malformed; <c>errors</c> says which field.</summary>
    public const string ValidationFailed = "validation_failed";

    /// <summary>409: another account has this username.</summary>
    public const string UsernameTaken = "username_taken";

    /// <summary>409: another account has this email address.</summary>
    public const string EmailTaken = "email_taken";

    /// <summary>401: unknown login or wrong password (deliberately the same answer).</summary>
    public const string InvalidCredentials = "invalid_credentials";

    /// <summary>403: the account is banned.</summary>
    public const string UserBanned = "user_banned";

    /// <summary>401: the refresh token is unknown, expired or its session ended.</summary>
    public const string RefreshInvalid = "refresh_invalid";

    /// <summary>401: an already rotated refresh token was presented again; that device's session is ended.</summary>
    public const string RefreshReused = "refresh_reused";

    /// <summary>400: the verification or reset token is unknown, used or expired.</summary>
    public const string EmailTokenInvalid = "email_token_invalid";

    /// <summary>404: no user has this id.</summary>
    public const string UserNotFound = "user_not_found";

    /// <summary>409: an admin tried to ban themselves or change their own role.</summary>
    public const string CannotTargetSelf = "cannot_target_self";

    /// <summary>401: no access token, or an invalid, expired or revoked one.</summary>
    public const string Unauthenticated = "unauthenticated";

    /// <summary>403: the token is valid but its role does not allow this.</summary>
    public const string Forbidden = "forbidden";

    /// <summary>404: no such endpoint or resource.</summary>
    public const string NotFound = "not_found";

    /// <summary>405: the endpoint exists but not with this HTTP method.</summary>
    public const string MethodNotAllowed = "method_not_allowed";

    /// <summary>429: too many requests from this client; wait <c>Retry-After</c> seconds.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>500: an unexpected server error (logged with the trace id).</summary>
    public const string InternalError = "internal_error";
}
