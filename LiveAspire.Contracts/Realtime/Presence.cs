namespace LiveAspire.Contracts.Realtime;

/// <summary>Data of <see cref="EventTypes.PresenceCount"/>: who is watching a stream room, across every replica.</summary>
/// <param name="Users">Distinct signed-in users with at least one connection in the room (guests are not users).</param>
/// <param name="Connections">Connections in the room, signed-in and guest alike (a user with two tabs counts twice, every
/// guest connection once): the number to show as viewers when guests should count.</param>
public sealed record PresenceCount(long Users, long Connections);

/// <summary>Data of <see cref="EventTypes.DmTyping"/>: the sender (from its token, never from the payload) is typing,
/// or stopped.</summary>
public sealed record DmTyping(Guid UserId, bool Typing);
