using System.Net.WebSockets;

namespace LiveAspire.Client;

/// <summary>Settings of one <see cref="LiveHubClient"/>; defaults match the server's (15 s pings, 30 s timeouts).</summary>
public sealed class LiveHubClientOptions
{
    /// <summary>The hub's address, e.g. <c>http://127.0.0.1:17103/hubs/live</c> (the WebSocket transport turns http/https into
    /// ws/wss). Negotiation is skipped: the client opens the WebSocket directly, so no session affinity is needed.</summary>
    public required Uri HubUrl { get; set; }

    /// <summary>Called before every connection attempt, reconnects included, so a fresh token can be returned; the
    /// token is sent as <c>Authorization: Bearer</c> on the upgrade and never logged. Null or empty: no header.</summary>
    public Func<CancellationToken, ValueTask<string?>>? AccessTokenProvider { get; set; }

    /// <summary>A Ping is sent when nothing else was sent for this long (SignalR checks once a second, so shorter
    /// values mean one ping a second). Default 15 s.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>With nothing received (not even a ping) for this long, the connection is treated as lost (checked once
    /// a second). Default 30 s.</summary>
    public TimeSpan ServerTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long opening the WebSocket plus the protocol handshake may take. Default 15 s.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long an invocation waits for its completion before failing with <see cref="TimeoutException"/>.
    /// Default 30 s.</summary>
    public TimeSpan InvocationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First reconnect delay after a lost connection; doubled per failed attempt, with jitter (each delay is
    /// drawn between half and all of the nominal value). A <c>Reconnect</c> request retries at once (plus up to this
    /// much jitter, so a draining replica's clients do not all arrive together). Default 0.5 s.</summary>
    public TimeSpan ReconnectBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Upper bound of the reconnect delay. Default 30 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the client waits before it asks again for a room the server could not join because Redis was
    /// unavailable (<c>redis_unavailable</c>, retryable: the room stays joined and is asked again until it succeeds,
    /// the room is left or the client stops). Default 1 s.</summary>
    public TimeSpan RoomRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many delivered envelope ids are remembered for dedupe (oldest forgotten first). Default 10,000.</summary>
    public int DedupeCapacity { get; set; } = 10_000;

    /// <summary>Largest accepted hub protocol record, in bytes; a larger one ends the connection (and the client
    /// reconnects). Default 16 MiB.</summary>
    public int MaxRecordBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Extra WebSocket settings (headers, proxy, certificates) applied before each connection attempt, after
    /// the client's own (the <c>Authorization</c> header, WebSocket-level keep-alive off).</summary>
    public Action<ClientWebSocketOptions>? ConfigureWebSocket { get; set; }
}
