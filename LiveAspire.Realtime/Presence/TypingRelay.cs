using System.Text.Json;
using LiveAspire.Realtime.Delivery;
using LiveAspire.Rooms;
using LiveAspire.Rooms.Redis;
using StackExchange.Redis;

namespace LiveAspire.Realtime.Presence;

/// <summary>
/// Ephemeral typing indicators for <c>dm:</c> rooms. They are not numbered or stored (a typing indicator is worthless
/// a few seconds later, and must not take a seq, fill the hot window or be replayed on resume): the sending replica
/// publishes a small JSON message on one Redis pub/sub channel (<see cref="RedisKeys.TypingChannel"/>) that every
/// replica subscribes to at start, and each replica hands an envelope with <c>seq</c> 0 and an empty epoch straight to
/// the send queues of its local members of that room. Lost while Redis reconnects, which is acceptable for a hint.
/// StackExchange.Redis runs the subscription's handler on the thread pool in no set order; one connection's
/// indicators are at least <c>Presence:TypingMinIntervalMilliseconds</c> (300 ms) apart, far more than two handlers
/// overtake each other by.
/// </summary>
public sealed partial class TypingRelay(
    IConnectionMultiplexer redis,
    LocalRooms rooms,
    IRoomReadAccess access,
    TimeProvider time,
    IOptions<PresenceOptions> options,
    ILogger<TypingRelay> logger) : BackgroundService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The hub's <c>Typing</c>: tells the other member of a <c>dm:</c> room that this user is typing (<c>data</c>:
    /// optional <c>{typing: false}</c> when stopped; anything else in it, such as a claimed sender, is ignored).</summary>
    public async Task TypingAsync(LiveConnection connection, string room, JsonElement? data, CancellationToken cancellationToken)
    {
        if (!RoomName.TryParse(room, out var name) || name.Kind != RoomKind.DirectMessage)
        {
            throw new HubException($"{HubErrorCodes.RoomInvalid}: typing indicators go to dm: rooms");
        }
        if (connection.UserId is not { } user || !await access.CanReadAsync(connection, name, cancellationToken))
        {
            throw new HubException($"{HubErrorCodes.RoomForbidden}: only a member of the conversation may type in it");
        }
        var typing = !(data is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty("typing", out var t) && t.ValueKind == JsonValueKind.False);
        try
        {
            await SendAsync(connection, user, name, typing);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or RoomStoreUnavailableException)
        {
            throw new HubException($"{HubErrorCodes.RedisUnavailable}: retry");
        }
    }

    /// <summary>Sends the indicator of <paramref name="connection"/>'s user (the token's identity, never the payload's)
    /// to the room's other connections. Returns false when dropped by the rate limit.</summary>
    private async Task<bool> SendAsync(LiveConnection connection, Guid userId, RoomName room, bool typing)
    {
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref connection.LastTypingTimestamp);
        if (last != 0 && time.GetElapsedTime(last, now).TotalMilliseconds < options.Value.TypingMinIntervalMilliseconds)
        {
            return false;
        }
        if (Interlocked.CompareExchange(ref connection.LastTypingTimestamp, now, last) != last)
        {
            return false; // a concurrent call from the same connection won
        }
        var message = new TypingMessage(room.ToString(), userId, typing, Guid.CreateVersion7().ToString("N"),
            time.GetUtcNow().ToUnixTimeMilliseconds(), connection.ConnectionId);
        // While Redis is down this throws at once (BacklogPolicy.FailFast), while it stalls after the request path's
        // bound (a TimeoutException): the hub answers redis_unavailable either way.
        await RedisRequests.RunAsync(redis, () => redis.GetSubscriber().PublishAsync(Channel, JsonSerializer.Serialize(message, Json)));
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Subscribe once, never again: the client records the handler even when Redis is down at start, and
        // subscribes it on every (re)connect; a retry would add a second handler and deliver every indicator twice.
        try
        {
            await redis.GetSubscriber().SubscribeAsync(Channel, (_, value) => Deliver(value!));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogSubscribeDeferred(logger, e.Message);
        }
    }

    private static readonly RedisChannel Channel = RedisChannel.Literal(RedisKeys.TypingChannel);

    private void Deliver(string json)
    {
        TypingMessage? message;
        try
        {
            message = JsonSerializer.Deserialize<TypingMessage>(json, Json);
        }
        catch (JsonException)
        {
            return;
        }
        if (message is null)
        {
            return;
        }
        var members = rooms.MembersOf(message.Room);
        if (members.Length == 0)
        {
            return;
        }
        var data = JsonSerializer.SerializeToElement(new DmTyping(message.UserId, message.Typing), Json);
        var envelope = new EventEnvelope(message.Id, EventTypes.DmTyping, message.Room, LiveHubContract.EphemeralSeq, "", message.Ts, data);
        foreach (var member in members)
        {
            if (!member.IsClosed && member.Connection.ConnectionId != message.From)
            {
                member.Connection.SendQueue.Enqueue(envelope);
            }
        }
    }

    private sealed record TypingMessage(string Room, Guid UserId, bool Typing, string Id, long Ts, string From);

    [LoggerMessage(EventId = 3303, Level = LogLevel.Warning, Message = "Redis unavailable at start ({Error}): typing indicators flow once it connects")]
    private static partial void LogSubscribeDeferred(ILogger logger, string error);
}
