using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace LiveAspire.Rooms;

/// <summary>
/// The rooms library's <see cref="ActivitySource"/> and <see cref="Meter"/>, both <c>LiveAspire.Rooms</c>: every
/// service that publishes (Api, Worker, Realtime) reports its publishes under the same names. docs/telemetry.md lists
/// them and a test fails when one disappears.
/// </summary>
public static class RoomTelemetry
{
    public const string Name = "LiveAspire.Rooms";

    /// <summary>Span: one event numbered, stored in the room's window and sent to the replicas (one script run).</summary>
    public const string PublishSpan = "room.publish";

    /// <summary>Span: one ephemeral event (a counter) sent to the room's current members, not numbered or stored.</summary>
    public const string PublishEphemeralSpan = "room.publish_ephemeral";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary>Publish calls by outcome (<c>published</c>, <c>duplicate</c>, <c>ephemeral</c>, <c>redis_unavailable</c>).</summary>
    public static readonly Counter<long> Publishes = Meter.CreateCounter<long>("liveaspire.rooms.publishes",
        "{event}", "Events published into rooms, by outcome (a duplicate id took no new seq; redis_unavailable published nothing)");

    internal static void Count(string outcome) => Publishes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}
