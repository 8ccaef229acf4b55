using System.Text.RegularExpressions;
using LiveAspire.Contracts.Text;

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

    /// <summary>
    /// The username as it is kept and shown (its NFKC form, <see cref="UserText.TryNormalizeName"/>) and its
    /// lower-case key; null when it breaks the rule. The rule is checked on the NFKC form, so the Kelvin sign
    /// (U+212A) or fullwidth letters become their ASCII letters, while a dotless i or any other non-ASCII letter
    /// is refused. Both parts are ASCII, so .NET's and PostgreSQL's <c>lower()</c> agree on them
    /// (<c>users_username_format</c>).
    /// </summary>
    public static (string Display, string Normalized)? ParseUsername(string? username)
    {
        // .NET's `$` also matches before a final "\n" (PostgreSQL's does not); a name with one is refused by the
        // name rule already.
        if (!UserText.TryNormalizeName(username, out var display) || !DisplayUsername().IsMatch(display))
        {
            return null;
        }
        return (display, display.ToLowerInvariant());
    }

    /// <summary>Lower-case key of <paramref name="username"/> (<see cref="ParseUsername"/>), or null when it breaks the rule.</summary>
    public static string? NormalizeUsername(string? username) => ParseUsername(username)?.Normalized;

    /// <summary>
    /// Trimmed, lower-case address, or null when it is not a plausible address: also when it has a lone surrogate,
    /// a control, format or unassigned character (<see cref="UserText.IsCleanIdentifier"/>), which no mail system
    /// delivers to and PostgreSQL cannot store (NUL).
    /// </summary>
    public static string? NormalizeEmail(string? email)
    {
        var normalized = email?.Trim().ToLowerInvariant();
        return normalized is { Length: > 0 and <= MaxEmailLength } && UserText.IsCleanIdentifier(normalized) && Email().IsMatch(normalized)
            ? normalized : null;
    }

    /// <summary>
    /// Length and not only spaces. A password is never normalised (it is hashed exactly as typed) but must be text: a
    /// lone surrogate has no UTF-8 form, and two such passwords would hash alike.
    /// </summary>
    public static bool IsValidPassword(string? password)
        => password is { Length: >= MinPasswordLength and <= MaxPasswordLength } && !string.IsNullOrWhiteSpace(password)
           && !UserText.HasLoneSurrogate(password);

    /// <summary>A ban reason: 1 to <see cref="MaxBanReasonLength"/> characters of storable text (<see cref="UserText.IsStorableText"/>), trimmed; null otherwise.</summary>
    public static string? NormalizeBanReason(string? reason)
    {
        var trimmed = reason?.Trim();
        return trimmed is { Length: > 0 and <= MaxBanReasonLength } && UserText.IsStorableText(trimmed) ? trimmed : null;
    }

    public static bool IsValidDeviceId(string? deviceId) => deviceId is not null && DeviceId().IsMatch(deviceId);

    /// <summary>
    /// An admin's user search (<c>q</c>) as it is matched: trimmed and lower-cased, as usernames' keys and addresses are
    /// kept, so the search is case-insensitive; null when empty, longer than an address may be
    /// (<see cref="MaxEmailLength"/>), or holding a character no username or address has
    /// (<see cref="UserText.IsCleanIdentifier"/>: controls, format characters, lone surrogates).
    /// </summary>
    public static string? NormalizeUserSearch(string? q)
    {
        var normalized = q?.Trim().ToLowerInvariant();
        return normalized is { Length: > 0 and <= MaxEmailLength } && UserText.IsCleanIdentifier(normalized) ? normalized : null;
    }

    /// <summary>The rule <see cref="NormalizeUserSearch"/> checks, as a field message.</summary>
    public static string UserSearchRule => $"q must be 1 to {MaxEmailLength} characters without control or format characters.";

    public static string PasswordRule => $"password must be {MinPasswordLength} to {MaxPasswordLength} characters and not only spaces.";

    // The shown form is ASCII too (not only its lower case): U+0130 lower-cases to "i" in .NET but not in PostgreSQL.
    [GeneratedRegex(@"\A[A-Za-z0-9_]{3,32}\z")]
    private static partial Regex DisplayUsername();

    // Deliberately loose (one @, no spaces, a dot in the domain): the verification mail is the real test.
    [GeneratedRegex(@"\A[^@\s]+@[^@\s]+\.[^@\s]+\z")]
    private static partial Regex Email();

    [GeneratedRegex(@"\A[A-Za-z0-9._:-]{1,64}\z")]
    private static partial Regex DeviceId();
}
