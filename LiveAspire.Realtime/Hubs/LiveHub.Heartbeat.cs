namespace LiveAspire.Realtime.Hubs;

public sealed partial class LiveHub
{
    /// <summary>The client's answer to <c>Heartbeat(serverTs, ...)</c>; gives this connection's round-trip time.</summary>
    public void HeartbeatAck(long serverTs) => heartbeats.Acknowledge(Connection, serverTs);
}
