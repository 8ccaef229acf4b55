using LiveAspire.Rooms.Redis;

namespace LiveAspire.Access;

/// <summary>The Redis key and pub/sub channel names of the access lookups and their notices (prefix as <see cref="RedisKeys"/>).</summary>
public static class AccessKeys
{
    /// <summary>Hash with fields <c>sv</c> and <c>banned</c>: a cached copy of a user's security state in PostgreSQL.</summary>
    public static string Session(Guid userId) => $"{RedisKeys.Prefix}session:{userId:D}";

    /// <summary>Channel carrying JSON <c>RevocationNotice</c>s from Api to every Realtime replica.</summary>
    public const string RevocationsChannel = RedisKeys.Prefix + "revocations";

    /// <summary>Channel carrying JSON <c>OverlayKeyRevocationNotice</c>s from Api to every Realtime replica.</summary>
    public const string OverlayKeyRevocationsChannel = RedisKeys.Prefix + "overlay-key-revocations";

    /// <summary>String holding a user's role flags in one channel (owner 1, moderator 2, subscriber 4, follower 8), TTL 60 s.</summary>
    public static string ChannelRoles(Guid channelId, Guid userId) => $"{RedisKeys.Prefix}channel-roles:{channelId:D}:{userId:D}";

    /// <summary>Channel carrying JSON <c>ChannelRoleChanged</c> records from Api to every Realtime replica.</summary>
    public const string ChannelRolesChannel = RedisKeys.Prefix + "channel-roles";

    /// <summary>String <c>{channelId}</c> while an overlay key is active, <c>-</c> when it is not (TTL 30 s).</summary>
    public static string OverlayKey(Guid keyId) => $"{RedisKeys.Prefix}overlay-key:{keyId:D}";

    /// <summary>String <c>1</c> while a channel allows anonymous viewers (guest tokens), <c>0</c> when it does not or is gone (TTL 30 s).</summary>
    public static string GuestChannel(Guid channelId) => $"{RedisKeys.Prefix}guest-channel:{channelId:D}";
}
