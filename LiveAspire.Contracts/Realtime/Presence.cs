namespace LiveAspire.Contracts.Realtime;

/// <summary>Data of <see cref="EventTypes.PresenceCount"/>: who is watching a stream room, across every replica.</summary>
/// <param name="Users">Distinct users with at least one connection in the room.</param>
/// <param name="Connections">Connections in the room (a user with two tabs counts twice).</param>
public sealed record PresenceCount(long Users, long Connections);

/// <summary>Data of <see cref="EventTypes.DmTyping"/>: the sender (from its token, never from the payload) is typing,
/// or stopped.</summary>
public sealed record DmTyping(Guid UserId, bool Typing);
