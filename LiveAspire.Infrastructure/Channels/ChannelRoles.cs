namespace LiveAspire.Infrastructure.Channels;

/// <summary>A user's roles in one channel (docs/architecture.md section 4). Looked up, never carried in a token.</summary>
/// <param name="IsOwner">The channel's performer.</param>
/// <param name="IsModerator">Appointed by the performer (<c>channel_moderators</c>).</param>
/// <param name="IsSubscriber">Holds a subscription whose period contains now.</param>
/// <param name="IsFollower">Follows the channel.</param>
public readonly record struct ChannelRoles(bool IsOwner, bool IsModerator, bool IsSubscriber, bool IsFollower)
{
    public static readonly ChannelRoles None = default;

    /// <summary>The performer or a moderator: who may read <c>mod:{channelId}</c> and moderate chat.</summary>
    public bool CanModerate => IsOwner || IsModerator;

    internal int ToFlags() => (IsOwner ? 1 : 0) | (IsModerator ? 2 : 0) | (IsSubscriber ? 4 : 0) | (IsFollower ? 8 : 0);

    internal static ChannelRoles FromFlags(int flags) => new((flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0, (flags & 8) != 0);
}

/// <summary>
/// Reads a user's <see cref="ChannelRoles"/>: Redis first (<c>liveaspire:channel-roles:{channelId}:{userId}</c>,
/// TTL <see cref="ChannelRoleStore.CacheTtl"/>), PostgreSQL on a miss (filling the cache). Not the system of record:
/// Api writes PostgreSQL, then calls <see cref="IChannelRoleNotifier"/>. Unknown channel or user: no roles.
/// </summary>
public interface IChannelRoleStore
{
    Task<ChannelRoles> GetAsync(Guid channelId, Guid userId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Call after a per-channel role change committed: deletes the cached roles and publishes a JSON
/// <c>ChannelRoleChanged</c> on <c>liveaspire:channel-roles</c>. At-most-once; logs and carries on if Redis fails
/// (the cache entry then expires within its TTL).
/// </summary>
public interface IChannelRoleNotifier
{
    Task RolesChangedAsync(Guid channelId, Guid userId);
}
