using System.Collections.Concurrent;
using System.Threading.Channels;
using LiveAspire.Rooms;
using LiveAspire.Rooms.Redis;
using StackExchange.Redis;

namespace LiveAspire.Realtime.Delivery;

/// <summary>
/// The rooms that have members on this replica, and this replica's Redis subscriptions: a room's channel is
/// subscribed while it has at least one local member, and only then (docs/architecture.md section 3).
/// <para>Each room is subscribed with its own message queue, which StackExchange.Redis fills in the order Redis sent
/// the messages and drains one at a time: a handler subscription would be run on the thread pool, in no particular
/// order, and a room whose events overtake each other looks like a room with a gap to every member. The queue only
/// enqueues; <see cref="RoomDispatcher"/> delivers.</para>
/// <para>A room's subscribe waits for the previous subscription of the same room to be taken down. The client keeps
/// one subscription object per channel: a subscribe that overlapped the last member's unsubscribe would join the
/// object being removed and be dropped with it, leaving the room silently without events. It waits within the request
/// path's bound, as the subscribe does: a join answers <c>redis_unavailable</c> rather than wait on a frozen Redis.</para>
/// </summary>
public sealed class LocalRooms(IConnectionMultiplexer redis)
{
    /// <summary>The longest a subscribe waits for the previous unsubscribe of its room: the request path's bound
    /// (<see cref="RedisRequests"/>), as for the subscribe itself. An unsubscribe Redis has not answered by then fails
    /// the join (<c>redis_unavailable</c>) rather than holding it until the client's own timeout.</summary>
    private static readonly TimeSpan PreviousBound = TimeSpan.FromMilliseconds(RedisClientDefaults.RequestTimeoutMs);

    private readonly ConcurrentDictionary<string, LocalRoom> _rooms = new(StringComparer.Ordinal);
    private readonly Channel<(string Room, string Json)> _incoming = Channel.CreateUnbounded<(string, string)>(
        new UnboundedChannelOptions { SingleReader = true });

    // Guards closing a room (out of _rooms, its unsubscribe recorded here) against a new subscribe of the same name.
    private readonly Lock _lifecycle = new();
    private readonly Dictionary<string, Task> _unsubscribing = new(StringComparer.Ordinal);

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
            bool failed;
            lock (room.Lock)
            {
                if (room.Closed && !room.Failed)
                {
                    continue; // its last member just left; make a fresh one
                }
                failed = room.Failed;
                if (!failed)
                {
                    room.Members.Add(membership);
                    room.Snapshot = null;
                }
            }
            if (failed)
            {
                // Its subscribe failed: that answers this join too. Asking again at once would spin (up to seconds of
                // a core, while the join waits): while Redis does not answer, a subscribe fails without being sent
                // (RedisRequests) until the process's next trial call, which the Redis probe may take first.
                membership.Close();
                await room.Subscribed.Task; // throws RoomStoreUnavailableException
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
        Close(membership.Room, room, () => UnsubscribeAsync(room));
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
        Task? previous;
        var sent = false;
        lock (_lifecycle)
        {
            _unsubscribing.TryGetValue(room, out previous);
        }
        try
        {
            if (previous is not null)
            {
                // Never throws, but waits for Redis: within the request path's bound, as the subscribe itself.
                await previous.WaitAsync(PreviousBound);
            }
            // While Redis is down this throws at once (BacklogPolicy.FailFast), while it stalls after the request
            // path's bound (RedisRequests); a join needs the server-side subscription now, not the one the client
            // would make on reconnect, so the join fails (redis_unavailable).
            var queue = await RedisRequests.RunAsync(redis, () =>
            {
                sent = true;
                return redis.GetSubscriber().SubscribeAsync(SubscriptionChannel(room));
            });
            queue.OnMessage(message => _incoming.Writer.TryWrite((room, message.Message!)));
            local.Queue = queue;
            local.Subscribed.TrySetResult();
        }
        catch (Exception e)
        {
            lock (local.Lock)
            {
                local.Closed = true;
                local.Failed = true;
            }
            // The client registered the queue before SUBSCRIBE failed and would subscribe it on reconnect, but the
            // failed call never handed it over: take the channel's whole registration down, or this replica would
            // stay subscribed to a room it no longer holds. Safe: no other subscribe of this room runs meanwhile.
            // A subscribe never sent (Redis not answering, or the previous unsubscribe still waiting for it) has
            // nothing of its own to take down: the room's next subscribe waits for the previous unsubscribe still.
            Close(room, local, sent
                ? () => IgnoreFailureAsync(redis.GetSubscriber().UnsubscribeAsync(SubscriptionChannel(room)))
                : () => IgnoreFailureAsync(previous ?? Task.CompletedTask));
            local.Subscribed.TrySetException(new RoomStoreUnavailableException("Redis subscribe failed.", e));
        }
    }

    /// <summary>Takes <paramref name="local"/> out of the rooms and starts its unsubscribe, which the room's next
    /// subscribe waits for.</summary>
    private void Close(string room, LocalRoom local, Func<Task> unsubscribe)
    {
        lock (_lifecycle)
        {
            if (!_rooms.TryRemove(KeyValuePair.Create(room, local)))
            {
                return;
            }
            var done = unsubscribe();
            _unsubscribing[room] = done;
            _ = done.ContinueWith(_ =>
            {
                lock (_lifecycle)
                {
                    if (_unsubscribing.TryGetValue(room, out var current) && current == done)
                    {
                        _unsubscribing.Remove(room);
                    }
                }
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private static async Task UnsubscribeAsync(LocalRoom local)
    {
        try
        {
            await local.Subscribed.Task;
        }
        catch (Exception)
        {
            return; // never subscribed: the failed subscribe took its registration down itself
        }
        await IgnoreFailureAsync(local.Queue!.UnsubscribeAsync());
    }

    // Redis is down: the client forgot the queue before it tried UNSUBSCRIBE, and the server-side subscription is
    // gone with the connection; it is not restored for a channel with nothing registered.
    private static async Task IgnoreFailureAsync(Task unsubscribe)
    {
        try
        {
            await unsubscribe;
        }
        catch (Exception)
        {
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

        /// <summary>Closed because its subscribe failed (Redis down or not answering): a join that finds it fails too.</summary>
        public bool Failed;

        /// <summary>This room object's own queue, set once subscribed.</summary>
        public ChannelMessageQueue? Queue;
    }
}
