using LiveAspire.Realtime.Telemetry;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace LiveAspire.Realtime.Delivery;

/// <summary>
/// A run of one room's envelopes serialized <b>once</b> as a complete <c>Events</c> invocation frame and shared by
/// every recipient on this replica: sending it to a connection is a copy of its bytes into the connection's pipe,
/// never a serialization per recipient (docs/realtime.md, "Delivery performance").
/// </summary>
public sealed class EventFrame
{
    private EventFrame(string room, string epoch, long firstSeq, long lastSeq, int count, EventClass eventClass, string? latestType,
        SerializedHubMessage message, IReadOnlyList<EventEnvelope> envelopes, bool hasDroppable)
    {
        Envelopes = envelopes;
        HasDroppable = hasDroppable;
        Room = room;
        Epoch = epoch;
        FirstSeq = firstSeq;
        LastSeq = lastSeq;
        Count = count;
        Class = eventClass;
        LatestType = latestType;
        Message = message;
    }

    public string Room { get; }
    public string Epoch { get; }

    /// <summary>Seq of the first and last envelope (0 for an ephemeral frame).</summary>
    public long FirstSeq { get; }
    public long LastSeq { get; }

    /// <summary>Envelopes in the frame.</summary>
    public int Count { get; }

    /// <summary><see cref="EventClass.Reliable"/> if any envelope is; <see cref="EventClass.Droppable"/> when every one
    /// is; <see cref="EventClass.Latest"/> for a frame holding one ephemeral counter or hint.</summary>
    public EventClass Class { get; }

    /// <summary>For a <see cref="EventClass.Latest"/> frame: the type a newer frame of the same room replaces.</summary>
    public string? LatestType { get; }

    /// <summary>The envelopes, for a send queue that must split the frame (shedding chat, keeping tips).</summary>
    public IReadOnlyList<EventEnvelope> Envelopes { get; }

    /// <summary>True when at least one envelope is droppable (numbered chat).</summary>
    public bool HasDroppable { get; }

    /// <summary>The frame's bytes in the one hub protocol this server speaks (JSON).</summary>
    public SerializedHubMessage Message { get; }

    /// <summary>Serializes <paramref name="envelopes"/> (one room, in seq order, or one ephemeral envelope).</summary>
    public static EventFrame Create(IHubProtocol protocol, IReadOnlyList<EventEnvelope> envelopes)
    {
        var array = envelopes as EventEnvelope[] ?? [.. envelopes];
        var bytes = protocol.GetMessageBytes(new InvocationMessage(nameof(ILiveClient.Events), [array]));
        var message = new SerializedHubMessage([new SerializedMessage(protocol.Name, bytes)]);
        RealtimeTelemetry.FramesSerialized.Add(1);
        var first = array[0];
        var eventClass = EventClass.Droppable;
        var hasDroppable = false;
        foreach (var envelope in array)
        {
            var c = EventClasses.Of(envelope);
            hasDroppable |= c == EventClass.Droppable;
            if (c == EventClass.Reliable || (c == EventClass.Latest && array.Length > 1))
            {
                eventClass = EventClass.Reliable;
            }
            else if (c == EventClass.Latest && eventClass != EventClass.Reliable)
            {
                eventClass = EventClass.Latest;
            }
        }
        return new EventFrame(first.Room, first.Epoch, first.Seq, array[^1].Seq, array.Length, eventClass,
            eventClass == EventClass.Latest ? first.Type : null, message, array, hasDroppable);
    }
}
