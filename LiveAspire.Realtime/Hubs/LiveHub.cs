using LiveAspire.Contracts.Realtime;
using LiveAspire.ServiceDefaults.Hosting;
using LiveAspire.Realtime.Connections;
using LiveAspire.Realtime.Delivery;
using LiveAspire.Realtime.Heartbeats;
using LiveAspire.Realtime.Presence;
using LiveAspire.Realtime.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace LiveAspire.Realtime.Hubs;

/// <summary>
/// The one hub every client connects to (one socket per browser tab). Split into a partial file per feature;
/// methods stay thin and call into the feature's services. Server-to-client calls go through <see cref="ILiveClient"/>.
/// Every caller is authenticated (a validated, unrevoked token); identity comes from the token only.
/// </summary>
[Authorize]
public sealed partial class LiveHub(
    ServiceInstance instance,
    TimeProvider time,
    ConnectionLifecycle lifecycle,
    ConnectionRegistry registry,
    RoomSync sync,
    RoomAccess access,
    IOptions<DeliveryOptions> delivery,
    HeartbeatService heartbeats,
    PresenceTracker presence,
    TypingRelay typingRelay,
    IOptions<PresenceOptions> presenceOptions) : Hub<ILiveClient>
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

    private LiveConnection Connection =>
        registry.Get(Context.ConnectionId) ?? throw new HubException($"{HubErrorCodes.ConnectionClosed}: the connection is closing");
}
