using System.Diagnostics;
using LiveAspire.Realtime.Telemetry;

namespace LiveAspire.Realtime.Chat;

/// <summary>Counts SendChat outcomes on <see cref="RealtimeTelemetry.ChatSends"/> (tag <c>outcome</c>) and times the steps
/// of accepted ones on <see cref="RealtimeTelemetry.ChatSendSteps"/> (tag <c>step</c>).</summary>
internal static class ChatTelemetry
{
    public static void Sent(bool isNew) => RealtimeTelemetry.ChatSends.Add(1, new KeyValuePair<string, object?>("outcome", isNew ? "published" : "retried"));

    public static void Refused(string code) => RealtimeTelemetry.ChatSends.Add(1, new KeyValuePair<string, object?>("outcome", code));

    public static void Step(string step, long startedAt, long endedAt)
    {
        if (RealtimeTelemetry.ChatSendSteps.Enabled)
        {
            RealtimeTelemetry.ChatSendSteps.Record(Stopwatch.GetElapsedTime(startedAt, endedAt).TotalMilliseconds,
                new KeyValuePair<string, object?>("step", step));
        }
    }
}
