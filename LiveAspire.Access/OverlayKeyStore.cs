namespace LiveAspire.Access;

/// <summary>
/// Whether an overlay key is still active, for validating overlay tokens: Redis <c>liveaspire:overlay-key:{keyId}</c>
/// (TTL <see cref="OverlayKeyStore.CacheTtl"/>) first, PostgreSQL <c>overlay_keys</c> on a miss. Not the system of
/// record: Api revokes in PostgreSQL, then calls <see cref="InvalidateAsync"/>.
/// </summary>
public interface IOverlayKeyStore
{
    /// <summary>The channel of the key while it is active (neither revoked nor rotated away); null otherwise.</summary>
    Task<Guid?> GetActiveChannelAsync(Guid keyId, CancellationToken cancellationToken = default);

    /// <summary>Drops the cached state after a revoke or rotate committed; throws while Redis is unreachable.</summary>
    Task InvalidateAsync(Guid keyId, CancellationToken cancellationToken = default);
}

/// <summary><see cref="IOverlayKeyStore"/> over a Redis string filled from PostgreSQL (<see cref="ReadThroughCache"/>).</summary>
public sealed class OverlayKeyStore(NpgsqlDataSource dataSource, IConnectionMultiplexer redis, ReadThroughCache cache) : IOverlayKeyStore
{
    /// <summary>How long a cached answer lives: bounds how long a missed invalidation keeps a revoked key's tokens working.</summary>
    public static readonly TimeSpan CacheTtl = TimeSpan.FromSeconds(30);

    private const string Inactive = "-";

    public Task<Guid?> GetActiveChannelAsync(Guid keyId, CancellationToken cancellationToken = default) =>
        cache.GetAsync("overlay key", AccessKeys.OverlayKey(keyId), ReadCacheAsync,
            ct => AccessQueries.ReadActiveOverlayKeyChannelAsync(dataSource, keyId, ct),
            // Only on a missing key: an invalidation written meanwhile must not be overwritten with "active".
            (database, key, channel) => database.StringSetAsync(key, channel?.ToString("D") ?? Inactive, CacheTtl, When.NotExists),
            cancellationToken);

    private static async Task<ReadThroughCache.Cached<Guid?>> ReadCacheAsync(IDatabaseAsync database, RedisKey key)
    {
        var cached = (string?)await database.StringGetAsync(key);
        return cached == Inactive ? new(true, null)
            : Guid.TryParse(cached, out var channel) ? new(true, channel)
            : ReadThroughCache.Cached<Guid?>.Miss;
    }

    public async Task InvalidateAsync(Guid keyId, CancellationToken cancellationToken = default)
    {
        // Write "inactive" rather than delete: a validator that read the old row just before the commit cannot
        // refill an "active" entry over it (SET only on a missing key), and keys never come back once revoked.
        await redis.GetDatabase().StringSetAsync(AccessKeys.OverlayKey(keyId), Inactive, CacheTtl)
            .WaitAsync(ReadThroughCache.RedisTimeout, cancellationToken);
    }
}
