using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace LiveAspire.Rooms;

/// <summary>
/// The room store in this process's memory, with the guarantees of <see cref="IRoomPublisher"/> and
/// <see cref="IRoomHistory"/> as the Redis store gives them: the same numbering, idempotency, hot window, epochs,
/// argument checks and envelope texts. For unit tests of Realtime features and for a single-process development mode:
/// nothing is shared with another process and nothing outlives this one. It never throws
/// <see cref="RoomStoreUnavailableException"/>. A room stays in memory as long as the instance, as its keys stay in
/// Redis.
/// <para><see cref="Subscribe"/> stands for a room's Redis channel; <see cref="LoseState"/> and
/// <see cref="LoseAllState"/> stand for Redis losing its data. Safe to call from any thread: each room has its own
/// lock, and subscribers are never called under it.</para>
/// </summary>
public sealed class InMemoryRooms(IOptions<RoomOptions> options) : IRoomPublisher, IRoomHistory
{
    private readonly ConcurrentDictionary<string, Room> _rooms = new();

    public Task<PublishResult> PublishAsync(string room, string type, JsonElement data, string? id = null,
        CancellationToken cancellationToken = default) => Run(() =>
    {
        RoomEvents.CheckRoomAndType(room, type);
        id = RoomEvents.Id(id);
        var json = RoomEvents.Data(data, options.Value.MaxDataBytes);
        cancellationToken.ThrowIfCancellationRequested();
        var state = _rooms.GetOrAdd(room, _ => new Room());
        PublishResult result;
        lock (state.Lock)
        {
            var epoch = state.EnsureEpoch();
            if (state.Ids.TryGetValue(id, out var seq))
            {
                return new PublishResult(id, room, seq, epoch, Duplicate: true);
            }
            seq = ++state.Seq;
            var envelope = RoomEvents.Numbered(id, type, room, seq, epoch, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), json);
            state.Window.Enqueue(new Stored(seq, id, envelope));
            state.Ids[id] = seq;
            while (state.Window.Count > options.Value.HotWindow)
            {
                state.Ids.Remove(state.Window.Dequeue().Id);
            }
            state.Send(envelope);
            result = new PublishResult(id, room, seq, epoch, Duplicate: false);
        }
        state.Deliver();
        return result;
    }, cancellationToken);

    public Task<string> PublishEphemeralAsync(string room, string type, JsonElement data, CancellationToken cancellationToken = default) => Run(() =>
    {
        RoomEvents.CheckRoomAndType(room, type);
        var (id, json) = RoomEvents.Ephemeral(room, type, data, options.Value.MaxDataBytes);
        cancellationToken.ThrowIfCancellationRequested();
        if (_rooms.TryGetValue(room, out var state))
        {
            lock (state.Lock)
            {
                state.Send(json);
            }
            state.Deliver();
        }
        return id;
    }, cancellationToken);

    public Task<RoomSnapshot> ReadAsync(string room, long? afterSeq, CancellationToken cancellationToken = default) => Run(() =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        var state = _rooms.GetOrAdd(room, _ => new Room());
        lock (state.Lock)
        {
            var epoch = state.EnsureEpoch();
            var firstSeq = state.Window.TryPeek(out var first) ? first.Seq : state.Seq + 1;
            string[] envelopes = afterSeq is long after && after >= 0
                ? [.. state.Window.Where(e => e.Seq > after).Select(e => e.Envelope)]
                : [];
            return new RoomSnapshot(epoch, state.Seq, firstSeq, envelopes);
        }
    }, cancellationToken);

    /// <summary>
    /// Calls <paramref name="received"/> with the JSON text of every envelope published to the room from now on until
    /// the result is disposed: each numbered one once, in seq order, and the ephemeral ones between them in the order
    /// they were sent. One call at a time per room, on the thread of a publish to that room (usually the caller's, before
    /// its publish returns). As with a Redis subscriber, an exception it throws does not reach the publisher.
    /// </summary>
    public IDisposable Subscribe(string room, Action<string> received)
    {
        RoomEvents.CheckRoom(room);
        var subscription = new Subscription(_rooms.GetOrAdd(room, _ => new Room()), received);
        subscription.Start();
        return subscription;
    }

    /// <summary>The room loses its epoch, seq, window and ids, as when Redis restarts without its data; its subscribers stay.</summary>
    public void LoseState(string room)
    {
        if (_rooms.TryGetValue(room, out var state))
        {
            lock (state.Lock)
            {
                state.Lose();
            }
        }
    }

    /// <summary><see cref="LoseState"/> for every room, as when Redis is flushed.</summary>
    public void LoseAllState()
    {
        foreach (var room in _rooms.Keys)
        {
            LoseState(room);
        }
    }

    private static Task<T> Run<T>(Func<T> call, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult(call());
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }
        catch (Exception e)
        {
            return Task.FromException<T>(e);
        }
    }

    private sealed record Stored(long Seq, string Id, string Envelope);

    private sealed class Subscription(Room room, Action<string> received) : IDisposable
    {
        private volatile bool _disposed;

        public void Start()
        {
            lock (room.Lock)
            {
                room.Subscriptions = [.. room.Subscriptions, this];
            }
        }

        public void Receive(string envelope)
        {
            if (_disposed)
            {
                return;
            }
            try
            {
                received(envelope);
            }
            catch
            {
                // The subscriber's own failure, as on Redis: the publish and the other subscribers go on.
            }
        }

        public void Dispose()
        {
            _disposed = true;
            lock (room.Lock)
            {
                room.Subscriptions = [.. room.Subscriptions.Where(s => s != this)];
            }
        }
    }

    /// <summary>One room's state and subscriptions. Everything but <see cref="Deliver"/> runs under <see cref="Lock"/>.</summary>
    private sealed class Room
    {
        private readonly Queue<(string Envelope, Subscription[] To)> _outgoing = new();
        private bool _delivering;
        private string? _epoch;

        public Lock Lock { get; } = new();
        public long Seq { get; set; }
        public Queue<Stored> Window { get; } = new();
        public Dictionary<string, long> Ids { get; } = new(StringComparer.Ordinal);
        public Subscription[] Subscriptions { get; set; } = [];

        public string EnsureEpoch() => _epoch ??= RoomEvents.NewEpoch();

        public void Lose()
        {
            _epoch = null;
            Seq = 0;
            Window.Clear();
            Ids.Clear();
        }

        /// <summary>Queues the envelope for the room's current subscriptions, in the order of the calls.</summary>
        public void Send(string envelope)
        {
            if (Subscriptions.Length > 0)
            {
                _outgoing.Enqueue((envelope, Subscriptions));
            }
        }

        /// <summary>Hands the queued envelopes to their subscriptions in order, outside the lock; one thread at a time does it.</summary>
        public void Deliver()
        {
            lock (Lock)
            {
                if (_delivering)
                {
                    return;
                }
                _delivering = true;
            }
            while (true)
            {
                (string Envelope, Subscription[] To) next;
                lock (Lock)
                {
                    if (!_outgoing.TryDequeue(out next))
                    {
                        _delivering = false;
                        return;
                    }
                }
                foreach (var subscription in next.To)
                {
                    subscription.Receive(next.Envelope);
                }
            }
        }
    }
}
