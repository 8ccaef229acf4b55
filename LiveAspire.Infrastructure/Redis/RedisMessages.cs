using System.Threading.Channels;

namespace LiveAspire.Infrastructure.Redis;

/// <summary>
/// A Redis pub/sub channel as a queue of message texts. The subscription handler only enqueues (StackExchange.Redis
/// runs handlers one at a time, so work there would hold up every other channel); the caller reads at its own pace.
/// The client library restores the subscription itself after Redis reconnects.
/// </summary>
public static class RedisMessages
{
    public static async Task<ChannelReader<string>> SubscribeAsync(IRedisConnection redis, string channel)
    {
        var queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
        var multiplexer = await redis.GetMultiplexerAsync();
        await multiplexer.GetSubscriber().SubscribeAsync(channel, (_, value) => queue.Writer.TryWrite(value!));
        return queue.Reader;
    }
}
