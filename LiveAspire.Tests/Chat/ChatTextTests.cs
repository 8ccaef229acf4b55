using LiveAspire.Chat;
using LiveAspire.Contracts.Realtime;

namespace LiveAspire.Tests.Chat;

/// <summary>The chat text rule (docs/chat.md, "The text rule"), case by case.</summary>
public sealed class ChatTextTests
{
    public static TheoryData<string, string> Normalised => new()
    {
        { "hello", "hello" },
        { "  hello   world  ", "hello world" },
        { "line\r\nbreak\tand\ttab", "line break and tab" },
        { "para\u2029graph\u2028line", "para graph line" },
        { "cafe\u0301", "caf\u00E9" },                                   // NFC: e + combining acute = é
        { "abc\u202Edef", "abcdef" },                                    // right-to-left override removed
        { "\u2066isolated\u2069 \u200Fmark", "isolated mark" },          // isolates and marks removed
        { "zero\u200Bwidth\u2060joiner\uFEFF", "zerowidthjoiner" },      // zero width space, word joiner, BOM
        { "soft\u00ADhyphen", "softhyphen" },
        { "bell\u0007null\u0000", "bellnull" },                          // other controls removed
        { "a\u200Db", "ab" },                                             // a joiner between Latin letters is invisible: removed
        { "\U0001F468\u200D\U0001F469\u200D\U0001F467", "\U0001F468\u200D\U0001F469\u200D\U0001F467" }, // family: joiners kept
        { "\U0001F3F3\uFE0F\u200D\U0001F308", "\U0001F3F3\uFE0F\u200D\U0001F308" },                   // rainbow flag
        { "\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F", "\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F" }, // England: tags kept
        { "1\uFE0F\u20E3 \U0001F44D\U0001F3FD", "1\uFE0F\u20E3 \U0001F44D\U0001F3FD" },                // keycap, skin tone
        { "\u0645\u06CC\u200C\u062E\u0648\u0627\u0645", "\u0645\u06CC\u200C\u062E\u0648\u0627\u0645" }, // Persian keeps its non-joiner
        { "<script>alert(1)</script>", "<script>alert(1)</script>" },   // markup is text, untouched
    };

    [Theory]
    [MemberData(nameof(Normalised))]
    public void TheRuleGivesOneForm(string raw, string expected)
    {
        Assert.True(ChatText.TryNormalize(raw, out var text, out var error), error);
        Assert.Equal(expected, text);
    }

    [Theory]
    [InlineData(null, HubErrorCodes.ChatEmpty)]
    [InlineData("", HubErrorCodes.ChatEmpty)]
    [InlineData("   \t\r\n ", HubErrorCodes.ChatEmpty)]
    [InlineData("\u200B\u202E\u2066\uFEFF", HubErrorCodes.ChatEmpty)]
    public void WhatIsNotAMessageIsRefusedWithItsCode(string? raw, string code)
    {
        Assert.False(ChatText.TryNormalize(raw, out var text, out var error));
        Assert.Equal(code, error);
        Assert.Equal("", text);
    }

    [Fact]
    public void ALoneSurrogateIsNotText()
    {
        // Not theory data: xUnit's serialization of a case would replace the surrogate with U+FFFD.
        foreach (var raw in new[] { "broken \uD800 text", "\uDC00", "x\uDBFF" })
        {
            Assert.False(ChatText.TryNormalize(raw, out _, out var error));
            Assert.Equal(HubErrorCodes.ChatTextInvalid, error);
        }
    }

    [Fact]
    public void FiveHundredUserPerceivedCharactersAreTheLimitWhateverTheirCodeUnits()
    {
        Assert.True(ChatText.TryNormalize(new string('x', 500), out _, out _));
        Assert.False(ChatText.TryNormalize(new string('x', 501), out _, out var error));
        Assert.Equal(HubErrorCodes.ChatTooLong, error);

        // A family emoji is five code points and eight UTF-16 units: it counts once.
        var family = "\U0001F468\u200D\U0001F469\u200D\U0001F467";
        Assert.True(ChatText.TryNormalize(string.Concat(Enumerable.Repeat(family, 500)), out var text, out _));
        Assert.Equal(500, ChatText.Length(text));
        Assert.False(ChatText.TryNormalize(string.Concat(Enumerable.Repeat(family, 501)), out _, out _));

        // Removed characters do not count: 500 letters with invisible ones between them pass.
        Assert.True(ChatText.TryNormalize(string.Concat(Enumerable.Repeat("x\u200B", 500)), out var cleaned, out _));
        Assert.Equal(new string('x', 500), cleaned);
        // Decomposed accents count as the one character they compose.
        Assert.True(ChatText.TryNormalize(string.Concat(Enumerable.Repeat("e\u0301", 500)), out _, out _));
    }

    [Fact]
    public void AQuoteIsCutAtACharactersBoundaryWithAnEllipsis()
    {
        Assert.Equal("short", ChatText.Quote("short"));
        Assert.Equal(new string('a', 80), ChatText.Quote(new string('a', 80)));
        Assert.Equal(new string('a', 80) + "…", ChatText.Quote(new string('a', 81)));
        var family = "\U0001F468\u200D\U0001F469\u200D\U0001F467";
        Assert.Equal(string.Concat(Enumerable.Repeat(family, 3)) + "…", ChatText.Quote(string.Concat(Enumerable.Repeat(family, 4)), 3));
    }
}
