using LiveAspire.Realtime.Access;
using LiveAspire.Realtime.Delivery;
using LiveAspire.Realtime.Presence;
using Microsoft.AspNetCore.Mvc;

namespace LiveAspire.Realtime.Hubs;

// Delivery's hub methods (docs/protocol.md): joining, resuming and leaving rooms. Guests may call them: which rooms a
// guest may read is RoomAccess's decision (its channel's stream room only).
public sealed partial class LiveHub
{
    /// <summary>Joins or rejoins rooms at the given positions (null: live only); one answer per room.</summary>
    [AllowGuests]
    public async Task<Dictionary<string, ResumeResult>> Resume(Dictionary<string, RoomPosition?> rooms, [FromServices] RoomJoins joins,
        [FromServices] PresenceTracker presence)
    {
        var answers = await joins.ResumeAsync(Connection, rooms, Context.ConnectionAborted);
        foreach (var (room, answer) in answers)
        {
            if (answer.Error is null)
            {
                presence.RecountSoon(room);
            }
        }
        return answers;
    }

    /// <summary>The stream-room form of <see cref="Resume"/>: <c>stream:{streamId}</c> from (epoch, lastSeq), or live only.</summary>
    [AllowGuests]
    public async Task<ResumeResult> JoinStream(string streamId, long? lastSeq, string? epoch, [FromServices] RoomJoins joins,
        [FromServices] PresenceTracker presence)
    {
        var answer = await joins.JoinStreamAsync(Connection, streamId, lastSeq, epoch, Context.ConnectionAborted);
        if (answer.Error is null && Guid.TryParseExact(streamId, "D", out var channelId))
        {
            presence.RecountSoon(LiveAspire.Rooms.RoomName.Stream(channelId).ToString());
        }
        return answer;
    }

    /// <summary>Stops this connection's delivery from a room.</summary>
    [AllowGuests]
    public void Leave(string room, [FromServices] RoomJoins joins) => joins.Leave(Connection, room);
}
