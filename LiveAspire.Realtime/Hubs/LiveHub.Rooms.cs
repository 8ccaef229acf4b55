using LiveAspire.Contracts.Realtime;
using LiveAspire.Rooms;
using Microsoft.AspNetCore.SignalR;

namespace LiveAspire.Realtime.Hubs;

public sealed partial class LiveHub
{
    /// <summary>Joins or rejoins rooms at the given positions (null: live only); one answer per room.</summary>
    public async Task<Dictionary<string, ResumeResult>> Resume(Dictionary<string, RoomPosition?> rooms)
    {
        if (rooms is null || rooms.Count == 0)
        {
            throw new HubException($"{HubErrorCodes.InvalidArgument}: name at least one room");
        }
        var connection = Connection;
        if (rooms.Count + connection.Rooms.Keys.Count(k => !rooms.ContainsKey(k)) > delivery.Value.MaxRoomsPerConnection)
        {
            throw new HubException($"{HubErrorCodes.TooManyRooms}: at most {delivery.Value.MaxRoomsPerConnection} rooms per connection");
        }
        var answers = await Task.WhenAll(rooms.Select(async r => (r.Key, Result: await JoinAsync(r.Key, r.Value))));
        return answers.ToDictionary(a => a.Key, a => a.Result, StringComparer.Ordinal);
    }

    /// <summary>The stream-room form of <see cref="Resume"/>: <c>stream:{streamId}</c> from (epoch, lastSeq), or live only.</summary>
    public Task<ResumeResult> JoinStream(string streamId, long? lastSeq, string? epoch)
    {
        if (!Guid.TryParseExact(streamId, "D", out var channelId))
        {
            return Task.FromResult(new ResumeResult(false, null, 0, HubErrorCodes.RoomInvalid));
        }
        if ((lastSeq is null) != (epoch is null) || lastSeq < 0 || epoch is { Length: 0 or > MaxEpochLength })
        {
            throw new HubException($"{HubErrorCodes.InvalidArgument}: lastSeq and epoch go together, lastSeq is not negative, and epoch is 1 to 64 characters");
        }
        return JoinAsync(RoomName.Stream(channelId).ToString(), lastSeq is { } seq ? new RoomPosition(seq, epoch!) : null);
    }

    /// <summary>Stops this connection's delivery from a room.</summary>
    public void Leave(string room)
    {
        if (room is not { Length: > 0 and <= MaxRoomNameLength })
        {
            throw new HubException($"{HubErrorCodes.InvalidArgument}: name the room to leave");
        }
        sync.Leave(Connection, room);
    }

    /// <summary>Longest room name accepted (<c>dm:{uuid}:{uuid}</c> is 76 characters).</summary>
    private const int MaxRoomNameLength = 100;

    /// <summary>Longest epoch accepted; the server's epochs are far shorter.</summary>
    private const int MaxEpochLength = 64;

    private async Task<ResumeResult> JoinAsync(string room, RoomPosition? position)
    {
        if (room is not { Length: <= MaxRoomNameLength } || !RoomName.TryParse(room, out var name)
            || position is { Seq: < 0 } || position is { Epoch: null or "" or { Length: > MaxEpochLength } })
        {
            return new ResumeResult(false, null, 0, HubErrorCodes.RoomInvalid);
        }
        var connection = Connection;
        if (!await access.CanReadAsync(connection, name, Context.ConnectionAborted))
        {
            return new ResumeResult(false, null, 0, HubErrorCodes.RoomForbidden);
        }
        return await sync.JoinAsync(connection, room, position, Context.ConnectionAborted);
    }
}
