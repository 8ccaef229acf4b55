namespace LiveAspire.Contracts.Realtime;

/// <summary>
/// The server-to-client methods of the live hub (<c>/hubs/live</c>). Every call the server makes is one of these:
/// no method names as strings anywhere else.
/// </summary>
public interface ILiveClient
{
    /// <summary>Room events; one frame may carry several envelopes (how big rooms are coalesced).</summary>
    Task Events(EventEnvelope[] envelopes);

    /// <summary>The server asks the client to reconnect (it will land on another replica) and resume its rooms.</summary>
    Task Reconnect(string reason);

    /// <summary>The session was revoked (logout everywhere, ban, role change); the connection closes after this.</summary>
    Task Revoked(string reason);

    /// <summary>An error the client can act on; <paramref name="retryAfterMs"/> is null when retrying will not help.</summary>
    Task Error(string code, string message, int? retryAfterMs);
}
