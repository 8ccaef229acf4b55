using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace LiveAspire.Realtime.Telemetry;

/// <summary>
/// Realtime's own <see cref="ActivitySource"/> and <see cref="Meter"/>, both named <c>LiveAspire.Realtime</c>
/// (ServiceDefaults subscribes to <c>LiveAspire.*</c>), with every span name and instrument. docs/telemetry.md lists
/// them and a test fails when one disappears.
/// </summary>
/// <remarks>
/// Spans are per room, never per recipient: a dispatch to 10,000 members is one span, so tracing costs the same
/// whatever the room's size. Static, like the runtime's own sources: one per process, created on first use.
/// </remarks>
public static class RealtimeTelemetry
{
    public const string Name = "LiveAspire.Realtime";

    /// <summary>Span: a room's collected events handed out to this replica's members (one per room and window).</summary>
    public const string DispatchSpan = "room.dispatch";

    /// <summary>Span: one room of a <c>Resume</c> or <c>JoinStream</c>: subscribe, read the window, replay, go live.</summary>
    public const string ResumeSpan = "room.resume";

    /// <summary>Span: the subscription connection to Redis came back; every live member starts a catch-up.</summary>
    public const string ResyncSpan = "rooms.resync";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary>Shared frames serialized (once each, whatever the number of recipients).</summary>
    public static readonly Counter<long> FramesSerialized = Meter.CreateCounter<long>("liveaspire.realtime.delivery.frames_serialized",
        "{frame}", "Room frames serialized once and shared by every local member");

    /// <summary>Droppable envelopes dropped for clients that could not keep up (each such room got a room.gap).</summary>
    public static readonly Counter<long> Shed = Meter.CreateCounter<long>("liveaspire.realtime.delivery.shed",
        "{event}", "Droppable (chat) envelopes dropped for slow clients; they resume the room");

    /// <summary>Connections told to reconnect because reliable events alone filled their send queue.</summary>
    public static readonly Counter<long> Overflows = Meter.CreateCounter<long>("liveaspire.realtime.delivery.overflows",
        "{connection}", "Connections whose send queue filled with reliable events; told to reconnect and resume");

    /// <summary>Members that stopped being live and read what they missed back from the window (a seq jump, or Redis
    /// reconnected); each is one read of the window.</summary>
    public static readonly Counter<long> CatchUps = Meter.CreateCounter<long>("liveaspire.realtime.delivery.catch_ups",
        "{member}", "Members that missed events (a seq jump, or Redis reconnected) and read them back from the window");

    /// <summary>Round trip of each heartbeat, measured by the server per connection.</summary>
    public static readonly Histogram<double> ConnectionRtt = Meter.CreateHistogram<double>("liveaspire.realtime.connection.rtt",
        "ms", "Round-trip time of a heartbeat, per connection");

    /// <summary>Connections closed because their user's session (log out everywhere, ban, role change) or their overlay key was revoked.</summary>
    public static readonly Counter<long> RevokedConnections = Meter.CreateCounter<long>("liveaspire.realtime.revoked_connections",
        "{connection}", "Connections closed because their user's session or their overlay key was revoked");

    /// <summary>SendChat calls by outcome: <c>published</c>, <c>retried</c> (a clientMsgId seen before) or the refusal's code.</summary>
    public static readonly Counter<long> ChatSends = Meter.CreateCounter<long>("liveaspire.realtime.chat.sends",
        "{message}", "SendChat calls by outcome: published, retried (a clientMsgId seen before) or the refusal's error code");

    /// <summary>
    /// How long each step of an accepted SendChat took, tag <c>step</c>: <c>limits</c> (the limits script in Redis),
    /// <c>store</c> (waiting for the group commit), <c>publish</c> (the room's publish script) and <c>total</c> (from the
    /// channel lookup to the answer). Where a slow chat spends its time (docs/chat.md, "Under load").
    /// </summary>
    public static readonly Histogram<double> ChatSendSteps = Meter.CreateHistogram<double>("liveaspire.realtime.chat.send.duration",
        "ms", "Duration of each step of an accepted SendChat: limits, store, publish, total");
}
