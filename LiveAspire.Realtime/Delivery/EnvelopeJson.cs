using System.Text.Json;

namespace LiveAspire.Realtime.Delivery;

/// <summary>Envelopes arrive from Redis as the JSON the publish script wrote (camelCase); parsed once per replica.</summary>
public static class EnvelopeJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static EventEnvelope Parse(string json) =>
        JsonSerializer.Deserialize<EventEnvelope>(json, Options) ?? throw new JsonException("Empty envelope.");
}
