using LiveAspire.Realtime.Access;
using LiveAspire.Realtime.Heartbeats;
using Microsoft.AspNetCore.Mvc;

namespace LiveAspire.Realtime.Hubs;

// Heartbeats' hub method (docs/protocol.md).
public sealed partial class LiveHub
{
    /// <summary>The client's answer to <c>Heartbeat(serverTs, ...)</c>; gives this connection's round-trip time.</summary>
    [AllowGuests]
    public void HeartbeatAck(long serverTs, [FromServices] HeartbeatService heartbeats) => heartbeats.Acknowledge(Connection, serverTs);
}
