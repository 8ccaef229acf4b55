using System.Buffers;
using System.Text.RegularExpressions;

namespace LiveAspire.ServiceDefaults.Logging;

/// <summary>
/// Removes credentials from free text: rendered log messages, exception text, log field values, and anything else
/// that leaves the process (the AppHost's log tail reuses it). See <c>docs/service-defaults.md</c> for the rules.
/// </summary>
public static partial class SecretRedactor
{
    /// <summary>What every secret is replaced with.</summary>
    public const string Mask = "[redacted]";

    // Nearly every log line holds no secret. One vectorised scan for these markers lets such lines return the very
    // same string instance, so the regexes (and their allocations) only run on lines that might need them.
    private static readonly SearchValues<string> s_markers = SearchValues.Create(
        ["eyJ", "bearer", "_token", "password", "pwd", "PRIVATE KEY", "://"], StringComparison.OrdinalIgnoreCase);

    /// <summary>Returns <paramref name="text"/> with secrets masked; the same instance when nothing matched.</summary>
    public static string Redact(string text)
    {
        if (string.IsNullOrEmpty(text) || text.AsSpan().IndexOfAny(s_markers) < 0)
        {
            return text;
        }
        // Order matters: the PEM block first (its body could look like anything), connection-string passwords
        // before query tokens so "Password=a&b" is masked whole. Regex.Replace returns its input when nothing matches.
        var result = PemPrivateKey().Replace(text, Mask);
        result = Jwt().Replace(result, Mask);
        result = Bearer().Replace(result, "$1 " + Mask);
        result = PasswordAssignment().Replace(result, "$1=" + Mask);
        result = QueryToken().Replace(result, "$1=" + Mask);
        result = UriUserInfoPassword().Replace(result, "$1" + Mask + "@");
        return result;
    }

    // Unterminated blocks (a truncated line) are masked to the end of the text.
    [GeneratedRegex(@"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)")]
    private static partial Regex PemPrivateKey();

    // Header and payload are base64url JSON objects, so both start with "eyJ"; the signature may be empty (alg none).
    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]*\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*")]
    private static partial Regex Jwt();

    [GeneratedRegex(@"\b(Bearer)\s+[A-Za-z0-9\-._~+/]+=*", RegexOptions.IgnoreCase)]
    private static partial Regex Bearer();

    [GeneratedRegex(@"\b(access_token|refresh_token|id_token)=[^&\s#""';,]+", RegexOptions.IgnoreCase)]
    private static partial Regex QueryToken();

    // Npgsql ends a value at ';' (a quoted value may hold one); StackExchange.Redis at ','. A comma ends the value
    // only when the next Redis option ("...,ssl=true") follows, so a Npgsql password with a comma is masked whole.
    [GeneratedRegex(@"\b(password|pwd)\s*=\s*(?:""[^""]*""|'[^']*'|[^;\s""']*?(?=,\s*\w+\s*=|[;\s""']|$))", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordAssignment();

    // postgres://user:secret@host, redis://:secret@host
    [GeneratedRegex(@"(\b[a-z][a-z0-9+.-]*://[^/\s:@]*:)[^@\s/]+@", RegexOptions.IgnoreCase)]
    private static partial Regex UriUserInfoPassword();
}
