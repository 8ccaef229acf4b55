namespace LiveAspire.Rooms.Redis;

/// <summary>
/// The Redis key and pub/sub channel names of presence and typing, built in one place (as SignalR's
/// <c>RedisChannels</c> does) so two services can never disagree on a name. Every LiveAspire name starts with
/// <see cref="Prefix"/>; a room's own keys are in <see cref="RoomKeys"/>, the access lookups' in <c>AccessKeys</c>.
/// </summary>
public static class RedisKeys
{
    /// <summary>What every LiveAspire key and channel name starts with.</summary>
    public const string Prefix = "liveaspire:";

    /// <summary>Prefix of one stream room's presence keys, all under the room's hash tag: <c>:users</c> (sorted set
    /// userId → lease expiry ms), <c>:replicas</c> (hash replica → <c>{connections}:{expiry ms}</c>),
    /// <c>:r:{replica}</c> (set of the userIds that replica holds), <c>:last</c> (hash: last published count).</summary>
    public static string PresencePrefix(string room) => $"{Prefix}presence:{{{room}}}:";

    /// <summary>Sorted set replica → lease expiry (Unix ms): the replicas on which the user has a connection.</summary>
    public static string Online(Guid userId) => $"{Prefix}online:{userId:D}";

    /// <summary>Channel carrying ephemeral typing indicators between Realtime replicas (never stored or numbered).</summary>
    public const string TypingChannel = Prefix + "typing";
}
