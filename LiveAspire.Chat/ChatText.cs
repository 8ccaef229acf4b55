using System.Buffers;
using System.Globalization;
using System.Text;
using LiveAspire.Contracts.Realtime;
using LiveAspire.Contracts.Text;

namespace LiveAspire.Chat;

/// <summary>
/// The one written rule for chat text (docs/chat.md, "The text rule"), applied to every message before it is stored:
/// <list type="number">
/// <item>A lone UTF-16 surrogate is not text: refused (<c>chat_text_invalid</c>).</item>
/// <item>Unicode NFC, so one text has one form (a letter and its combining accent become one character).</item>
/// <item>Control characters (Cc): line breaks, tabs and the line and paragraph separators become a space; the others
/// are removed.</item>
/// <item>Invisible format characters (Cf: the bidi embeddings, overrides, isolates and marks such as U+202E, the zero
/// width space, the word joiner, the byte-order mark, the soft hyphen, tag characters...) are removed, except inside an
/// emoji (the zero width joiner of 👨‍👩‍👧, the tags of 🏴 flags), and the zero width joiner and non-joiner
/// after a letter of a script that uses them (beyond Latin: Arabic, Persian, Indic scripts); a bidi override can no
/// longer turn the rest of a line around, nor an invisible character hide in a word.</item>
/// <item>Runs of white space become one space; leading and trailing space is removed.</item>
/// <item>What is left must be 1 to <see cref="MaxLength"/> user-perceived characters (extended grapheme clusters,
/// UAX #29: an emoji sequence with its joiners and modifiers counts once): empty is <c>chat_empty</c>, longer is
/// <c>chat_too_long</c>.</item>
/// </list>
/// The text is never interpreted as markup anywhere; the fragments (<see cref="ChatFragments"/>) carry it as text.
/// </summary>
public static class ChatText
{
    /// <summary>Most user-perceived characters in a message.</summary>
    public const int MaxLength = 500;

    /// <summary>Most user-perceived characters in a reply's quote of its parent.</summary>
    public const int QuoteLength = 80;

    /// <summary>Applies the rule: the normalised text, or false with the error code (a <see cref="HubErrorCodes"/> value).</summary>
    public static bool TryNormalize(string? raw, out string text, out string? errorCode)
    {
        text = "";
        if (string.IsNullOrEmpty(raw))
        {
            errorCode = HubErrorCodes.ChatEmpty;
            return false;
        }
        if (UserText.HasLoneSurrogate(raw))
        {
            errorCode = HubErrorCodes.ChatTextInvalid;
            return false;
        }
        var normalized = Nfc(raw);
        var builder = new StringBuilder(normalized.Length);
        var graphemes = 0;
        var pendingSpace = false;
        var index = 0;
        while (index < normalized.Length)
        {
            var length = StringInfo.GetNextTextElementLength(normalized.AsSpan(index));
            var cluster = normalized.AsSpan(index, length);
            index += length;
            if (IsSpace(cluster))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }
            var kept = Clean(cluster);
            if (kept.Length == 0)
            {
                continue;
            }
            if (kept.IsWhiteSpace())
            {
                // A space that carried an invisible character (a joiner attaches to what precedes it).
                pendingSpace = builder.Length > 0;
                continue;
            }
            if (pendingSpace)
            {
                builder.Append(' ');
                graphemes++;
                pendingSpace = false;
            }
            builder.Append(kept);
            graphemes++;
            if (graphemes > MaxLength)
            {
                errorCode = HubErrorCodes.ChatTooLong;
                return false;
            }
        }
        if (builder.Length == 0)
        {
            errorCode = HubErrorCodes.ChatEmpty;
            return false;
        }
        text = builder.ToString();
        errorCode = null;
        return true;
    }

    /// <summary>User-perceived characters (extended grapheme clusters) in <paramref name="text"/>.</summary>
    public static int Length(string text) => new StringInfo(text).LengthInTextElements;

    /// <summary>A short quote of a message for a reply: its first <paramref name="max"/> user-perceived characters, cut
    /// at a character's boundary and ended with an ellipsis when cut.</summary>
    public static string Quote(string text, int max = QuoteLength)
    {
        var index = 0;
        for (var n = 0; n < max; n++)
        {
            if (index >= text.Length)
            {
                return text;
            }
            index += StringInfo.GetNextTextElementLength(text.AsSpan(index));
        }
        return index >= text.Length ? text : text[..index].TrimEnd() + "…";
    }

    /// <summary>Whether a cluster is an emoji: an emoji presentation selector or keycap in it, a regional indicator
    /// (flags), or a first code point in the emoji blocks.</summary>
    public static bool IsEmoji(ReadOnlySpan<char> cluster)
    {
        if (cluster.Contains('\uFE0F') || cluster.Contains('\u20E3'))
        {
            return true;
        }
        if (Rune.DecodeFromUtf16(cluster, out var first, out _) != OperationStatus.Done)
        {
            return false;
        }
        var c = first.Value;
        return c is >= 0x1F000 and <= 0x1FAFF or >= 0x2600 and <= 0x27BF or 0x231A or 0x231B or >= 0x23E9 and <= 0x23FA
            or 0x2B50 or 0x2B55 or 0x2B1B or 0x2B1C or 0x3030 or 0x303D;
    }

    private static string Nfc(string raw)
    {
        if (Ascii.IsValid(raw))
        {
            return raw; // ASCII is its own NFC form
        }
        if (!UserText.CanNormalize)
        {
            throw new InvalidOperationException("NFC normalisation needs ICU; this process runs with InvariantGlobalization.");
        }
        return raw.IsNormalized(NormalizationForm.FormC) ? raw : raw.Normalize(NormalizationForm.FormC);
    }

    /// <summary>White space of any kind, line breaks and the other controls that read as a break.</summary>
    private static bool IsSpace(ReadOnlySpan<char> cluster)
    {
        if (cluster.Length != 1 && !(cluster is "\r\n"))
        {
            return false;
        }
        var c = cluster[0];
        return char.IsWhiteSpace(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
    }

    /// <summary>The cluster without what the rule removes (see the class remarks); empty when nothing is left.</summary>
    private static ReadOnlySpan<char> Clean(ReadOnlySpan<char> cluster)
    {
        var emoji = IsEmoji(cluster);
        var keepJoiners = emoji || (Rune.DecodeFromUtf16(cluster, out var first, out _) == OperationStatus.Done
            && first.Value > 0x024F && Rune.IsLetter(first));
        StringBuilder? kept = null;
        var rest = cluster;
        var at = 0;
        while (!rest.IsEmpty)
        {
            Rune.DecodeFromUtf16(rest, out var rune, out var consumed);
            var drop = Rune.GetUnicodeCategory(rune) switch
            {
                UnicodeCategory.Control => true,
                UnicodeCategory.Format => !(rune.Value is 0x200D or 0x200C && keepJoiners) && !(emoji && rune.Value is >= 0xE0020 and <= 0xE007F),
                _ => false,
            };
            if (drop && kept is null)
            {
                kept = new StringBuilder(cluster.Length).Append(cluster[..at]);
            }
            else if (!drop)
            {
                kept?.Append(rest[..consumed]);
            }
            rest = rest[consumed..];
            at += consumed;
        }
        return kept is null ? cluster : kept.ToString();
    }
}
