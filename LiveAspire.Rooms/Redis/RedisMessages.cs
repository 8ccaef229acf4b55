using System.Runtime.CompilerServices;
using System.Text.Json;
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

    /// <summary>
    /// Subscribes (as <see cref="SubscribeAsync"/>) and yields each message read as camelCase JSON of type
    /// <typeparamref name="T"/>, until <paramref name="cancellationToken"/> is cancelled (then it ends, without
    /// throwing). A message that is not such JSON is skipped and its error passed to <paramref name="unreadable"/>.
    /// </summary>
    public static async IAsyncEnumerable<T> ReadJsonAsync<T>(IConnectionMultiplexer redis, string channel, Action<string> unreadable,
        [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class
    {
        var texts = await SubscribeAsync(redis, channel);
        while (await WaitToReadAsync(texts, cancellationToken))
        {
            while (texts.TryRead(out var text))
            {
                if (Parse<T>(text, unreadable) is { } message)
                {
                    yield return message;
                }
            }
        }
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static T? Parse<T>(string text, Action<string> unreadable) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(text, Json);
        }
        catch (JsonException e)
        {
            unreadable(e.Message);
            return null;
        }
    }

    private static async Task<bool> WaitToReadAsync(ChannelReader<string> reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.WaitToReadAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
