namespace LiveAspire.Contracts.Telemetry;

/// <summary>
/// Attribute names on LiveAspire's own spans (docs/telemetry.md), in one place so every service tags a room the same
/// way and a trace query works across them.
/// </summary>
public static class TelemetryTags
{
    /// <summary>The room's name (<c>stream:{channelId}</c>, <c>user:{userId}</c>...).</summary>
    public const string Room = "liveaspire.room";

    /// <summary>The event's type (<c>chat.message</c>...).</summary>
    public const string EventType = "liveaspire.event.type";

    /// <summary>The seq a publish assigned (or found, for a duplicate).</summary>
    public const string Seq = "liveaspire.seq";

    /// <summary>True when the event id was already in the room's window: nothing new was stored or sent.</summary>
    public const string Duplicate = "liveaspire.duplicate";

    /// <summary>Envelopes handed out in one dispatch.</summary>
    public const string Events = "liveaspire.events";

    /// <summary>Local members a dispatch handed them to.</summary>
    public const string Members = "liveaspire.members";

    /// <summary>A resume's answer: true when the room continues from the client's position (or live only).</summary>
    public const string Recovered = "liveaspire.recovered";

    /// <summary>The outbox partition a relay batch came from.</summary>
    public const string Partition = "liveaspire.outbox.partition";

    /// <summary>Rows in one relay batch.</summary>
    public const string Rows = "liveaspire.outbox.rows";

    /// <summary>Schema migrations a start-up applied (0 when the schema was current).</summary>
    public const string MigrationsApplied = "liveaspire.migrations_applied";
}
