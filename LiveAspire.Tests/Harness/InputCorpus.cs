using System.Globalization;
using System.Text;

namespace LiveAspire.Tests.Harness;

/// <summary>One hostile input as raw JSON text: a lone surrogate has no UTF-8 form, so it travels escaped (<c>"\ud800x"</c>), as an attacker sends it.</summary>
public sealed record CorpusValue(string Name, string Json, string? Text = null)
{
    public override string ToString() => Name;
}

/// <summary>
/// The hostile input corpus (issue 12): unicode edge cases, huge strings, wrong JSON types, deep nesting. The REST
/// corpus and the hub corpus send each value into each field or argument, one at a time, never the cross-product.
/// </summary>
public static class InputCorpus
{
    /// <summary>Strings, each with its name; <paramref name="hugeLength"/> bounds the huge ones (the hub has a 32 KiB message limit).</summary>
    public static IReadOnlyList<(string Name, string Text)> Strings(int hugeLength) =>
    [
        ("kelvin-sign", "\u212Aelvin_p"),
        ("dotless-i", "\u0131stanbul"),
        ("dotted-capital-i", "\u0130van"),
        ("fullwidth", "\uFF46\uFF55\uFF4C\uFF4C\uFF37\uFF49\uFF44\uFF54\uFF48"),
        ("combining-marks", "Cafe\u0301 n\u0303"),
        ("combining-pile", "a" + new string('\u0301', 300)),
        ("bidi-override", "\u202Eadmin\u200B..."),
        ("bidi-isolate", "\u2067nimda\u2069"),
        ("zero-width", "ad\u200Dmin\u200C\u2060"),
        ("byte-order-mark", "\uFEFFname"),
        ("lone-high-surrogate", "\uD800x"),
        ("lone-low-surrogate", "x\uDC00"),
        ("reversed-surrogates", "\uDC00\uD800"),
        ("nul", "a\u0000b"),
        ("controls", "a\u001Bb\u0007c"),
        ("newline", "line\nbreak"),
        ("line-separator", "a\u2028b"),
        ("unassigned", "a\u0378b"),
        ("private-use", "\uE000x"),
        ("noncharacter", "\uFFFFx"),
        ("emoji-zwj", "\U0001F469\u200D\U0001F4BB live"),
        ("empty", ""),
        ("spaces", "   "),
        ("sql", "'; DROP TABLE users; --"),
        ("percent", "%00%ff%ED%A0%80"),
        ("huge", new string('a', hugeLength)),
        ("huge-expanding", string.Concat(Enumerable.Repeat("\uFDFA", hugeLength / 8))),
    ];

    /// <summary>Values of the wrong JSON type for a string field (and of the right one for some others), and deep nesting.</summary>
    public static IReadOnlyList<CorpusValue> NonStrings { get; } =
    [
        new("number", "12345"),
        new("negative", "-1"),
        new("float-huge", "1.5e308"),
        new("integer-overflow", "123456789012345678901234567890"),
        new("true", "true"),
        new("null", "null"),
        new("array", "[\"a\",1]"),
        new("object", "{\"a\":1}"),
        new("deep-array", new string('[', 300) + new string(']', 300)),
        new("deep-object", string.Concat(Enumerable.Repeat("{\"a\":", 60)) + "1" + new string('}', 60)),
    ];

    /// <summary>Every value: the strings (as JSON string literals) and the non-strings.</summary>
    public static IReadOnlyList<CorpusValue> All(int hugeLength)
        => [.. Strings(hugeLength).Select(s => new CorpusValue(s.Name, Quote(s.Text), s.Text)), .. NonStrings];

    /// <summary>A JSON string literal with every character outside printable ASCII escaped as <c>\uXXXX</c> (lone surrogates included).</summary>
    public static string Quote(string text)
    {
        var json = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            if (c is '"' or '\\')
            {
                json.Append('\\').Append(c);
            }
            else if (c is < ' ' or > '~')
            {
                json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                json.Append(c);
            }
        }
        return json.Append('"').ToString();
    }

    /// <summary>
    /// Percent-encoding of <paramref name="text"/>'s UTF-8 bytes for a path segment or query value; a lone surrogate
    /// is encoded as its (invalid) three-byte form, so the server receives bytes that are not UTF-8.
    /// </summary>
    public static string PercentEncode(string text)
    {
        var encoded = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                encoded.Append(c);
                continue;
            }
            byte[] bytes;
            if (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])))
            {
                bytes = [(byte)(0xE0 | (c >> 12)), (byte)(0x80 | ((c >> 6) & 0x3F)), (byte)(0x80 | (c & 0x3F))];
            }
            else
            {
                var length = char.IsHighSurrogate(c) ? 2 : 1;
                bytes = Encoding.UTF8.GetBytes(text.Substring(i, length));
                i += length - 1;
            }
            foreach (var b in bytes)
            {
                encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return encoded.ToString();
    }

    /// <summary>Whole bodies that are not the JSON object an endpoint expects (malformed JSON, another type, bytes that are not UTF-8).</summary>
    public static IReadOnlyList<(string Name, byte[] Body, string ContentType)> MalformedBodies { get; } =
    [
        ("empty-body", [], "application/json"),
        ("truncated", "{\"a\":"u8.ToArray(), "application/json"),
        ("trailing-comma", "{\"a\":1,}"u8.ToArray(), "application/json"),
        ("bare-string", "\"x\""u8.ToArray(), "application/json"),
        ("json-null", "null"u8.ToArray(), "application/json"),
        ("json-array", "[1,2]"u8.ToArray(), "application/json"),
        ("not-utf8", [(byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xFF, 0xFE, 0xED, 0xA0, 0x80, (byte)'"', (byte)'}'], "application/json"),
        ("deep-body", Encoding.ASCII.GetBytes(new string('[', 5000) + new string(']', 5000)), "application/json"),
        ("huge-body", Encoding.ASCII.GetBytes("{\"a\":\"" + new string('x', 2_000_000) + "\"}"), "application/json"),
        ("text-plain", "{}"u8.ToArray(), "text/plain"),
        ("form", "a=1"u8.ToArray(), "application/x-www-form-urlencoded"),
    ];
}
