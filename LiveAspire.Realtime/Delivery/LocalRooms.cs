using System.Collections.Concurrent;
using System.Threading.Channels;
using LiveAspire.Infrastructure.Rooms;
using StackExchange.Redis;

namespace LiveAspire.Realtime.Delivery;

/// <summary>
/// The rooms that have members on this replica, and this replica's Redis subscriptions: a room's channel is
/// subscribed while it has at least one local member, and only then (DESIGN.md section 4). The subscription
/// handler only enqueues (StackExchange.Redis runs handlers one at a time); <see cref="RoomDispatcher"/> delivers.
/// </summary>
public sealed class LocalRooms(IConnectionMultiplexer redis)
{
    private readonly ConcurrentDictionary<string, LocalRoom> _rooms = new(StringComparer.Ordinal);
    private readonly Channel<(string Room, string Json)> _incoming = Channel.CreateUnbounded<(string, string)>(
        new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<(string Room, string Json)> Incoming => _incoming.Reader;

    public int Count => _rooms.Count;

    /// <summary>Adds a member; returns once this replica is subscribed to the room's channel (so nothing published
    /// from now on can be missed). Throws <see cref="RoomStoreUnavailableException"/> when Redis is down.</summary>
    public async Task AddAsync(RoomMembership membership)
    {
        while (true)
        {
            var candidate = new LocalRoom();
            var room = _rooms.GetOrAdd(membership.Room, candidate);
            if (room == candidate)
            {
                _ = SubscribeAsync(membership.Room, room);
            }
            lock (room.Lock)
            {
                if (room.Closed)
                {
                    continue; // its last member just left; make a fresh one
                }
                room.Members.Add(membership);
                room.Snapshot = null;
            }
            try
            {
                await room.Subscribed.Task;
                return;
            }
            catch
            {
                Remove(membership);
                throw;
            }
        }
    }

    public void Remove(RoomMembership membership)
    {
        membership.Close();
        if (!_rooms.TryGetValue(membership.Room, out var room))
        {
            return;
        }
        lock (room.Lock)
        {
            if (!room.Members.Remove(membership) || room.Members.Count > 0)
            {
                room.Snapshot = null;
                return;
            }
            room.Closed = true;
        }
        _rooms.TryRemove(KeyValuePair.Create(membership.Room, room));
        _ = UnsubscribeAsync(membership.Room, room);
    }

    /// <summary>The room's current members (an array cached until membership changes: the hot path allocates nothing).</summary>
    public RoomMembership[] MembersOf(string room)
    {
        if (!_rooms.TryGetValue(room, out var local))
        {
            return [];
        }
        lock (local.Lock)
        {
            return local.Snapshot ??= [.. local.Members];
        }
    }

    /// <summary>How many local members the room has now.</summary>
    public int MemberCount(string room)
    {
        if (!_rooms.TryGetValue(room, out var local))
        {
            return 0;
        }
        lock (local.Lock)
        {
            return local.Members.Count;
        }
    }

    /// <summary>The rooms that have local members now.</summary>
    public IEnumerable<string> RoomNames => _rooms.Keys;

    public IEnumerable<RoomMembership> AllMembers() => _rooms.Keys.SelectMany(MembersOf);

    private async Task SubscribeAsync(string room, LocalRoom local)
    {
        local.Handler = (channel, value) => _incoming.Writer.TryWrite((room, value!));
        try
        {
            // While Redis is down this throws at once (BacklogPolicy.FailFast); a join needs the server-side
            // subscription now, not the one the client would make on reconnect, so the join fails (redis_unavailable).
            await redis.GetSubscriber().SubscribeAsync(SubscriptionChannel(room), local.Handler);
            local.Subscribed.TrySetResult();
        }
        catch (Exception e)
        {
            lock (local.Lock)
            {
                local.Closed = true;
            }
            _rooms.TryRemove(KeyValuePair.Create(room, local));
            // The client recorded the handler before SUBSCRIBE failed and would subscribe it on reconnect: drop it,
            // or this replica would stay subscribed to a room it no longer holds.
            _ = RemoveHandlerAsync(room, local.Handler);
            local.Subscribed.TrySetException(new RoomStoreUnavailableException("Redis subscribe failed.", e));
        }
    }

    private async Task UnsubscribeAsync(string room, LocalRoom local)
    {
        try
        {
            await local.Subscribed.Task;
        }
        catch (Exception)
        {
            return; // never subscribed: SubscribeAsync already dropped the handler
        }
        await RemoveHandlerAsync(room, local.Handler);
    }

    // Removes only this LocalRoom's handler: if the room was re-created meanwhile, its own handler keeps the channel
    // subscribed (the client unsubscribes from Redis only when no handler is left).
    private async Task RemoveHandlerAsync(string room, Action<RedisChannel, RedisValue>? handler)
    {
        try
        {
            await redis.GetSubscriber().UnsubscribeAsync(SubscriptionChannel(room), handler);
        }
        catch (Exception)
        {
            // Redis is down: the client forgot the handler before it tried UNSUBSCRIBE, and the server-side
            // subscription is gone with the connection; it is not restored for a channel without handlers.
        }
    }

    private static RedisChannel SubscriptionChannel(string room) => RedisChannel.Literal(RoomKeys.Channel(room));

    private sealed class LocalRoom
    {
        public readonly Lock Lock = new();
        public readonly HashSet<RoomMembership> Members = [];
        public readonly TaskCompletionSource Subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public RoomMembership[]? Snapshot;
        public bool Closed;

        /// <summary>This room object's own handler: unsubscribing it never removes a newer room's handler.</summary>
        public Action<RedisChannel, RedisValue>? Handler;
    }
}
