using StackExchange.Redis;

namespace LiveAspire.Infrastructure.Redis;

/// <summary>
/// The process's one Redis connection. It is established in the background and re-established by the client
/// after Redis restarts; callers must expect <see cref="RedisConnectionException"/> while Redis is unreachable
/// and must not buffer work waiting for it. Use async calls only (sync calls time out under load on 2 cores).
/// </summary>
public interface IRedisConnection
{
    /// <summary>The shared multiplexer, once the first connection attempt has finished (whether or not it succeeded).</summary>
    Task<IConnectionMultiplexer> GetMultiplexerAsync();

    /// <summary>Round trip of a Redis PING; throws while Redis is unreachable.</summary>
    Task<TimeSpan> PingAsync();
}
