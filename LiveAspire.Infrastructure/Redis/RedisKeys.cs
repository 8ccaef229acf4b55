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
}
