using LiveAspire.Infrastructure.Redis;
using Microsoft.Extensions.Logging;
using Npgsql;
using StackExchange.Redis;

namespace LiveAspire.Infrastructure.Sessions;

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

public sealed partial class OverlayKeyStore(NpgsqlDataSource dataSource, IConnectionMultiplexer redis, ILogger<OverlayKeyStore> logger) : IOverlayKeyStore
{
    /// <summary>How long a cached answer lives: bounds how long a missed invalidation keeps a revoked key's tokens working.</summary>
    public static readonly TimeSpan CacheTtl = TimeSpan.FromSeconds(30);

    private const string Inactive = "-";
    // Tighter than the client's own bound (RedisClientDefaults): a cache slower than this is treated as down for this call.
    private static readonly TimeSpan s_redisTimeout = TimeSpan.FromSeconds(1);

    public async Task<Guid?> GetActiveChannelAsync(Guid keyId, CancellationToken cancellationToken = default)
    {
        var key = RedisKeys.OverlayKey(keyId);
        IDatabaseAsync? database = null;
        try
        {
            database = redis.GetDatabase();
            var cached = (string?)await database.StringGetAsync(key).WaitAsync(s_redisTimeout, cancellationToken);
            if (cached == Inactive)
            {
                return null;
            }
            if (Guid.TryParse(cached, out var cachedChannel))
            {
                return cachedChannel;
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogCacheUnavailable(logger, ex.GetType().Name);
            database = null;
        }

        await using var command = dataSource.CreateCommand("SELECT channel_id FROM overlay_keys WHERE id = $1 AND revoked_at IS NULL");
        command.Parameters.Add(new NpgsqlParameter { Value = keyId });
        var channel = await command.ExecuteScalarAsync(cancellationToken) as Guid?;
        if (database is not null)
        {
            try
            {
                await database.StringSetAsync(key, channel?.ToString("D") ?? Inactive, CacheTtl, When.NotExists).WaitAsync(s_redisTimeout, cancellationToken);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogCacheUnavailable(logger, ex.GetType().Name);
            }
        }
        return channel;
    }

    public async Task InvalidateAsync(Guid keyId, CancellationToken cancellationToken = default)
    {
        var database = redis.GetDatabase();
        // Write "inactive" rather than delete: a validator that read the old row just before the commit cannot
        // refill an "active" entry over it (SET only on a missing key), and keys never come back once revoked.
        await database.StringSetAsync(RedisKeys.OverlayKey(keyId), Inactive, CacheTtl).WaitAsync(s_redisTimeout, cancellationToken);
    }

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "Overlay key cache unavailable ({Reason}); reading PostgreSQL")]
    private static partial void LogCacheUnavailable(ILogger logger, string reason);
}
