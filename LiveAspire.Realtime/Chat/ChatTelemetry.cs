using LiveAspire.Realtime.Telemetry;

namespace LiveAspire.Realtime.Chat;

/// <summary>Counts SendChat outcomes on <see cref="RealtimeTelemetry.ChatSends"/> (tag <c>outcome</c>).</summary>
internal static class ChatTelemetry
{
    public static void Sent(bool isNew) => RealtimeTelemetry.ChatSends.Add(1, new KeyValuePair<string, object?>("outcome", isNew ? "published" : "retried"));

    public static void Refused(string code) => RealtimeTelemetry.ChatSends.Add(1, new KeyValuePair<string, object?>("outcome", code));
}
