namespace LiveAspire.Access;

/// <summary>
/// <see cref="ISessionStateStore"/> over the Redis hash <c>liveaspire:session:{userId}</c> (TTL
/// <see cref="CacheTtl"/>), filled from PostgreSQL <c>users</c> on a miss (<see cref="ReadThroughCache"/>).
/// </summary>
public sealed class SessionStateStore(NpgsqlDataSource dataSource, IConnectionMultiplexer redis, ReadThroughCache cache)
    : ISessionStateStore
{
    /// <summary>How long a cached entry lives; bounds how long a missed update could be served.</summary>
    public static readonly TimeSpan CacheTtl = TimeSpan.FromMinutes(10);

    private static readonly RedisValue[] s_fields = ["sv", "banned"];

    public Task<SessionState?> GetAsync(Guid userId, CancellationToken cancellationToken = default) =>
        cache.GetAsync("session", AccessKeys.Session(userId), ReadCacheAsync,
            ct => AccessQueries.ReadSessionStateAsync(dataSource, userId, ct),
            (database, key, state) => state is null ? Task.CompletedTask : SessionCacheScript.WriteAsync(database, key, state, CacheTtl),
            cancellationToken);

    private static async Task<ReadThroughCache.Cached<SessionState?>> ReadCacheAsync(IDatabaseAsync database, RedisKey key)
    {
        var fields = await database.HashGetAsync(key, s_fields);
        // HasValue first: StackExchange.Redis (2.13 too: "in redis-land 0 approx. equal null") parses a missing
        // field as 0, which would turn every cache miss into "version 0, not banned" and never reach PostgreSQL
        // (unknown and banned users accepted).
        return fields[0].HasValue && fields[1].HasValue && fields[0].TryParse(out int sv) && fields[1].TryParse(out int banned)
            ? new(true, new SessionState(sv, banned != 0))
            : ReadThroughCache.Cached<SessionState?>.Miss;
    }

    /// <summary>
    /// Writes <paramref name="state"/> (just committed to PostgreSQL) into the cache unless it already holds a higher
    /// session version. Throws while Redis is unreachable; the caller decides whether that matters.
    /// </summary>
    public async Task WriteAsync(Guid userId, SessionState state, CancellationToken cancellationToken = default)
    {
        // Bounded by the client's pinned timeouts (RedisClientDefaults): throws at once while Redis is down.
        cancellationToken.ThrowIfCancellationRequested();
        await SessionCacheScript.WriteAsync(redis.GetDatabase(), AccessKeys.Session(userId), state, CacheTtl);
    }
}
