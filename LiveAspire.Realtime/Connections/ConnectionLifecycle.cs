using System.Security.Claims;
using LiveAspire.Contracts.Auth;
using LiveAspire.Realtime.Delivery;

namespace LiveAspire.Realtime.Connections;

/// <summary>Opens and closes a connection's server-side state: registry entry, send queue and its pump, room memberships.</summary>
public sealed class ConnectionLifecycle(
    ConnectionRegistry registry,
    LocalRooms rooms,
    IOpeningConnections opening,
    SendQueuePump pump)
{
    public LiveConnection Open(HubCallerContext context)
    {
        var user = context.User ?? throw new HubException($"{HubErrorCodes.Unauthorized}: no user");
        // Identity from the validated token only: an overlay token names a channel, a user token a user.
        var overlay = user.FindFirstValue(TokenClaims.TokenUse) == TokenUses.Overlay;
        Guid? userId = overlay ? null : Guid.Parse(user.FindFirstValue(TokenClaims.Subject)!);
        Guid? overlayChannel = overlay && Guid.TryParse(user.FindFirstValue(TokenClaims.Channel), out var ch) ? ch : null;
        Guid? overlayKey = overlay && Guid.TryParse(user.FindFirstValue(TokenClaims.OverlayKeyId), out var key) ? key : null;
        if (overlay && (overlayChannel is null || overlayKey is null))
        {
            throw new HubException($"{HubErrorCodes.Unauthorized}: overlay token without a channel or key");
        }
        var sessionVersion = int.TryParse(user.FindFirstValue(TokenClaims.SessionVersion), out var sv) ? sv : 0;
        var hubConnection = opening.TakeOpening(context.ConnectionId)
            ?? throw new InvalidOperationException($"Connection {context.ConnectionId} is not known to the lifetime manager.");
        var connection = new LiveConnection(context.ConnectionId, userId, overlayChannel, sessionVersion, context, hubConnection, pump.CreateQueue(), overlayKey);
        registry.Add(connection);
        pump.Start(connection, context.ConnectionAborted);
        return connection;
    }

    public void Close(string connectionId)
    {
        if (registry.Remove(connectionId) is not { } connection)
        {
            return;
        }
        foreach (var membership in connection.Rooms.Values)
        {
            rooms.Remove(membership);
        }
        connection.Rooms.Clear();
        connection.SendQueue.Complete();
    }
}
