using LiveAspire.Realtime.Connections;
using LiveAspire.Realtime.Delivery;
using Microsoft.AspNetCore.Authorization;

namespace LiveAspire.Realtime.Hubs;

/// <summary>
/// The one hub every client connects to (one socket per browser tab). This file opens and closes connections; each
/// feature's hub methods are a partial of this class in the feature's folder (<c>Delivery/LiveHub.Delivery.cs</c>,
/// <c>Presence/LiveHub.Presence.cs</c>, ...), thin, taking the feature's service as a parameter (<c>[FromServices]</c>,
/// never seen by clients) and calling it. Server-to-client calls go through <see cref="ILiveClient"/>. Every caller is
/// authenticated (a validated, unrevoked token); identity comes from the token only.
/// </summary>
[Authorize]
public sealed partial class LiveHub(ConnectionLifecycle lifecycle, ConnectionRegistry registry) : Hub<ILiveClient>
{
    /// <summary>Where the hub is mapped.</summary>
    public const string Path = LiveHubContract.Path;

    public override Task OnConnectedAsync()
    {
        lifecycle.Open(Context);
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        lifecycle.Close(Context.ConnectionId);
        return Task.CompletedTask;
    }

    /// <summary>The caller's connection; <c>connection_closed</c> once it is closing.</summary>
    private LiveConnection Connection =>
        registry.Get(Context.ConnectionId) ?? throw new HubException($"{HubErrorCodes.ConnectionClosed}: the connection is closing");
}
