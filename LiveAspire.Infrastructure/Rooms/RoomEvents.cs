using System.Text.Json;
using LiveAspire.Contracts.Realtime;

namespace LiveAspire.Infrastructure.Rooms;

/// <summary>What every room store checks and builds alike: the arguments of a publish, new ids and epochs, ephemeral envelopes.</summary>
internal static class RoomEvents
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
    public static string NewEpoch() => Guid.CreateVersion7().ToString("N")[..16];

    /// <summary>An ephemeral envelope (<c>seq</c> 0, empty epoch) and its id; refused when the whole text has more than <paramref name="maxDataBytes"/> characters.</summary>
    public static (string Id, string Json) Ephemeral(string room, string type, JsonElement data, int maxDataBytes)
    {
        var envelope = new EventEnvelope(Guid.CreateVersion7().ToString("N"), type, room, LiveHubContract.EphemeralSeq, "",
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), data);
        return (envelope.Id, CheckSize(JsonSerializer.Serialize(envelope, EnvelopeJsonOptions), maxDataBytes));
    }

    private static string CheckSize(string json, int maxDataBytes) => json.Length <= maxDataBytes
        ? json
        : throw new ArgumentException($"Event data is larger than {maxDataBytes} bytes.", "data");
}
