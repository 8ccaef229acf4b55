using LiveAspire.Realtime.Connections;
using LiveAspire.Realtime.Delivery;
using LiveAspire.Realtime.Telemetry;

namespace LiveAspire.Realtime.Heartbeats;

/// <summary>Heartbeat settings, bound from configuration section <c>Heartbeat</c>.</summary>
public sealed class HeartbeatOptions
{
    /// <summary>How often each connection gets a <c>Heartbeat</c> (and so how fresh its round-trip time is).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Into how many slices the connections are split: every <see cref="Interval"/> / <c>Slices</c> one slice gets its
    /// heartbeats, so each connection still gets one per interval but never all at once. Count; default 50.
    /// </summary>
    public int Slices { get; set; } = 50;
}

/// <summary>
/// Measures each connection's round-trip time: every interval the server sends <c>Heartbeat(serverTs, lastRtt,
/// quality)</c>, the client answers <c>HeartbeatAck(serverTs)</c>, and the difference is the RTT, kept on the
/// connection, exported as the histogram <c>liveaspire.realtime.connection.rtt</c> (ms) and reported back to the
/// client as its connection quality. (SignalR's own keep-alive pings prove liveness but measure nothing.)
/// <para>Heartbeats go out in slices spread over the interval, not to every connection in one loop: each pending
/// send holds a 4 KiB block of Kestrel's buffer pool until the socket has taken it, and the pool keeps what it grew
/// to (it gives back at most 1 % every 10 s while there is traffic). With one loop over 10,000 connections the pool
/// kept ~23 MB (2.3 KiB per connection); in 50 slices ~2 MB (docs/realtime.md, "Memory and GC settings").</para>
/// </summary>
public sealed class HeartbeatService(
    ConnectionRegistry registry,
    IHubClients<ILiveClient> clients,
    IOptions<HeartbeatOptions> options,
    TimeProvider time) : BackgroundService
{
    /// <summary>A connection's slice: stable for the process's life (the string hash is per process), and even,
    /// since connection ids are random.</summary>
    public static int SliceOf(string connectionId, int slices) =>
        (int)((uint)StringComparer.Ordinal.GetHashCode(connectionId) % (uint)slices);

    public static string Rate(int rttMs) => rttMs < 150 ? "good" : rttMs < 500 ? "fair" : "poor";

    /// <summary>The client's answer: records the round trip of a heartbeat this server sent (a future or absurd
    /// timestamp is ignored: the value comes from the client).</summary>
    public void Acknowledge(LiveConnection connection, long serverTs)
    {
        var rtt = time.GetUtcNow().ToUnixTimeMilliseconds() - serverTs;
        if (rtt < 0 || rtt > TimeSpan.FromMinutes(1).TotalMilliseconds)
        {
            return;
        }
        connection.LastRttMs = (int)rtt;
        RealtimeTelemetry.ConnectionRtt.Record(rtt);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A tick finer than 100 ms spreads nothing more and only costs passes over the registry.
        var interval = options.Value.Interval;
        var slices = Math.Clamp(options.Value.Slices, 1, Math.Max(1, (int)(interval / TimeSpan.FromMilliseconds(100))));
        using var timer = new PeriodicTimer(interval / slices, time);
        var slice = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = time.GetUtcNow().ToUnixTimeMilliseconds();
                foreach (var connection in registry.All())
                {
                    if (SliceOf(connection.ConnectionId, slices) != slice)
                    {
                        continue;
                    }
                    var rtt = connection.LastRttMs;
                    _ = clients.Client(connection.ConnectionId).Heartbeat(now, rtt, rtt is { } r ? Rate(r) : null);
                }
                slice = (slice + 1) % slices;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
