using LiveAspire.Infrastructure.Redis;
using Microsoft.Extensions.Logging;
using Npgsql;
using StackExchange.Redis;

namespace LiveAspire.Infrastructure.Sessions;

/// <summary>
/// <see cref="ISessionStateStore"/> over the Redis hash <c>liveaspire:session:{userId}</c> (TTL
/// <see cref="CacheTtl"/>), filled from PostgreSQL <c>users</c> on a miss. While Redis is unreachable every read
/// goes to PostgreSQL: slower, never wrong, never failing because of the cache.
/// </summary>
public sealed partial class SessionStateStore(NpgsqlDataSource dataSource, IConnectionMultiplexer redis, ILogger<SessionStateStore> logger)
    : ISessionStateStore
{
    /// <summary>How long a cached entry lives; bounds how long a missed update could be served.</summary>
    public static readonly TimeSpan CacheTtl = TimeSpan.FromMinutes(10);

    // Tighter than the client's own bound (RedisClientDefaults): a cache slower than this is treated as down for this call.
    private static readonly TimeSpan s_redisTimeout = TimeSpan.FromSeconds(1);

    public async Task<SessionState?> GetAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var key = RedisKeys.Session(userId);
        IDatabaseAsync? database = null;
        try
        {
            database = redis.GetDatabase();
            var fields = await database.HashGetAsync(key, ["sv", "banned"]).WaitAsync(s_redisTimeout, cancellationToken);
            // HasValue first: StackExchange.Redis (2.13 too: "in redis-land 0 approx. equal null") parses a missing
            // field as 0, which would turn every cache miss into "version 0, not banned" and never reach PostgreSQL
            // (unknown and banned users accepted).
            if (fields[0].HasValue && fields[1].HasValue && fields[0].TryParse(out int sv) && fields[1].TryParse(out int banned))
            {
                return new SessionState(sv, banned != 0);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogCacheUnavailable(logger, ex.GetType().Name);
            database = null;
        }

        var state = await ReadDatabaseAsync(userId, cancellationToken);
        if (state is not null && database is not null)
        {
            try
            {
                await SessionCacheScript.WriteAsync(database, key, state, CacheTtl).WaitAsync(s_redisTimeout, cancellationToken);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogCacheUnavailable(logger, ex.GetType().Name);
            }
        }
        return state;
    }

    /// <summary>
    /// Writes <paramref name="state"/> (just committed to PostgreSQL) into the cache unless it already holds a higher
    /// session version. Throws while Redis is unreachable; the caller decides whether that matters.
    /// </summary>
    public async Task WriteAsync(Guid userId, SessionState state, CancellationToken cancellationToken = default)
    {
        // Bounded by the client's pinned timeouts (RedisClientDefaults): throws at once while Redis is down.
        cancellationToken.ThrowIfCancellationRequested();
        await SessionCacheScript.WriteAsync(redis.GetDatabase(), RedisKeys.Session(userId), state, CacheTtl);
    }

    private async Task<SessionState?> ReadDatabaseAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT session_version, banned_at IS NOT NULL FROM users WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new SessionState(reader.GetInt32(0), reader.GetBoolean(1)) : null;
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Session cache unavailable ({Reason}); reading PostgreSQL")]
    private static partial void LogCacheUnavailable(ILogger logger, string reason);
}
