using System.Collections.Concurrent;
using System.Threading.Channels;
using LiveAspire.Infrastructure.Redis;
using LiveAspire.Infrastructure.Rooms;
using StackExchange.Redis;

namespace LiveAspire.Realtime.Delivery;

/// <summary>
/// The rooms that have members on this replica, and this replica's Redis subscriptions: a room's channel is
/// subscribed while it has at least one local member, and only then (DESIGN.md section 4). The subscription
/// handler only enqueues (StackExchange.Redis runs handlers one at a time); <see cref="RoomDispatcher"/> delivers.
/// </summary>
public sealed class LocalRooms(IRedisConnection redis)
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
        try
        {
            var multiplexer = await redis.GetMultiplexerAsync();
            if (!multiplexer.IsConnected)
            {
                throw new RoomStoreUnavailableException("Redis is not connected.");
            }
            local.Handler = (channel, value) => _incoming.Writer.TryWrite((room, value!));
            await multiplexer.GetSubscriber().SubscribeAsync(RoomKeys.Channel(room), local.Handler);
            local.Subscribed.TrySetResult();
        }
        catch (Exception e)
        {
            lock (local.Lock)
            {
                local.Closed = true;
            }
            _rooms.TryRemove(KeyValuePair.Create(room, local));
            local.Subscribed.TrySetException(e is RoomStoreUnavailableException ? e : new RoomStoreUnavailableException("Redis subscribe failed.", e));
        }
    }

    private async Task UnsubscribeAsync(string room, LocalRoom local)
    {
        try
        {
            await local.Subscribed.Task;
            // Removes only this LocalRoom's handler: if the room was re-created meanwhile, its own handler keeps the
            // channel subscribed (the client library unsubscribes from Redis only when no handler is left).
            var multiplexer = await redis.GetMultiplexerAsync();
            await multiplexer.GetSubscriber().UnsubscribeAsync(RoomKeys.Channel(room), local.Handler);
        }
        catch (Exception)
        {
            // Redis is down: the subscription is gone with the connection anyway, and it is not restored for a
            // channel that no longer has a handler.
        }
    }

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
