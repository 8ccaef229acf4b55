using StackExchange.Redis;

namespace LiveAspire.Infrastructure.Redis;

/// <summary>StackExchange.Redis 1.2.6 behind <see cref="IRedisConnection"/>.</summary>
public sealed class RedisConnection(ConfigurationOptions options) : IRedisConnection, IAsyncDisposable
{
    // Lazy so construction never blocks; the first caller (usually the health check) starts the connect.
    private readonly Lazy<Task<ConnectionMultiplexer>> _multiplexer = new(
        () => ConnectionMultiplexer.ConnectAsync(options), LazyThreadSafetyMode.ExecutionAndPublication);

    public async Task<IConnectionMultiplexer> GetMultiplexerAsync() => await _multiplexer.Value;

    public async Task<TimeSpan> PingAsync()
    {
        var multiplexer = await _multiplexer.Value;
        return await multiplexer.GetDatabase().PingAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_multiplexer.IsValueCreated)
        {
            var multiplexer = await _multiplexer.Value;
            await multiplexer.CloseAsync(allowCommandsToComplete: false);
            multiplexer.Dispose();
        }
    }
}
