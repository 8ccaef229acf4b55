using System.Text.Json;
using LiveAspire.Contracts.Realtime;
using LiveAspire.Rooms;
using Microsoft.AspNetCore.SignalR;
using StackExchange.Redis;

namespace LiveAspire.Realtime.Hubs;

public sealed partial class LiveHub
{
    /// <summary>Which of the given users are online (a connection on any replica); at most
    /// <c>Presence:MaxPresenceIds</c> canonical user ids.</summary>
    public async Task<Dictionary<string, bool>> GetPresence(string[] userIds)
    {
        _ = Connection;
        var max = presenceOptions.Value.MaxPresenceIds;
        if (userIds is null || userIds.Length == 0 || userIds.Length > max)
        {
            throw new HubException($"{HubErrorCodes.InvalidArgument}: name 1 to {max} user ids");
        }
        var ids = new List<Guid>(userIds.Length);
        foreach (var text in userIds.Distinct(StringComparer.Ordinal))
        {
            if (!Guid.TryParseExact(text, "D", out var id) || text != id.ToString("D"))
            {
                throw new HubException($"{HubErrorCodes.InvalidArgument}: user ids are lower-case UUIDs");
            }
            ids.Add(id);
        }
        try
        {
            return await presence.GetOnlineAsync(ids);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            throw new HubException($"{HubErrorCodes.RedisUnavailable}: presence is unavailable; retry");
        }
    }

    /// <summary>Tells the other member of a <c>dm:</c> room that this user is typing (<c>data</c>: optional
    /// <c>{typing: false}</c> when stopped; anything else in it, such as a claimed sender, is ignored).</summary>
    public async Task Typing(string room, JsonElement? data)
    {
        if (!RoomName.TryParse(room, out var name) || name.Kind != RoomKind.DirectMessage)
        {
            throw new HubException($"{HubErrorCodes.RoomInvalid}: typing indicators go to dm: rooms");
        }
        var connection = Connection;
        if (connection.UserId is not { } user || !await access.CanReadAsync(connection, name, Context.ConnectionAborted))
        {
            throw new HubException($"{HubErrorCodes.RoomForbidden}: only a member of the conversation may type in it");
        }
        var typing = !(data is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty("typing", out var t) && t.ValueKind == JsonValueKind.False);
        try
        {
            await typingRelay.SendAsync(connection, user, name, typing);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or RoomStoreUnavailableException)
        {
            throw new HubException($"{HubErrorCodes.RedisUnavailable}: retry");
        }
    }
}
