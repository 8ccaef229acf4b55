using LiveAspire.Contracts.Text;

namespace LiveAspire.Tests.Contracts.Text;

/// <summary>The one rule for names and titles people see, and the checks for free text, addresses and passwords (docs/accounts.md).</summary>
public sealed class UserTextTests
{
    public static TheoryData<string, string> FoldedNames() => new()
    {
        { "\u212Aelvin", "Kelvin" },                       // Kelvin sign → K
        { "\uFF46\uFF55\uFF4C\uFF4C", "full" },            // fullwidth letters
        { "Cafe\u0301", "Caf\u00E9" },                     // letter + combining accent → one character
        { "\uFB01le", "file" },                           // the fi ligature
        { "  padded \u00A0", "padded" },                  // trimmed, no-break space included
        { "\u0131stanbul", "\u0131stanbul" },              // dotless i stays itself: a letter, not a look-alike fold
        { "\U0001F600 live", "\U0001F600 live" },          // an emoji (a surrogate pair) is fine
    };

    [Theory]
    [MemberData(nameof(FoldedNames))]
    public void ANameIsKeptInItsNfkcFormTrimmed(string name, string expected)
    {
        Assert.True(UserText.TryNormalizeName(name, out var normalized));
        Assert.Equal(expected, normalized);
    }

    // By name: xUnit passes theory data through a serializer that turns a lone surrogate into U+FFFD.
    private static readonly Dictionary<string, string> Refused = new()
    {
        ["right-to-left override and zero-width space"] = "\u202Eadmin\u200B...",
        ["zero-width joiner"] = "ad\u200Dmin",
        ["bidi isolates"] = "\u2067nimda\u2069",
        ["byte-order mark"] = "\uFEFFname",
        ["soft hyphen"] = "\u00ADsoft",
        ["NUL"] = "a\u0000b",
        ["line feed"] = "line\nbreak",
        ["line separator"] = "a\u2028b",
        ["unassigned"] = "a\u0378b",
        ["lone high surrogate"] = "\uD800x",
        ["lone low surrogate"] = "x\uDC00",
        ["surrogates in the wrong order"] = "\uDC00\uD800",
    };

    public static TheoryData<string> RefusedNames() => [.. Refused.Keys];

    [Theory]
    [MemberData(nameof(RefusedNames))]
    public void ANameWithAHiddenOrInvalidCharacterIsRefused(string kind)
    {
        Assert.False(UserText.TryNormalizeName(Refused[kind], out var normalized));
        Assert.Null(normalized);
    }

    [Fact]
    public void NullIsNotAName() => Assert.False(UserText.TryNormalizeName(null, out _));

    [Fact]
    public void FreeTextRefusesControlsAndLoneSurrogatesButKeepsFormatCharacters()
    {
        Assert.True(UserText.IsStorableText("\u05E9\u05DC\u05D5\u05DD \u200F(rtl) caf\u00E9"));
        Assert.False(UserText.IsStorableText("a\u0000b"));
        Assert.False(UserText.IsStorableText("a\u0007b"));
        Assert.False(UserText.IsStorableText("\uD800x"));
    }

    [Fact]
    public void AnIdentifierRefusesWhatANameRefusesWithoutBeingNormalised()
    {
        Assert.True(UserText.IsCleanIdentifier("\uFF41@example.test"));
        Assert.False(UserText.IsCleanIdentifier("a\u200B@example.test"));
        Assert.False(UserText.IsCleanIdentifier("a\u0000@example.test"));
        Assert.False(UserText.IsCleanIdentifier("\uDC00@example.test"));
    }

    [Fact]
    public void OnlyAnUnpairedSurrogateIsALoneSurrogate()
    {
        Assert.False(UserText.HasLoneSurrogate("pass\U0001F600word"));
        Assert.True(UserText.HasLoneSurrogate("pass\uD83Dword"));
        Assert.True(UserText.HasLoneSurrogate("password\uDE00"));
    }
}
