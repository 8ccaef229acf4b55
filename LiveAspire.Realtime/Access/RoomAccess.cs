using LiveAspire.Access;
using LiveAspire.Realtime.Delivery;
using LiveAspire.Rooms;

namespace LiveAspire.Realtime.Access;

/// <summary>
/// Who may read which room: the one place that decides, on join, on resume, and again when a user's channel roles
/// change. Per-channel roles are looked up (cached in Redis, invalidated on change), never taken from the token.
/// </summary>
public sealed class RoomAccess(IChannelRoleStore roles) : IRoomReadAccess
{
    public async ValueTask<bool> CanReadAsync(LiveConnection connection, RoomName room, CancellationToken cancellationToken = default)
    {
        if (connection.OverlayChannelId is { } overlayChannel)
        {
            // An overlay token's only right: its own channel's alert queue.
            return room.Kind == RoomKind.Alerts && room.Id == overlayChannel;
        }
        if (connection.GuestChannelId is { } guestChannel)
        {
            // A guest token's only right: its own channel's stream room (the channel allowed guests when it connected,
            // and SessionRecheck closes it once the channel no longer does).
            return room.Kind == RoomKind.Stream && room.Id == guestChannel;
        }
        if (connection.UserId is not { } user)
        {
            return false;
        }
        return room.Kind switch
        {
            RoomKind.Stream => true,
            RoomKind.User => room.Id == user,
            RoomKind.DirectMessage => room.Id == user || room.SecondId == user,
            RoomKind.Moderators => (await roles.GetAsync(room.Id, user, cancellationToken)).CanModerate,
            RoomKind.Alerts => (await roles.GetAsync(room.Id, user, cancellationToken)).IsOwner,
            _ => false,
        };
    }
}
