using LiveAspire.Rooms.Redis;
using Microsoft.Extensions.Logging;
using LiveAspire.Postgres;

namespace LiveAspire.Access;

/// <summary>
/// The one way the access lookups use Redis: read the cached answer, on a miss read PostgreSQL and fill the cache.
/// Redis is never the system of record here and never a reason to fail: while it is unreachable, or slower than
/// <see cref="RedisTimeout"/>, every read goes to PostgreSQL (slower, never wrong). Each store brings how its answer
/// is kept in Redis (a hash, a string, a versioned write) through the two delegates.
/// </summary>
public sealed partial class ReadThroughCache(IConnectionMultiplexer redis, ILogger<ReadThroughCache> logger, NpgsqlDataSource? livedb = null)
{
    /// <summary>Tighter than the client's own bound (RedisClientDefaults): a cache slower than this is treated as down for
    /// this call, and for a moment after it for every call on the request path (<see cref="RedisRequests"/>).</summary>
    public static readonly TimeSpan RedisTimeout = TimeSpan.FromSeconds(1);

    /// <summary>A cache read's outcome: <paramref name="Found"/> false is a miss.</summary>
    public readonly record struct Cached<T>(bool Found, T Value)
    {
        public static readonly Cached<T> Miss = default;
    }

    /// <summary>
    /// Returns the answer for <paramref name="key"/>: from <paramref name="readCache"/> when it finds one, else from
    /// <paramref name="readDatabase"/> (tried again on a fresh connection after a transient failure: the pool's connections a restart broke), which is then written back with <paramref name="fillCache"/> (skipped when
    /// Redis failed on the read: it is down or slow, so do not wait for it twice). Throws only what the database throws.
    /// </summary>
    /// <param name="cache">The lookup's name in the log line written when Redis fails (e.g. <c>session</c>).</param>
    public async Task<T> GetAsync<T>(string cache, RedisKey key,
        Func<IDatabaseAsync, RedisKey, Task<Cached<T>>> readCache,
        Func<CancellationToken, Task<T>> readDatabase,
        Func<IDatabaseAsync, RedisKey, T, Task> fillCache,
        CancellationToken cancellationToken)
    {
        IDatabaseAsync? database = null;
        try
        {
            database = redis.GetDatabase();
            var cached = await RedisRequests.RunAsync(redis, () => readCache(database, key), RedisTimeout).WaitAsync(cancellationToken);
            if (cached.Found)
            {
                return cached.Value;
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogCacheUnavailable(logger, cache, ex.GetType().Name);
            database = null;
        }

        // A read is safe to repeat: after a restart broke the pool's connections, it is tried once more on a fresh one.
        var value = livedb is null
            ? await readDatabase(cancellationToken)
            : await DatabaseFaults.OnceMoreOnFreshConnectionAsync(livedb, readDatabase, ex => LogDatabaseRetry(logger, cache, ex.Message), cancellationToken);
        if (database is not null)
        {
            try
            {
                await RedisRequests.RunAsync(redis, () => fillCache(database, key, value), RedisTimeout).WaitAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogCacheUnavailable(logger, cache, ex.GetType().Name);
            }
        }
        return value;
    }

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "Reading the {Cache} from PostgreSQL failed ({Reason}); trying once more")]
    private static partial void LogDatabaseRetry(ILogger logger, string cache, string reason);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "The {Cache} cache is unavailable ({Reason}); reading PostgreSQL")]
    private static partial void LogCacheUnavailable(ILogger logger, string cache, string reason);
}
