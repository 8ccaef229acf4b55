namespace LiveAspire.Contracts.Realtime;

/// <summary>
/// The server-to-client methods of the live hub (<c>/hubs/live</c>). Every call the server makes is one of these:
/// no method names as strings anywhere else.
/// </summary>
public interface ILiveClient
{
    /// <summary>Room events; one frame may carry several envelopes (how big rooms are coalesced).</summary>
    Task Events(EventEnvelope[] envelopes);

    /// <summary>
    /// The server asks the client to reconnect (it will land on another replica) and resume its rooms;
    /// <paramref name="reason"/> is one of <see cref="ReconnectReasons"/>.
    /// </summary>
    Task Reconnect(string reason);

    /// <summary>
    /// The session was revoked (logout everywhere, ban, role change, password reset: <paramref name="reason"/> is one of
    /// <c>RevocationReasons</c>); the connection closes after this.
    /// </summary>
    Task Revoked(string reason);

    /// <summary>
    /// The server's heartbeat: the client answers at once with the hub method <c>HeartbeatAck(serverTs)</c> (a
    /// non-blocking invocation), which gives the server the connection's round-trip time. <paramref name="rttMs"/>
    /// and <paramref name="quality"/> (<c>good</c> &lt; 150 ms, <c>fair</c> &lt; 500 ms, else <c>poor</c>; null before the
    /// first measurement) report the last one back so the client can show its connection quality.
    /// </summary>
    Task Heartbeat(long serverTs, int? rttMs, string? quality);

    /// <summary>An error the client can act on; <paramref name="retryAfterMs"/> is null when retrying will not help.</summary>
    Task Error(string code, string message, int? retryAfterMs);
}
