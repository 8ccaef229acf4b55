using System.Diagnostics.Metrics;

namespace LiveAspire.Realtime.Delivery;

/// <summary>Delivery instruments (meter <c>LiveAspire.Realtime.Delivery</c>, exported by ServiceDefaults).</summary>
public static class DeliveryMetrics
{
    public const string MeterName = "LiveAspire.Realtime.Delivery";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Shared frames serialized (once each, whatever the number of recipients).</summary>
    public static readonly Counter<long> FramesSerialized = Meter.CreateCounter<long>("liveaspire.realtime.delivery.frames_serialized",
        description: "Room frames serialized once and shared by every local member");

    /// <summary>Droppable envelopes dropped for clients that could not keep up (each such room got a room.gap).</summary>
    public static readonly Counter<long> Shed = Meter.CreateCounter<long>("liveaspire.realtime.delivery.shed",
        description: "Droppable (chat) envelopes dropped for slow clients; they resume the room");

    /// <summary>Connections told to reconnect because reliable events alone filled their outbox.</summary>
    public static readonly Counter<long> Overflows = Meter.CreateCounter<long>("liveaspire.realtime.delivery.overflows",
        description: "Connections whose outbox filled with reliable events; told to reconnect and resume");
}
