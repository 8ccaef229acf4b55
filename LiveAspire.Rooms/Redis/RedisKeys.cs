namespace LiveAspire.Rooms.Redis;

/// <summary>
/// The Redis key and pub/sub channel names of online status and typing, built in one place (as SignalR's
/// <c>RedisChannels</c> does) so two services can never disagree on a name. Every LiveAspire name starts with
/// <see cref="Prefix"/>; a room's own keys are in <see cref="RoomKeys"/>, a stream room's presence in
/// <see cref="Presence.PresenceKeys"/>, the access lookups' in <c>AccessKeys</c>.
/// </summary>
public static class RedisKeys
{
    /// <summary>What every LiveAspire key and channel name starts with.</summary>
    public const string Prefix = "liveaspire:";

    /// <summary>Sorted set replica → lease expiry (Unix ms): the replicas on which the user has a connection.</summary>
    public static string Online(Guid userId) => $"{Prefix}online:{userId:D}";

    /// <summary>Channel carrying ephemeral typing indicators between Realtime replicas (never stored or numbered).</summary>
    public const string TypingChannel = Prefix + "typing";
}
