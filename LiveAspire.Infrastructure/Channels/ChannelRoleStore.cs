using LiveAspire.Infrastructure.Redis;
using Microsoft.Extensions.Logging;
using Npgsql;
using StackExchange.Redis;

namespace LiveAspire.Infrastructure.Channels;

/// <summary>
/// <see cref="IChannelRoleStore"/> over a Redis string (the role flags) filled from PostgreSQL. While Redis is
/// unreachable or slow every read goes to PostgreSQL: slower, never failing because of the cache.
/// </summary>
/// <remarks>
/// A reader that loaded the old row just before a change committed can refill the cache just after the notifier
/// deleted it; that stale entry lives at most <see cref="CacheTtl"/>. Short on purpose: roles are not revocations
/// (which use versioned write-through, SessionCacheScript), and the publish makes Realtime re-read at once anyway.
/// </remarks>
public sealed partial class ChannelRoleStore(NpgsqlDataSource dataSource, IConnectionMultiplexer redis, ILogger<ChannelRoleStore> logger)
    : IChannelRoleStore
{
    /// <summary>Longest time a cached entry lives; shorter when a subscription in it ends sooner.</summary>
    public static readonly TimeSpan CacheTtl = TimeSpan.FromSeconds(60);

    // Tighter than the client's own bound (RedisClientDefaults): a cache slower than this is treated as down for this call.
    private static readonly TimeSpan s_redisTimeout = TimeSpan.FromSeconds(1);

    // Subscriptions count while now is inside their period; seconds_left lets the cache entry die with the period.
    private const string Query = """
        SELECT EXISTS (SELECT 1 FROM channels WHERE id = $1 AND owner_id = $2),
               EXISTS (SELECT 1 FROM channel_moderators WHERE channel_id = $1 AND user_id = $2),
               EXISTS (SELECT 1 FROM follows WHERE channel_id = $1 AND user_id = $2),
               (SELECT ceil(extract(epoch FROM max(period_end) - now()))::bigint FROM subscriptions
                 WHERE channel_id = $1 AND user_id = $2 AND period_start <= now() AND period_end > now())
        """;

    public async Task<ChannelRoles> GetAsync(Guid channelId, Guid userId, CancellationToken cancellationToken = default)
    {
        var key = RedisKeys.ChannelRoles(channelId, userId);
        IDatabaseAsync? database = null;
        try
        {
            database = redis.GetDatabase();
            var cached = await database.StringGetAsync(key).WaitAsync(s_redisTimeout, cancellationToken);
            // HasValue first: StackExchange.Redis (2.13 too) parses a missing value as 0 (no roles), which would hide the miss.
            if (cached.HasValue && cached.TryParse(out int flags))
            {
                return ChannelRoles.FromFlags(flags);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogCacheUnavailable(logger, ex.GetType().Name);
            database = null;
        }

        var (roles, ttl) = await ReadDatabaseAsync(channelId, userId, cancellationToken);
        if (database is not null && ttl > TimeSpan.Zero)
        {
            try
            {
                await database.StringSetAsync(key, roles.ToFlags(), ttl).WaitAsync(s_redisTimeout, cancellationToken);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogCacheUnavailable(logger, ex.GetType().Name);
            }
        }
        return roles;
    }

    private async Task<(ChannelRoles Roles, TimeSpan Ttl)> ReadDatabaseAsync(Guid channelId, Guid userId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Query);
        command.Parameters.Add(new NpgsqlParameter { Value = channelId });
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var secondsLeft = reader.IsDBNull(3) ? (long?)null : reader.GetInt64(3);
        var roles = new ChannelRoles(reader.GetBoolean(0), reader.GetBoolean(1), secondsLeft is not null, reader.GetBoolean(2));
        var ttl = secondsLeft is { } s && s < CacheTtl.TotalSeconds ? TimeSpan.FromSeconds(s) : CacheTtl;
        return (roles, ttl);
    }

    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Channel role cache unavailable ({Reason}); reading PostgreSQL")]
    private static partial void LogCacheUnavailable(ILogger logger, string reason);
}
