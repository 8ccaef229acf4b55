namespace LiveAspire.Access;

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
/// <see cref="IChannelRoleStore"/> over a Redis string (the role flags) filled from PostgreSQL
/// (<see cref="ReadThroughCache"/>).
/// </summary>
/// <remarks>
/// A reader that loaded the old row just before a change committed can refill the cache just after the notifier
/// deleted it; that stale entry lives at most <see cref="CacheTtl"/>. Short on purpose: roles are not revocations
/// (which use versioned write-through, SessionCacheScript), and the publish makes Realtime re-read at once anyway.
/// </remarks>
public sealed class ChannelRoleStore(NpgsqlDataSource dataSource, ReadThroughCache cache) : IChannelRoleStore
{
    /// <summary>Longest time a cached entry lives; shorter when a subscription in it ends sooner.</summary>
    public static readonly TimeSpan CacheTtl = TimeSpan.FromSeconds(60);

    public async Task<ChannelRoles> GetAsync(Guid channelId, Guid userId, CancellationToken cancellationToken = default)
    {
        var (roles, _) = await cache.GetAsync("channel role", AccessKeys.ChannelRoles(channelId, userId), ReadCacheAsync,
            ct => AccessQueries.ReadChannelRolesAsync(dataSource, channelId, userId, ct), FillCacheAsync, cancellationToken);
        return roles;
    }

    private static async Task<ReadThroughCache.Cached<(ChannelRoles, long?)>> ReadCacheAsync(IDatabaseAsync database, RedisKey key)
    {
        var cached = await database.StringGetAsync(key);
        // HasValue first: StackExchange.Redis (2.13 too) parses a missing value as 0 (no roles), which would hide the miss.
        return cached.HasValue && cached.TryParse(out int flags)
            ? new(true, (ChannelRoles.FromFlags(flags), null))
            : ReadThroughCache.Cached<(ChannelRoles, long?)>.Miss;
    }

    // The entry dies with the subscription period it counts, when that ends before the TTL.
    private static Task FillCacheAsync(IDatabaseAsync database, RedisKey key, (ChannelRoles Roles, long? SubscriptionSecondsLeft) answer)
    {
        var ttl = answer.SubscriptionSecondsLeft is { } s && s < CacheTtl.TotalSeconds ? TimeSpan.FromSeconds(s) : CacheTtl;
        return ttl > TimeSpan.Zero ? database.StringSetAsync(key, answer.Roles.ToFlags(), ttl) : Task.CompletedTask;
    }
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
