namespace LiveAspire.Access;

/// <summary>
/// Whether a channel admits guests (anonymous viewers), for validating guest tokens: Redis
/// <c>liveaspire:guest-channel:{channelId}</c> (TTL <see cref="GuestChannelStore.CacheTtl"/>) first, PostgreSQL
/// <c>channels.allow_anonymous</c> on a miss. Not the system of record: Api changes the column, then calls
/// <see cref="SetAsync"/>.
/// </summary>
public interface IGuestChannelStore
{
    /// <summary>True while the channel exists and allows anonymous viewers.</summary>
    Task<bool> AllowsGuestsAsync(Guid channelId, CancellationToken cancellationToken = default);

    /// <summary>Writes the channel's new answer after a change committed; throws while Redis is unreachable.</summary>
    Task SetAsync(Guid channelId, bool allowsGuests, CancellationToken cancellationToken = default);
}

/// <summary><see cref="IGuestChannelStore"/> over a Redis string filled from PostgreSQL (<see cref="ReadThroughCache"/>).</summary>
/// <remarks>
/// Cached because guests arrive in crowds: a channel going live can bring thousands of anonymous connections within
/// seconds, each validated on connect, and one row answers them all. The TTL bounds how long a lost
/// <see cref="SetAsync"/> lets new guest connections in after the performer closed the channel to guests; the open
/// ones are closed by Realtime's periodic re-check, which reads PostgreSQL.
/// </remarks>
public sealed class GuestChannelStore(NpgsqlDataSource dataSource, IConnectionMultiplexer redis, ReadThroughCache cache) : IGuestChannelStore
{
    /// <summary>How long a cached answer lives.</summary>
    public static readonly TimeSpan CacheTtl = TimeSpan.FromSeconds(30);

    private const string Allowed = "1";
    private const string NotAllowed = "0";

    public Task<bool> AllowsGuestsAsync(Guid channelId, CancellationToken cancellationToken = default) =>
        cache.GetAsync("guest channel", AccessKeys.GuestChannel(channelId), ReadCacheAsync,
            ct => AccessQueries.ReadChannelAllowsGuestsAsync(dataSource, channelId, ct),
            // Only on a missing key: the answer Api wrote after a change must not be overwritten with an older read.
            (database, key, allowed) => database.StringSetAsync(key, allowed ? Allowed : NotAllowed, CacheTtl, When.NotExists),
            cancellationToken);

    private static async Task<ReadThroughCache.Cached<bool>> ReadCacheAsync(IDatabaseAsync database, RedisKey key)
    {
        var cached = (string?)await database.StringGetAsync(key);
        return cached switch
        {
            Allowed => new(true, true),
            NotAllowed => new(true, false),
            _ => ReadThroughCache.Cached<bool>.Miss,
        };
    }

    public async Task SetAsync(Guid channelId, bool allowsGuests, CancellationToken cancellationToken = default)
    {
        // Written, not deleted: a validator that read the old row just before the commit cannot refill the old answer
        // over it (its write is SET only on a missing key).
        await redis.GetDatabase().StringSetAsync(AccessKeys.GuestChannel(channelId), allowsGuests ? Allowed : NotAllowed, CacheTtl)
            .WaitAsync(ReadThroughCache.RedisTimeout, cancellationToken);
    }
}
