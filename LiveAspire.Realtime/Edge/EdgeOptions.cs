namespace LiveAspire.Realtime.Edge;

/// <summary>
/// Limits at the edge of the hub, bound from configuration section <c>Edge</c>. Every limit is per replica: the
/// proxy spreads connections round-robin, so a user's or an address's effective ceiling over the whole service is
/// at most the replica count times the figure here (see docs/realtime.md, "Edge security").
/// </summary>
public sealed class EdgeOptions
{
    /// <summary>Configuration section the options are bound from.</summary>
    public const string SectionName = "Edge";

    /// <summary>
    /// Origins allowed besides the Web origin (<c>services:web:http:0</c>), as <c>scheme://host[:port]</c>. A request
    /// to the hub with any other <c>Origin</c> (including <c>null</c>) is refused with 403 before the upgrade. Default none.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Open hub connections one user (or one overlay token's channel) may hold on this replica; more get 429. Default 20.</summary>
    public int MaxConnectionsPerUser { get; set; } = 20;

    /// <summary>Open hub connections one client address may hold on this replica; more get 429. Default 1000.</summary>
    public int MaxConnectionsPerIp { get; set; } = 1000;

    /// <summary>
    /// Open hub connections this replica holds, over every user, address and transport; more get 503
    /// <c>replica_full</c> (the load balancer's next try may land on a replica with room). Bounds the process's memory
    /// and file handles (an idle connection costs ~28 KB of heap, docs/realtime.md). Default (0 or unset): the
    /// process's open-file limit minus 1000, at most 20000 (<see cref="OpenFileLimit"/>), so that this cap refuses
    /// before the kernel does.
    /// </summary>
    public int MaxConnectionsPerReplica { get; set; }

    /// <summary>The <c>Retry-After</c> of a 429 (or a 503 <c>replica_full</c>) at connect, in seconds. Default 5.</summary>
    public int ConnectionRetryAfterSeconds { get; set; } = 5;

    /// <summary>
    /// Addresses of reverse proxies whose <c>X-Forwarded-For</c> is trusted. From any other peer the header is ignored
    /// and the peer's own address is the client's. Default none.
    /// </summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Largest hub message a client may send (<c>HubOptions.MaximumReceiveMessageSize</c>); a larger one closes the connection. Bytes; default 32768.</summary>
    public long MaxMessageBytes { get; set; } = 32 * 1024;

    /// <summary>
    /// Bytes read from a client and not yet parsed before the transport stops reading
    /// (<c>HttpConnectionDispatcherOptions.ApplicationMaxBufferSize</c>). Must be at least <see cref="MaxMessageBytes"/>. Default 65536.
    /// </summary>
    public long ApplicationMaxBufferBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Bytes written for a client and not yet taken by its socket before sends wait
    /// (<c>HttpConnectionDispatcherOptions.TransportMaxBufferSize</c>). A send that waits longer than
    /// <see cref="SlowReaderTimeout"/> drops the client. Default 65536.
    /// </summary>
    public long TransportMaxBufferBytes { get; set; } = 64 * 1024;

    /// <summary>Time a client has to complete the protocol handshake after connecting (<c>HubOptions.HandshakeTimeout</c>). Default 5 s.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest one <c>Events</c> frame may wait for a client to read before it is dropped as a slow reader. Default 10 s.</summary>
    public TimeSpan SlowReaderTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Hub invocations per second one user may make on this replica, over all their connections (steady rate). Default 20.</summary>
    public double InvocationsPerSecond { get; set; } = 20;

    /// <summary>Invocations one user may make at once above the steady rate (bucket size). Default 40.</summary>
    public int InvocationBurst { get; set; } = 40;

    /// <summary>
    /// Rate-limited invocations a connection may make (each permitted one takes one off) before it is disconnected
    /// as an abuser. Default 100.
    /// </summary>
    public int MaxRateLimitStrikes { get; set; } = 100;

    /// <summary>
    /// Protocol Ping records (<c>{"type":6}</c>) one connection may send per minute (counted in fixed one-minute windows
    /// from its first ping); one more closes it with <c>ping_flood</c>. Clients send one only after 15 s without
    /// sending anything else (SignalR's keep-alive), 4 a minute at most, so the default leaves a wide margin. Default 60.
    /// </summary>
    public int MaxPingsPerMinute { get; set; } = 60;
}
