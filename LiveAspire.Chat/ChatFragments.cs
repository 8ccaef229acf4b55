using System.Globalization;
using System.Text;
using LiveAspire.Contracts.Chat;

namespace LiveAspire.Chat;

/// <summary>An emote a message may use: its id and image address.</summary>
public sealed record ChatEmoteRef(Guid Id, string Url);

/// <summary>A user a message may mention: id and name as registered.</summary>
public sealed record ChatUserRef(Guid Id, string Name);

/// <summary>
/// What in a message might need the database: whole words that could be emote codes, and the lower-case names of
/// <c>@name</c> mentions. The sender looks these up (cached), then <see cref="ChatFragments.Build"/> parses with the answers.
/// </summary>
public sealed record ChatTokens(IReadOnlySet<string> EmoteCodes, IReadOnlySet<string> MentionNames)
{
    /// <summary>Most distinct mentions looked up for one message (the rest stay text).</summary>
    public const int MaxMentions = 10;

    /// <summary>The candidates in normalised <paramref name="text"/>.</summary>
    public static ChatTokens Find(string text)
    {
        var codes = new HashSet<string>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var range in ChatFragments.Words(text))
        {
            var word = text.AsSpan(range);
            if (ChatFragments.IsEmoteCode(word))
            {
                codes.Add(word.ToString());
            }
            else if (ChatFragments.MentionName(word) is { Length: > 0 } name && names.Count < MaxMentions)
            {
                names.Add(name.ToLowerInvariant());
            }
        }
        return new ChatTokens(codes, names);
    }
}

/// <summary>
/// Parses normalised chat text (<see cref="ChatText"/>) into typed fragments, once, on the server (docs/chat.md,
/// "Fragments"). Words are split at spaces. A whole word that is a known emote's code is an emote; <c>@name</c> of a
/// known user is a mention (trailing punctuation stays text; an unknown name is text); an http or https address is a
/// link (trailing punctuation and an unbalanced closing bracket stay text; any other scheme is text); each emoji is an
/// emoji fragment; everything else is text, adjacent text merged. The fragments' texts, joined, are exactly the text.
/// </summary>
public static class ChatFragments
{
    /// <summary>Longest address made a link.</summary>
    public const int MaxLinkLength = 2048;

    /// <summary>The fragments of <paramref name="text"/>, with the emotes and users the database knows.</summary>
    public static IReadOnlyList<ChatFragment> Build(string text, IReadOnlyDictionary<string, ChatEmoteRef> emotes, IReadOnlyDictionary<string, ChatUserRef> users)
    {
        var fragments = new List<ChatFragment>();
        var pending = new StringBuilder();
        void Text(ReadOnlySpan<char> part) => pending.Append(part);
        void Add(ChatFragment fragment)
        {
            if (pending.Length > 0)
            {
                fragments.Add(new ChatFragment(ChatFragmentTypes.Text, pending.ToString()));
                pending.Clear();
            }
            fragments.Add(fragment);
        }

        var position = 0;
        foreach (var range in Words(text))
        {
            var (start, length) = range.GetOffsetAndLength(text.Length);
            Text(text.AsSpan(position, start - position)); // the space before the word
            position = start + length;
            var word = text.AsSpan(range);

            if (IsEmoteCode(word) && emotes.TryGetValue(word.ToString(), out var emote))
            {
                Add(new ChatFragment(ChatFragmentTypes.Emote, word.ToString(), EmoteId: emote.Id, Url: emote.Url));
                continue;
            }
            if (MentionName(word) is { Length: > 0 } name && users.TryGetValue(name.ToLowerInvariant(), out var user))
            {
                Add(new ChatFragment(ChatFragmentTypes.Mention, "@" + name, UserId: user.Id));
                Emojis(word[(1 + name.Length)..], Text, Add);
                continue;
            }
            // An address may follow an opening bracket or quote: "(https://...)".
            var lead = word.IndexOfAnyExcept("([{<\"'");
            if (lead >= 0 && Link(word[lead..]) is { } link)
            {
                Text(word[..lead]);
                Add(new ChatFragment(ChatFragmentTypes.Link, word.Slice(lead, link.Length).ToString(), Url: link.Url));
                Emojis(word[(lead + link.Length)..], Text, Add);
                continue;
            }
            Emojis(word, Text, Add);
        }
        Text(text.AsSpan(position));
        if (pending.Length > 0)
        {
            fragments.Add(new ChatFragment(ChatFragmentTypes.Text, pending.ToString()));
        }
        return fragments;
    }

    /// <summary>The words of <paramref name="text"/>: maximal runs without a space.</summary>
    internal static IEnumerable<Range> Words(string text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var space = i == text.Length || text[i] == ' ';
            if (space && start >= 0)
            {
                yield return new Range(start, i);
                start = -1;
            }
            else if (!space && start < 0)
            {
                start = i;
            }
        }
    }

    /// <summary>Whether a word has the form of an emote code (<c>^[A-Za-z][A-Za-z0-9]{1,24}$</c>, as Api's emotes).</summary>
    internal static bool IsEmoteCode(ReadOnlySpan<char> word)
    {
        if (word.Length is < 2 or > 25 || !char.IsAsciiLetter(word[0]))
        {
            return false;
        }
        foreach (var c in word[1..])
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The name of an <c>@name</c> at the start of a word (3 to 32 of <c>[A-Za-z0-9_]</c>, Api's username rule,
    /// followed by nothing or by a character that cannot be in a name); null otherwise.</summary>
    internal static string? MentionName(ReadOnlySpan<char> word)
    {
        if (word.Length < 4 || word[0] != '@')
        {
            return null;
        }
        var end = 1;
        while (end < word.Length && (char.IsAsciiLetterOrDigit(word[end]) || word[end] == '_'))
        {
            end++;
        }
        var length = end - 1;
        // "@name@host" or "@namé": not a mention of "name".
        if (length is < 3 or > 32 || (end < word.Length && (word[end] == '@' || char.IsLetterOrDigit(word[end]))))
        {
            return null;
        }
        return word[1..end].ToString();
    }

    /// <summary>An http or https address at the start of a word: how much of the word it takes and its absolute form.</summary>
    private static (int Length, string Url)? Link(ReadOnlySpan<char> word)
    {
        if (!(word.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || word.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }
        var length = word.Length;
        // Trailing punctuation ends a sentence, not the address; a closing bracket counts only when one was opened.
        while (length > 0)
        {
            var last = word[length - 1];
            if (".,!?;:'\"".Contains(last) || (last is ')' or ']' or '}' && Unbalanced(word[..length], last)))
            {
                length--;
                continue;
            }
            break;
        }
        if (length > MaxLinkLength || !Uri.TryCreate(word[..length].ToString(), UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https") || uri.UserInfo.Length > 0 || uri.Host.Length == 0)
        {
            return null;
        }
        // The host in its ASCII (punycode) form: what the browser will really visit, whatever the letters look like.
        return (length, new UriBuilder(uri) { Host = uri.IdnHost }.Uri.AbsoluteUri);
    }

    private static bool Unbalanced(ReadOnlySpan<char> text, char close)
    {
        var open = close switch { ')' => '(', ']' => '[', _ => '{' };
        var depth = 0;
        foreach (var c in text)
        {
            depth += c == open ? 1 : c == close ? -1 : 0;
        }
        return depth < 0;
    }

    /// <summary>Splits a piece of a word into text and emoji fragments, one per emoji.</summary>
    private static void Emojis(ReadOnlySpan<char> part, TextSink text, Action<ChatFragment> add)
    {
        var index = 0;
        var textStart = 0;
        while (index < part.Length)
        {
            var length = StringInfo.GetNextTextElementLength(part[index..]);
            if (ChatText.IsEmoji(part.Slice(index, length)))
            {
                text(part[textStart..index]);
                add(new ChatFragment(ChatFragmentTypes.Emoji, part.Slice(index, length).ToString()));
                textStart = index + length;
            }
            index += length;
        }
        text(part[textStart..]);
    }

    private delegate void TextSink(ReadOnlySpan<char> part);
}
