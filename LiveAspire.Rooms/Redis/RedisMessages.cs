using System.Threading.Channels;

namespace LiveAspire.Rooms.Redis;

/// <summary>
/// A Redis pub/sub channel as a queue of message texts, for notices whose order does not matter (a revocation, a
/// role change: each makes its reader look at the current state). The handler only enqueues; the caller reads at its
/// own pace. StackExchange.Redis runs handlers on the thread pool, so two notices close together may be queued in
/// either order; a stream whose order matters uses a message queue subscription instead (LocalRooms).
/// </summary>
public static class RedisMessages
{
    /// <summary>
    /// Subscribes for the life of the process. Never throws because Redis is down: the client records the handler
    /// before it sends SUBSCRIBE, and subscribes every recorded handler again whenever it (re)connects, so a process
    /// that starts during an outage receives messages once Redis is back. Do not retry a failed call: each retry
    /// would add one more handler, and every message would then be queued once per handler.
    /// </summary>
    public static async Task<ChannelReader<string>> SubscribeAsync(IConnectionMultiplexer redis, string channel)
    {
        var queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
        try
        {
            await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(channel), (_, value) => queue.Writer.TryWrite(value!));
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
        {
            // Recorded; sent when the connection comes back (see above).
        }
        return queue.Reader;
    }
}
