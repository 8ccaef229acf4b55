namespace LiveAspire.Realtime.Delivery;

/// <summary>Per-connection delivery settings, bound from configuration section <c>Delivery</c>.</summary>
public sealed class DeliveryOptions
{
    /// <summary>Envelopes that may wait for one connection before it is disconnected as too slow. Count.</summary>
    public int SendQueueCapacity { get; set; } = 4096;

    /// <summary>Most envelopes sent in one <c>Events</c> frame. Count.</summary>
    public int MaxEnvelopesPerFrame { get; set; } = 256;

    /// <summary>A room with at least <see cref="CoalesceMinMembers"/> local members collects its events at least this long
    /// before they go out as one shared frame (0: no waiting; events that arrive together still go out together).
    /// Milliseconds.</summary>
    public int CoalesceMilliseconds { get; set; } = 25;

    /// <summary>The window grows with the room: this much per local member (one round of writes to every member costs
    /// tens of microseconds each, so a bigger room gets fewer rounds a second; docs/realtime.md). Microseconds.</summary>
    public int CoalesceMicrosecondsPerMember { get; set; } = 10;

    /// <summary>The longest window, whatever the room's size (the latency it may add). Milliseconds.</summary>
    public int MaxCoalesceMilliseconds { get; set; } = 100;

    /// <summary>Local members from which a room is "big" and coalesced over <see cref="CoalesceMilliseconds"/>. Count.</summary>
    public int CoalesceMinMembers { get; set; } = 100;

    /// <summary>Most events the dispatcher reads from Redis before it hands out what it has. Count.</summary>
    public int MaxDispatchBatch { get; set; } = 1024;

    /// <summary>Most rooms one connection may be in at once. Count.</summary>
    public int MaxRoomsPerConnection { get; set; } = 100;

    /// <summary>How often the replica checks that Redis answers (a PING bounded by 1 s): a paused or partitioned Redis
    /// keeps its socket open, and this is how long at most it goes unnoticed before every connected client gets
    /// <c>Error(redis_unavailable)</c> (plus the 1 s bound). Milliseconds.</summary>
    public int RedisProbeMilliseconds { get; set; } = 500;
}
