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
        // Identity from the validated token only: an overlay or a guest token names a channel, a user token a user.
        var use = user.FindFirstValue(TokenClaims.TokenUse);
        var (overlay, guest) = (use == TokenUses.Overlay, use == TokenUses.Guest);
        Guid? channel = Guid.TryParse(user.FindFirstValue(TokenClaims.Channel), out var ch) ? ch : null;
        Guid? userId = overlay || guest ? null
            : Guid.TryParse(user.FindFirstValue(TokenClaims.Subject), out var id) ? id
            : throw new HubException($"{HubErrorCodes.Unauthorized}: the token names no user");
        Guid? overlayKey = overlay && Guid.TryParse(user.FindFirstValue(TokenClaims.OverlayKeyId), out var key) ? key : null;
        if (overlay && (channel is null || overlayKey is null))
        {
            throw new HubException($"{HubErrorCodes.Unauthorized}: overlay token without a channel or key");
        }
        if (guest && channel is null)
        {
            throw new HubException($"{HubErrorCodes.Unauthorized}: guest token without a channel");
        }
        var sessionVersion = int.TryParse(user.FindFirstValue(TokenClaims.SessionVersion), out var sv) ? sv : 0;
        var hubConnection = opening.TakeOpening(context.ConnectionId)
            ?? throw new InvalidOperationException($"Connection {context.ConnectionId} is not known to the lifetime manager.");
        var connection = new LiveConnection(context.ConnectionId, userId, overlay ? channel : null, sessionVersion, context, hubConnection,
            pump.CreateQueue(), overlayKey, guest ? channel : null);
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
