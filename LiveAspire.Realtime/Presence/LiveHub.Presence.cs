using System.Text.Json;
using LiveAspire.Realtime.Presence;
using Microsoft.AspNetCore.Mvc;

namespace LiveAspire.Realtime.Hubs;

// Presence's hub methods (docs/protocol.md): who is online, typing indicators. Not for guests (GuestMethodFilter
// refuses them with guest_forbidden): a guest sends nothing and reads nothing about users.
public sealed partial class LiveHub
{
    /// <summary>Which of the given users are online (a connection on any replica); at most
    /// <c>Presence:MaxPresenceIds</c> canonical user ids.</summary>
    public Task<Dictionary<string, bool>> GetPresence(string[] userIds, [FromServices] PresenceTracker presence)
    {
        _ = Connection;
        return presence.GetPresenceAsync(userIds);
    }

    /// <summary>Tells the other member of a <c>dm:</c> room that this user is typing (<c>data</c>: optional
    /// <c>{typing: false}</c> when stopped; anything else in it, such as a claimed sender, is ignored).</summary>
    public Task Typing(string room, JsonElement? data, [FromServices] TypingRelay typing)
        => typing.TypingAsync(Connection, room, data, Context.ConnectionAborted);
}
