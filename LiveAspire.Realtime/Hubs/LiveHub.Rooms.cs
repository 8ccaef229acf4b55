using LiveAspire.Contracts.Realtime;
using LiveAspire.Infrastructure.Rooms;
using Microsoft.AspNetCore.SignalR;

namespace LiveAspire.Realtime.Hubs;

public sealed partial class LiveHub
{
    /// <summary>Joins or rejoins rooms at the given positions (null: live only); one answer per room.</summary>
    public async Task<Dictionary<string, ResumeResult>> Resume(Dictionary<string, RoomPosition?> rooms)
    {
        if (rooms is null || rooms.Count == 0)
        {
            throw new HubException("invalid_argument: name at least one room");
        }
        var connection = Connection;
        if (rooms.Count + connection.Rooms.Keys.Count(k => !rooms.ContainsKey(k)) > delivery.Value.MaxRoomsPerConnection)
        {
            throw new HubException($"too_many_rooms: at most {delivery.Value.MaxRoomsPerConnection} rooms per connection");
        }
        var answers = await Task.WhenAll(rooms.Select(async r => (r.Key, Result: await JoinAsync(r.Key, r.Value))));
        return answers.ToDictionary(a => a.Key, a => a.Result, StringComparer.Ordinal);
    }

    /// <summary>The stream-room form of <see cref="Resume"/>: <c>stream:{streamId}</c> from (epoch, lastSeq), or live only.</summary>
    public Task<ResumeResult> JoinStream(string streamId, long? lastSeq, string? epoch)
    {
        if (!Guid.TryParseExact(streamId, "D", out var channelId))
        {
            return Task.FromResult(new ResumeResult(false, null, 0, "room_invalid"));
        }
        if ((lastSeq is null) != (epoch is null) || lastSeq < 0)
        {
            throw new HubException("invalid_argument: lastSeq and epoch go together, and lastSeq is not negative");
        }
        return JoinAsync(RoomName.Stream(channelId).ToString(), lastSeq is { } seq ? new RoomPosition(seq, epoch!) : null);
    }

    /// <summary>Stops this connection's delivery from a room.</summary>
    public void Leave(string room) => sync.Leave(Connection, room ?? "");

    private async Task<ResumeResult> JoinAsync(string room, RoomPosition? position)
    {
        if (!RoomName.TryParse(room, out var name) || position is { Seq: < 0 } || position is { Epoch: null or "" })
        {
            return new ResumeResult(false, null, 0, "room_invalid");
        }
        var connection = Connection;
        if (!await access.CanReadAsync(connection, name, Context.ConnectionAborted))
        {
            return new ResumeResult(false, null, 0, "room_forbidden");
        }
        return await sync.JoinAsync(connection, room, position, Context.ConnectionAborted);
    }
}
