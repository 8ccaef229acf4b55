using System.Text.RegularExpressions;

namespace LiveAspire.Api.Channels;

/// <summary>
/// The rule for channel slugs: 3 to 32 characters of <c>a-z 0-9 _ -</c>, starting and ending with a letter or
/// digit. The database enforces the same pattern (<c>channels_slug_format</c>); a test keeps the two equal.
/// </summary>
public static partial class ChannelSlug
{
    /// <summary>The pattern, in a syntax both .NET and PostgreSQL regular expressions read the same way.</summary>
    public const string Pattern = "^[a-z0-9][a-z0-9_-]{1,30}[a-z0-9]$";

    // .NET's `$` also matches before a final "\n" (PostgreSQL's does not), hence the extra check.
    public static bool IsValid(string? slug) => slug is not null && !slug.EndsWith('\n') && Regex().IsMatch(slug);

    [GeneratedRegex(Pattern)]
    private static partial Regex Regex();
}
