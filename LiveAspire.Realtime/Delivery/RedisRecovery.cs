using StackExchange.Redis;

namespace LiveAspire.Realtime.Delivery;

/// <summary>
/// When the connection to Redis comes back, pub/sub messages sent meanwhile are gone; the client library
/// re-subscribes, and this makes every live member catch up from the hot window (or get a <c>room.gap</c> if
/// history was lost), so a Redis restart never leaves a silent gap.
/// </summary>
public sealed partial class RedisRecovery(IConnectionMultiplexer redis, RoomSync sync, ILogger<RedisRecovery> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionRestored += OnRestored;
        return Task.CompletedTask;
    }

    private void OnRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType != ConnectionType.Subscription)
        {
            return;
        }
        LogRestored(logger);
        sync.ResyncAll();
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionRestored -= OnRestored;
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Redis subscription connection restored; catching up every room")]
    private static partial void LogRestored(ILogger logger);
}
