using System.Text;

namespace LiveAspire.Tests.Harness.Clients;

/// <summary>
/// The SignalR JSON hub protocol's framing, written once for every test client that speaks it by hand
/// (<see cref="RawHubSocket"/>, <see cref="OpenHubConnection"/>, the transport tests): each message is one JSON record
/// ended by the record separator 0x1E, on every transport; the client opens with the handshake, and the server's first
/// record answers it (<c>{}</c>, or <c>{"error":...}</c>).
/// </summary>
public static class HubFraming
{
    public const char RecordSeparator = '\u001e';

    /// <summary>Message types this harness reads or writes (the protocol's numbering).</summary>
    public const int InvocationType = 1, CompletionType = 3, PingType = 6, CloseType = 7;

    /// <summary>The handshake request for the JSON protocol, framed.</summary>
    public static readonly string Handshake = Frame("""{"protocol":"json","version":1}""");

    /// <summary>A Ping message, framed.</summary>
    public static readonly string Ping = Frame($$"""{"type":{{PingType}}}""");

    /// <summary>One record: <paramref name="json"/> as it is (well formed or not), then the separator.</summary>
    public static string Frame(string json) => json + RecordSeparator;

    /// <summary>One record of <paramref name="message"/> serialized.</summary>
    public static string Serialize(object message) => Frame(JsonSerializer.Serialize(message));

    /// <summary>An invocation message, for <see cref="Serialize"/>.</summary>
    public static object Invocation(string id, string target, params object?[] arguments) =>
        new { type = InvocationType, invocationId = id, target, arguments };

    /// <summary>The message's type, or -1 for a record without one (the handshake's answer).</summary>
    public static int Type(JsonElement message) => message.TryGetProperty("type", out var t) ? t.GetInt32() : -1;

    /// <summary>The complete records in <paramref name="text"/> (what follows the last separator is not one).</summary>
    public static IReadOnlyList<string> Records(string text)
    {
        var end = text.LastIndexOf(RecordSeparator);
        return end < 0 ? [] : [.. text[..end].Split(RecordSeparator).Select(r => r.Trim()).Where(r => r.Length > 0)];
    }

    public static JsonElement Parse(string record) => JsonDocument.Parse(record).RootElement.Clone();

    /// <summary>
    /// Records out of text that arrives in pieces (WebSocket messages, polls, event-stream lines): a record may span
    /// pieces, and one piece may hold several. Not thread-safe.
    /// </summary>
    public sealed class Reader
    {
        private readonly StringBuilder _pending = new();

        /// <summary>Adds <paramref name="text"/>; returns the records it completes, in order.</summary>
        public IReadOnlyList<string> Add(string text)
        {
            _pending.Append(text);
            var all = _pending.ToString();
            var end = all.LastIndexOf(RecordSeparator);
            if (end < 0)
            {
                return [];
            }
            _pending.Clear().Append(all[(end + 1)..]);
            return Records(all[..(end + 1)]);
        }
    }
}
