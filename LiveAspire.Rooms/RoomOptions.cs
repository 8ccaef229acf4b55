namespace LiveAspire.Rooms;

/// <summary>Room delivery settings, bound from configuration section <c>Rooms</c>.</summary>
public sealed class RoomOptions
{
    /// <summary>Events kept per room in Redis (the hot window) for resume; older positions get <c>recovered:false</c>. Count.</summary>
    public int HotWindow { get; set; } = 1000;

    /// <summary>Publishes one process may have in flight to Redis at once; further callers wait. Count.</summary>
    public int MaxInFlightPublishes { get; set; } = 1024;

    /// <summary>Largest event payload accepted, in bytes of JSON.</summary>
    public int MaxDataBytes { get; set; } = 64 * 1024;
}
