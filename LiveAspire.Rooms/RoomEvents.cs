using System.Globalization;
using System.Text;
using System.Text.Json;
using LiveAspire.Contracts.Realtime;

namespace LiveAspire.Rooms;

/// <summary>
/// What every room store checks and builds alike: the arguments of a publish, new ids and epochs, and the envelope
/// texts. A numbered envelope is built character for character as <see cref="RoomScripts.Publish"/> builds it.
/// The argument checks are public so that whatever stores an event for later publishing (the outbox) refuses exactly
/// what a publish would.
/// </summary>
public static class RoomEvents
{
    public const int MaxIdLength = 64;

    private static readonly JsonSerializerOptions EnvelopeJsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="room"/> is a canonical <see cref="RoomName"/>.</summary>
    public static void CheckRoom(string room)
    {
        if (!RoomName.TryParse(room, out _))
        {
            throw new ArgumentException($"'{room}' is not a room name.", nameof(room));
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless the room is a room name and the type is dot-named.</summary>
    public static void CheckRoomAndType(string room, string type)
    {
        CheckRoom(room);
        if (!RoomPublisher.EventType().IsMatch(type))
        {
            throw new ArgumentException($"'{type}' is not a dot-named event type (e.g. chat.message).", nameof(type));
        }
    }

    /// <summary>The id to publish under: the caller's when it has 1 to 64 characters, a new one when it is null.</summary>
    public static string Id(string? id)
    {
        id ??= Guid.CreateVersion7().ToString("N");
        if (id.Length is 0 or > MaxIdLength)
        {
            throw new ArgumentException($"An event id has 1 to {MaxIdLength} characters.", nameof(id));
        }
        return id;
    }

    /// <summary>The payload's JSON text, refused when it has more than <paramref name="maxDataBytes"/> characters.</summary>
    public static string Data(JsonElement data, int maxDataBytes) => CheckSize(data.GetRawText(), maxDataBytes);

    /// <summary>A fresh epoch: unique across Redis restarts (time-ordered GUID, shortened).</summary>
    internal static string NewEpoch() => Guid.CreateVersion7().ToString("N")[..16];

    /// <summary>An ephemeral envelope (<c>seq</c> 0, empty epoch) and its id; refused when the whole text has more than <paramref name="maxDataBytes"/> characters.</summary>
    internal static (string Id, string Json) Ephemeral(string room, string type, JsonElement data, int maxDataBytes)
    {
        var envelope = new EventEnvelope(Guid.CreateVersion7().ToString("N"), type, room, LiveHubContract.EphemeralSeq, "",
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), data);
        return (envelope.Id, CheckSize(JsonSerializer.Serialize(envelope, EnvelopeJsonOptions), maxDataBytes));
    }

    /// <summary>
    /// A numbered envelope's text as the publish script writes it: fields in the order id, type, room, seq, epoch, ts,
    /// data; strings escaped as Redis's cjson escapes them; <paramref name="data"/> inserted as it is.
    /// </summary>
    internal static string Numbered(string id, string type, string room, long seq, string epoch, long ts, string data)
    {
        var text = new StringBuilder(data.Length + 160);
        text.Append("{\"id\":");
        AppendString(text, id);
        text.Append(",\"type\":");
        AppendString(text, type);
        text.Append(",\"room\":");
        AppendString(text, room);
        text.Append(",\"seq\":").Append(seq.ToString(CultureInfo.InvariantCulture)).Append(",\"epoch\":");
        AppendString(text, epoch);
        text.Append(",\"ts\":").Append(ts.ToString(CultureInfo.InvariantCulture)).Append(",\"data\":").Append(data).Append('}');
        return text.ToString();
    }

    /// <summary>Returns <paramref name="json"/>, refused when it has more than <paramref name="maxDataBytes"/> characters.</summary>
    public static string CheckSize(string json, int maxDataBytes) => json.Length <= maxDataBytes
        ? json
        : throw new ArgumentException($"Event data is larger than {maxDataBytes} bytes.", "data");

    /// <summary>cjson's string encoding: control characters, <c>"</c>, <c>\</c>, <c>/</c> and DEL escaped, everything else as it is.</summary>
    private static void AppendString(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '/': text.Append("\\/"); break;
                case '\b': text.Append("\\b"); break;
                case '\t': text.Append("\\t"); break;
                case '\n': text.Append("\\n"); break;
                case '\f': text.Append("\\f"); break;
                case '\r': text.Append("\\r"); break;
                case < ' ' or '\u007f': text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: text.Append(c); break;
            }
        }
        text.Append('"');
    }
}
