using System.Text.RegularExpressions;

namespace LiveAspire.Api.Accounts;

/// <summary>
/// Input rules for accounts. The database enforces the username and email shapes too (<c>users_username_format</c>,
/// <c>users_email_format</c>); these give the client a field-level message first.
/// </summary>
public static partial class AccountRules
{
    /// <summary>Normalized (lower-case) username, in a syntax .NET and PostgreSQL read the same way.</summary>
    public const string UsernamePattern = "^[a-z0-9_]{3,32}$";

    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 128;
    public const int MaxEmailLength = 254;
    public const int MaxBanReasonLength = 500;

    /// <summary>Lower-case form, or null when <paramref name="username"/> breaks the rule.</summary>
    public static string? NormalizeUsername(string? username)
    {
        // .NET's `$` also matches before a final "\n" (PostgreSQL's does not), hence the extra check.
        var normalized = username?.ToLowerInvariant();
        return normalized is not null && !normalized.EndsWith('\n') && Username().IsMatch(normalized) ? normalized : null;
    }

    /// <summary>Trimmed, lower-case address, or null when it is not a plausible address.</summary>
    public static string? NormalizeEmail(string? email)
    {
        var normalized = email?.Trim().ToLowerInvariant();
        return normalized is { Length: > 0 and <= MaxEmailLength } && Email().IsMatch(normalized) ? normalized : null;
    }

    public static bool IsValidPassword(string? password)
        => password is { Length: >= MinPasswordLength and <= MaxPasswordLength } && !string.IsNullOrWhiteSpace(password);

    public static bool IsValidDeviceId(string? deviceId) => deviceId is not null && DeviceId().IsMatch(deviceId);

    public static string PasswordRule => $"password must be {MinPasswordLength} to {MaxPasswordLength} characters and not only spaces.";

    [GeneratedRegex(UsernamePattern)]
    private static partial Regex Username();

    // Deliberately loose (one @, no spaces, a dot in the domain): the verification mail is the real test.
    [GeneratedRegex(@"\A[^@\s]+@[^@\s]+\.[^@\s]+\z")]
    private static partial Regex Email();

    [GeneratedRegex(@"\A[A-Za-z0-9._:-]{1,64}\z")]
    private static partial Regex DeviceId();
}
