using LiveAspire.Chat;
using LiveAspire.Contracts.Chat;

namespace LiveAspire.Tests.Chat;

/// <summary>The parse into fragments (docs/chat.md, "Fragments"): every kind, their combinations, and hostile input.</summary>
public sealed class ChatFragmentsTests
{
    private static readonly Guid Kappa = Guid.NewGuid();
    private static readonly Guid Hype = Guid.NewGuid();
    private static readonly Guid Alice = Guid.NewGuid();
    private static readonly Guid Bob = Guid.NewGuid();

    private static readonly Dictionary<string, ChatEmoteRef> Emotes = new(StringComparer.Ordinal)
    {
        ["Kappa"] = new(Kappa, $"/api/emotes/{Kappa:D}/image"),
        ["Hype"] = new(Hype, $"/api/emotes/{Hype:D}/image"),
    };

    private static readonly Dictionary<string, ChatUserRef> Users = new(StringComparer.Ordinal)
    {
        ["alice"] = new(Alice, "Alice"),
        ["bob_2"] = new(Bob, "bob_2"),
    };

    private static IReadOnlyList<ChatFragment> Parse(string raw)
    {
        Assert.True(ChatText.TryNormalize(raw, out var text, out var error), error);
        var fragments = ChatFragments.Build(text, Emotes, Users);
        // Whatever the kinds, the fragments' texts joined are the message.
        Assert.Equal(text, string.Concat(fragments.Select(f => f.Text)));
        Assert.All(fragments, f => Assert.Contains(f.Type, ChatFragmentTypes.All));
        Assert.All(fragments, f => Assert.NotEqual("", f.Text));
        return fragments;
    }

    private static string Kinds(IReadOnlyList<ChatFragment> fragments) => string.Join(" ", fragments.Select(f => f.Type));

    [Fact]
    public void PlainTextIsOneTextFragment()
    {
        var fragments = Parse("just some words, nothing more");
        Assert.Equal(ChatFragmentTypes.Text, Assert.Single(fragments).Type);
    }

    [Fact]
    public void AKnownEmoteCodeAsAWholeWordIsAnEmote()
    {
        var fragments = Parse("nice Kappa Kappa");
        Assert.Equal("text emote text emote", Kinds(fragments));
        Assert.Equal(new ChatFragment(ChatFragmentTypes.Emote, "Kappa", Kappa, $"/api/emotes/{Kappa:D}/image"), fragments[1]);
        // Inside a longer word, with punctuation stuck to it, in another case, or unknown: text.
        Assert.Equal("text", Kinds(Parse("notKappa Kappa! kappa Unknown")));
    }

    [Fact]
    public void AMentionOfAKnownUserIsAMentionAndOfNobodyText()
    {
        var fragments = Parse("hey @ALICE, and @bob_2!");
        Assert.Equal("text mention text mention text", Kinds(fragments));
        Assert.Equal(new ChatFragment(ChatFragmentTypes.Mention, "@ALICE", UserId: Alice), fragments[1]);
        Assert.Equal(", and ", fragments[2].Text);
        Assert.Equal(Bob, fragments[3].UserId);
        Assert.Equal("!", fragments[4].Text);

        Assert.Equal("text", Kinds(Parse("@nobody_here @al @alice@example.com mail@alice")));
    }

    [Theory]
    [InlineData("see https://example.com/a?b=1&c=2#d now", "https://example.com/a?b=1&c=2#d", "https://example.com/a?b=1&c=2#d")]
    [InlineData("HTTP://Example.COM/Path.", "HTTP://Example.COM/Path", "http://example.com/Path")]
    [InlineData("(https://en.wikipedia.org/wiki/Go_(game))", "https://en.wikipedia.org/wiki/Go_(game)", "https://en.wikipedia.org/wiki/Go_(game)")]
    [InlineData("look: https://example.com/x)!", "https://example.com/x", "https://example.com/x")]
    [InlineData("https://bücher.example/straße", "https://bücher.example/straße", "https://xn--bcher-kva.example/stra%C3%9Fe")]
    public void AnHttpAddressIsALinkWithoutItsTrailingPunctuation(string raw, string typed, string url)
    {
        var link = Assert.Single(Parse(raw), f => f.Type == ChatFragmentTypes.Link);
        Assert.Equal(typed, link.Text);
        Assert.Equal(url, link.Url);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("ftp://example.com/file")]
    [InlineData("https://user:secret@example.com/")]
    [InlineData("https://")]
    [InlineData("www.example.com")]
    public void AnythingButAPlainHttpAddressStaysText(string raw)
        => Assert.DoesNotContain(Parse(raw), f => f.Type == ChatFragmentTypes.Link);

    [Fact]
    public void EachEmojiIsAnEmojiFragmentWithItsSequenceIntact()
    {
        var family = "\U0001F468\u200D\U0001F469\u200D\U0001F467";
        var fragments = Parse($"hi{family}👍🏽 🇫🇷 1\uFE0F\u20E3 ok");
        Assert.Equal("text emoji emoji text emoji text emoji text", Kinds(fragments));
        Assert.Equal(family, fragments[1].Text);
        Assert.Equal("👍🏽", fragments[2].Text);
        Assert.Equal("🇫🇷", fragments[4].Text);
        Assert.Equal("1\uFE0F\u20E3", fragments[6].Text);
    }

    [Fact]
    public void EveryKindInOneMessage()
    {
        var fragments = Parse("Hype @alice look https://example.com 🎉 Kappa");
        Assert.Equal("emote text mention text link text emoji text emote", Kinds(fragments));
    }

    public static TheoryData<string> Hostile => new()
    {
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">click</a>",
        "&lt;b&gt;bold&lt;/b&gt; &amp; &#x3C;i&#x3E;",
        "\"><svg/onload=alert(1)>",
        "{{constructor.constructor('alert(1)')()}}",
        "${alert(1)} `backtick` ' OR 1=1 --",
        "](javascript:alert(1)) [x](https://evil.example)",
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void MarkupAndScriptInjectionComeBackAsLiteralText(string payload)
    {
        var fragments = Parse(payload);
        Assert.DoesNotContain(fragments, f => f.Type is ChatFragmentTypes.Emote or ChatFragmentTypes.Mention);
        Assert.All(fragments.Where(f => f.Type == ChatFragmentTypes.Link), f => Assert.StartsWith("https://", f.Url));
        Assert.Equal(payload, string.Concat(fragments.Select(f => f.Text)));
    }

    [Fact]
    public void TheCandidatesForTheDatabaseAreWholeWordCodesAndMentionNames()
    {
        var tokens = ChatTokens.Find("Kappa hello @Alice @bob_2, notKappa! @x https://a.example/Hype");
        Assert.Equal(["Kappa", "hello"], tokens.EmoteCodes.Order(StringComparer.Ordinal));
        Assert.Equal(["alice", "bob_2"], tokens.MentionNames.Order(StringComparer.Ordinal));
    }
}
