using LiveAspire.Realtime.Access;
using LiveAspire.Realtime.Delivery;
using Microsoft.AspNetCore.Mvc;

namespace LiveAspire.Realtime.Hubs;

// Delivery's hub methods (docs/protocol.md): joining, resuming and leaving rooms. Guests may call them: which rooms a
// guest may read is RoomAccess's decision (its channel's stream room only).
public sealed partial class LiveHub
{
    /// <summary>Joins or rejoins rooms at the given positions (null: live only); one answer per room.</summary>
    [AllowGuests]
    public Task<Dictionary<string, ResumeResult>> Resume(Dictionary<string, RoomPosition?> rooms, [FromServices] RoomJoins joins)
        => joins.ResumeAsync(Connection, rooms, Context.ConnectionAborted);

    /// <summary>The stream-room form of <see cref="Resume"/>: <c>stream:{streamId}</c> from (epoch, lastSeq), or live only.</summary>
    [AllowGuests]
    public Task<ResumeResult> JoinStream(string streamId, long? lastSeq, string? epoch, [FromServices] RoomJoins joins)
        => joins.JoinStreamAsync(Connection, streamId, lastSeq, epoch, Context.ConnectionAborted);

    /// <summary>Stops this connection's delivery from a room.</summary>
    [AllowGuests]
    public void Leave(string room, [FromServices] RoomJoins joins) => joins.Leave(Connection, room);
}
