namespace LiveAspire.Realtime.Delivery;

/// <summary>Per-connection delivery settings, bound from configuration section <c>Delivery</c>.</summary>
public sealed class DeliveryOptions
{
    /// <summary>Envelopes that may wait for one connection before it is disconnected as too slow. Count.</summary>
    public int OutboxCapacity { get; set; } = 4096;

    /// <summary>Most envelopes sent in one <c>Events</c> frame. Count.</summary>
    public int MaxEnvelopesPerFrame { get; set; } = 256;

    /// <summary>Most rooms one connection may be in at once. Count.</summary>
    public int MaxRoomsPerConnection { get; set; } = 100;
}
