using System.Globalization;
using LiveAspire.Contracts.Errors;
using LiveAspire.Web.ApiClient;

namespace LiveAspire.Web.Components.Account;

/// <summary>
/// Api's answers as the account pages say them: one place for the words, so every page says a thing the same way
/// (and never shows a code or a stack trace).
/// </summary>
public static class AccountMessages
{
    public const string WrongCredentials = "Wrong username or password.";
    public const string Banned = "This account is banned.";
    public const string UsernameTaken = "This username is taken; choose another.";
    public const string EmailTaken = "Another account uses this email address.";
    public const string TokenInvalid = "This link is unknown, already used or expired.";
    public const string Unavailable = "The site cannot reach its service right now. Please try again in a moment.";

    /// <summary>"Too many attempts, try again in N s" with Api's Retry-After (at least 1 s).</summary>
    public static string RateLimited(ApiProblem problem)
        => string.Create(CultureInfo.InvariantCulture, $"Too many attempts, try again in {Math.Max(1, (int)Math.Ceiling((problem.RetryAfter ?? TimeSpan.FromMinutes(1)).TotalSeconds))} s.");

    /// <summary>The form-level words for a problem no field explains; null when the fields carry it (validation).</summary>
    public static string? ForForm(ApiProblem problem) => problem.Code switch
    {
        ApiErrorCodes.ValidationFailed when problem.Errors.Count > 0 => null,
        ApiErrorCodes.InvalidCredentials => WrongCredentials,
        ApiErrorCodes.UserBanned => Banned,
        ApiErrorCodes.RateLimited => RateLimited(problem),
        ApiErrorCodes.EmailTokenInvalid => TokenInvalid,
        ApiErrorCodes.RedisUnavailable or ApiErrorCodes.DatabaseUnavailable or WebErrorCodes.ApiUnavailable => Unavailable,
        _ => "Something went wrong; nothing was changed. Please try again.",
    };

    /// <summary>Why a session ended, for the notice the layout shows (Api's code from the refused refresh).</summary>
    public static string SignedOut(string code) => code switch
    {
        ApiErrorCodes.UserBanned => "You were signed out: this account is banned.",
        ApiErrorCodes.RefreshReused => "You were signed out: this session's sign-in was used twice, which looks like a stolen session. Please sign in again.",
        // refresh_invalid: signed out elsewhere (everywhere), password reset, banned (a ban deletes refresh tokens), expired.
        _ => "You were signed out: your session ended (signed out everywhere, password changed, account banned, or expired). Please sign in again.",
    };

    /// <summary>A local path to go back to after signing in, or null: never an absolute or protocol-relative URL (open redirect).</summary>
    public static string? LocalReturnUrl(string? returnUrl)
        => returnUrl is { Length: > 0 } url && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
            && !url.Any(char.IsControl)
            ? url
            : null;
}
