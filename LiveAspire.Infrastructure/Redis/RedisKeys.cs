namespace LiveAspire.Infrastructure.Redis;

/// <summary>
/// Every Redis key and pub/sub channel name LiveAspire uses, built in one place (as SignalR's <c>RedisChannels</c>
/// does) so two services can never disagree on a name. All start with <c>liveaspire:</c>.
/// </summary>
public static class RedisKeys
{
    private const string Prefix = "liveaspire:";

    /// <summary>Hash with fields <c>sv</c> and <c>banned</c>: a cached copy of a user's security state in PostgreSQL.</summary>
    public static string Session(Guid userId) => $"{Prefix}session:{userId:D}";

    /// <summary>Channel carrying JSON <c>RevocationNotice</c>s from Api to every Realtime replica.</summary>
    public const string RevocationsChannel = Prefix + "revocations";

    /// <summary>String holding a user's role flags in one channel (owner 1, moderator 2, subscriber 4, follower 8), TTL 60 s.</summary>
    public static string ChannelRoles(Guid channelId, Guid userId) => $"{Prefix}channel-roles:{channelId:D}:{userId:D}";

    /// <summary>Channel carrying JSON <c>ChannelRoleChanged</c> records from Api to every Realtime replica.</summary>
    public const string ChannelRolesChannel = Prefix + "channel-roles";

    /// <summary>String <c>{channelId}</c> while an overlay key is active, <c>-</c> when it is not (TTL 30 s).</summary>
    public static string OverlayKey(Guid keyId) => $"{Prefix}overlay-key:{keyId:D}";

    /// <summary>Prefix of one stream room's presence keys, all under the room's hash tag: <c>:users</c> (sorted set
    /// userId → lease expiry ms), <c>:replicas</c> (hash replica → <c>{connections}:{expiry ms}</c>),
    /// <c>:r:{replica}</c> (set of the userIds that replica holds), <c>:last</c> (hash: last published count).</summary>
    public static string PresencePrefix(string room) => $"{Prefix}presence:{{{room}}}:";

    /// <summary>Sorted set replica → lease expiry (Unix ms): the replicas on which the user has a connection.</summary>
    public static string Online(Guid userId) => $"{Prefix}online:{userId:D}";

    /// <summary>Channel carrying ephemeral typing indicators between Realtime replicas (never stored or numbered).</summary>
    public const string TypingChannel = Prefix + "typing";
}
