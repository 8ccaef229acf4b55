using LiveAspire.Rooms;

namespace LiveAspire.Realtime.Delivery;

/// <summary>
/// The hub's <c>Resume</c>, <c>JoinStream</c> and <c>Leave</c>: checks the arguments and the caller's right to read each
/// room (<see cref="IRoomReadAccess"/>), then joins or leaves through <see cref="RoomSync"/>. A room that cannot be joined
/// gets an answer of its own; a call that is wrong as a whole is a hub error (docs/errors.md).
/// </summary>
public sealed class RoomJoins(RoomSync sync, IRoomReadAccess access, IOptions<DeliveryOptions> options)
{
    /// <summary>Longest room name accepted (<c>dm:{uuid}:{uuid}</c> is 76 characters).</summary>
    private const int MaxRoomNameLength = 100;

    /// <summary>Longest epoch accepted; the server's epochs are far shorter.</summary>
    private const int MaxEpochLength = 64;

    /// <summary>Joins or rejoins rooms at the given positions (null: live only); one answer per room.</summary>
    public async Task<Dictionary<string, ResumeResult>> ResumeAsync(LiveConnection connection, Dictionary<string, RoomPosition?> rooms,
        CancellationToken cancellationToken)
    {
        if (rooms is null || rooms.Count == 0)
        {
            throw new HubException($"{HubErrorCodes.InvalidArgument}: name at least one room");
        }
        var max = options.Value.MaxRoomsPerConnection;
        if (rooms.Count + connection.Rooms.Keys.Count(k => !rooms.ContainsKey(k)) > max)
        {
            throw new HubException($"{HubErrorCodes.TooManyRooms}: at most {max} rooms per connection");
        }
        var answers = await Task.WhenAll(rooms.Select(async r => (r.Key, Result: await JoinAsync(connection, r.Key, r.Value, cancellationToken))));
        return answers.ToDictionary(a => a.Key, a => a.Result, StringComparer.Ordinal);
    }

    /// <summary>The stream-room form of <see cref="ResumeAsync"/>: <c>stream:{streamId}</c> from (epoch, lastSeq), or live only.</summary>
    public Task<ResumeResult> JoinStreamAsync(LiveConnection connection, string streamId, long? lastSeq, string? epoch,
        CancellationToken cancellationToken)
    {
        if (!Guid.TryParseExact(streamId, "D", out var channelId))
        {
            return Task.FromResult(new ResumeResult(false, null, 0, HubErrorCodes.RoomInvalid));
        }
        if ((lastSeq is null) != (epoch is null) || lastSeq < 0 || epoch is { Length: 0 or > MaxEpochLength })
        {
            throw new HubException($"{HubErrorCodes.InvalidArgument}: lastSeq and epoch go together, lastSeq is not negative, and epoch is 1 to 64 characters");
        }
        var position = lastSeq is { } seq ? new RoomPosition(seq, epoch!) : null;
        return JoinAsync(connection, RoomName.Stream(channelId).ToString(), position, cancellationToken);
    }

    /// <summary>Stops this connection's delivery from a room.</summary>
    public void Leave(LiveConnection connection, string room)
    {
        if (room is not { Length: > 0 and <= MaxRoomNameLength })
        {
            throw new HubException($"{HubErrorCodes.InvalidArgument}: name the room to leave");
        }
        if (!RoomName.TryParse(room, out _))
        {
            throw new HubException($"{HubErrorCodes.RoomInvalid}: not a room name in canonical form");
        }
        sync.Leave(connection, room);
    }

    private async Task<ResumeResult> JoinAsync(LiveConnection connection, string room, RoomPosition? position, CancellationToken cancellationToken)
    {
        if (room is not { Length: <= MaxRoomNameLength } || !RoomName.TryParse(room, out var name)
            || position is { Seq: < 0 } || position is { Epoch: null or "" or { Length: > MaxEpochLength } })
        {
            return new ResumeResult(false, null, 0, HubErrorCodes.RoomInvalid);
        }
        if (!await access.CanReadAsync(connection, name, cancellationToken))
        {
            return new ResumeResult(false, null, 0, HubErrorCodes.RoomForbidden);
        }
        return await sync.JoinAsync(connection, room, position, cancellationToken);
    }
}
