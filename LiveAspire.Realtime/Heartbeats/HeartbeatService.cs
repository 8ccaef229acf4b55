using System.Diagnostics.Metrics;
using LiveAspire.Contracts.Realtime;
using LiveAspire.Realtime.Connections;
using LiveAspire.Realtime.Hubs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace LiveAspire.Realtime.Heartbeats;

/// <summary>Heartbeat settings, bound from configuration section <c>Heartbeat</c>.</summary>
public sealed class HeartbeatOptions
{
    /// <summary>How often each connection gets a <c>Heartbeat</c> (and so how fresh its round-trip time is).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Measures each connection's round-trip time: every interval the server sends <c>Heartbeat(serverTs, lastRtt,
/// quality)</c>, the client answers <c>HeartbeatAck(serverTs)</c>, and the difference is the RTT, kept on the
/// connection, exported as the histogram <c>liveaspire.realtime.connection.rtt</c> (ms) and reported back to the
/// client as its connection quality. (SignalR's own keep-alive pings prove liveness but measure nothing.)
/// </summary>
public sealed class HeartbeatService(
    ConnectionRegistry registry,
    IHubContext<LiveHub, ILiveClient> hub,
    IOptions<HeartbeatOptions> options,
    TimeProvider time) : BackgroundService
{
    private static readonly Meter Meter = new("LiveAspire.Realtime.Connections");
    private static readonly Histogram<double> Rtt = Meter.CreateHistogram<double>("liveaspire.realtime.connection.rtt", "ms",
        "Round-trip time of a heartbeat, per connection");

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
        Rtt.Record(rtt);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = time.GetUtcNow().ToUnixTimeMilliseconds();
                foreach (var connection in registry.All())
                {
                    var rtt = connection.LastRttMs;
                    _ = hub.Clients.Client(connection.ConnectionId).Heartbeat(now, rtt, rtt is { } r ? Rate(r) : null);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
