using LiveAspire.Rooms;

namespace LiveAspire.Realtime.Delivery;

/// <summary>
/// Who may read a room, asked on every join (<c>Resume</c>, <c>JoinStream</c>, a rejoin after a reconnect). Delivery
/// only asks; the rules are Access's (<c>RoomAccess</c>).
/// </summary>
public interface IRoomReadAccess
{
    ValueTask<bool> CanReadAsync(LiveConnection connection, RoomName room, CancellationToken cancellationToken = default);
}
