namespace LiveAspire.Contracts.Realtime;

/// <summary>
/// How an event may be treated on its way to a client that cannot keep up (docs/architecture.md section 3, "Event classes").
/// docs/events.md gives each type's class.
/// </summary>
public enum EventClass
{
    /// <summary>Never dropped (tips, alerts, redemptions, stream state, announcements, gap markers). A client that
    /// cannot take them is told to reconnect and resumes from its last seq.</summary>
    Reliable,

    /// <summary>May be dropped for a client that cannot keep up (chat): the client gets a <c>room.gap</c> marker naming
    /// the first missing seq and resumes the room from its last seq.</summary>
    Droppable,

    /// <summary>A counter or hint (viewer count, typing): ephemeral (<c>seq</c> 0, not stored), and only the latest
    /// value per room and type is worth sending; a newer one replaces one still waiting.</summary>
    Latest,
}

/// <summary>The class of each event type.</summary>
public static class EventClasses
{
    /// <summary>Chat events are the droppable ones: every type under <c>chat.</c>.</summary>
    public const string DroppablePrefix = "chat.";

    /// <summary>The class of one envelope: its type's, except that an ephemeral (<c>seq</c> 0) envelope of a droppable
    /// type has no place in the room's order to leave a gap in, so only its latest value matters.</summary>
    public static EventClass Of(EventEnvelope envelope)
    {
        var byType = Of(envelope.Type);
        return byType == EventClass.Droppable && envelope.Seq == LiveHubContract.EphemeralSeq ? EventClass.Latest : byType;
    }

    /// <summary>The class of <paramref name="type"/>: anything not named here is reliable.</summary>
    public static EventClass Of(string type) => type switch
    {
        EventTypes.PresenceCount or EventTypes.DmTyping => EventClass.Latest,
        _ when type.StartsWith(DroppablePrefix, StringComparison.Ordinal) => EventClass.Droppable,
        _ => EventClass.Reliable,
    };
}
