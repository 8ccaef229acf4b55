using System.Collections.Concurrent;

namespace LiveAspire.Realtime.Delivery;

/// <summary>
/// One client connection on this replica: who it is (from the validated token), the rooms it is in, and its
/// send queue. Everything here is per connection and so per replica by nature; shared state lives in Redis.
/// </summary>
public sealed class LiveConnection(string connectionId, Guid? userId, Guid? overlayChannelId, int sessionVersion,
    HubCallerContext context, HubConnectionContext hubConnection, SendQueue sendQueue, Guid? overlayKeyId = null, Guid? guestChannelId = null)
{
    public string ConnectionId { get; } = connectionId;

    /// <summary>The user, for a user token; null for an overlay or a guest token.</summary>
    public Guid? UserId { get; } = userId;

    /// <summary>For an overlay token: the channel whose <c>alerts:</c> room it may read (and nothing else).</summary>
    public Guid? OverlayChannelId { get; } = overlayChannelId;

    /// <summary>For an overlay token: the overlay key it was exchanged for; revoking or rotating that key closes the connection.</summary>
    public Guid? OverlayKeyId { get; } = overlayKeyId;

    /// <summary>For a guest token: the channel whose <c>stream:</c> room it may read (and nothing else), while the
    /// channel allows anonymous viewers.</summary>
    public Guid? GuestChannelId { get; } = guestChannelId;

    /// <summary>The <c>sv</c> of the token the connection was opened with; revocation compares against it.</summary>
    public int SessionVersion { get; } = sessionVersion;

    public SendQueue SendQueue { get; } = sendQueue;

    /// <summary>SignalR's side of the connection: the send queue's pump writes pre-serialized frames to it.</summary>
    public HubConnectionContext HubConnection { get; } = hubConnection;

    /// <summary>Round-trip time of the last answered heartbeat, ms (null until one is answered).</summary>
    public int? LastRttMs { get; set; }

    /// <summary>Room name → this connection's position in it.</summary>
    /// <remarks>Sized for the common case (one or a few rooms, changed by one hub call at a time): the default
    /// concurrency level and capacity cost ~0.5 KB per idle connection.</remarks>
    public ConcurrentDictionary<string, RoomMembership> Rooms { get; } = new(concurrencyLevel: 1, capacity: 2, StringComparer.Ordinal);

    /// <summary>When this connection last sent a typing indicator (timestamp ticks); for the light rate limit.</summary>
    public long LastTypingTimestamp;

    /// <summary>Set once the connection is being revoked, so a notice and the periodic re-check do not both close it.</summary>
    public int Revoking;

    /// <summary>Closes the connection from the server side (revocation, a client too slow to keep up).</summary>
    public void Abort() => context.Abort();
}
