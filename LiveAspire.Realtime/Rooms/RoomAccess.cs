using System.Security.Claims;
using LiveAspire.Infrastructure.Rooms;

namespace LiveAspire.Realtime.Rooms;

/// <summary>
/// Who may read which room: the one place that decides, on join and on resume alike. Later features add rules
/// for <c>mod:</c> (moderators, performer) and <c>alerts:</c> (performer, overlay token) rooms.
/// </summary>
public sealed class RoomAccess
{
    public ValueTask<bool> CanReadAsync(ClaimsPrincipal user, Guid userId, RoomName room) => ValueTask.FromResult(room.Kind switch
    {
        RoomKind.Stream => user.Identity?.IsAuthenticated == true,
        RoomKind.User => room.Id == userId,
        RoomKind.DirectMessage => room.Id == userId || room.SecondId == userId,
        // Not readable until their rules exist: a room nobody may read leaks nothing.
        RoomKind.Moderators or RoomKind.Alerts => false,
        _ => false,
    });
}
