using System.Text.Json;
using System.Threading.Tasks.Sources;

namespace LiveAspire.Realtime.Delivery;

/// <summary>
/// What waits to go to one connection, drained in order by one pump: delivery order per connection is enqueue order,
/// and a slow client never blocks the room (the dispatcher only enqueues). Items are shared pre-serialized
/// <see cref="EventFrame"/>s (live room traffic) or single envelopes (replays, gap markers, typing), which the pump
/// coalesces into one <c>Events</c> frame.
/// <para>
/// Bounded by <c>capacity</c> envelopes, with the per-class policy of docs/architecture.md section 3 when it is full:
/// droppable (chat) items waiting for the client are dropped and replaced by a <c>room.gap</c> marker for each room
/// concerned, and later droppable items of that room are dropped until the client resumes it (it gets them by
/// replay); a <see cref="EventClass.Latest"/> item (a counter) replaces a waiting one of the same room and type at any
/// time; reliable items (tips, alerts, stream state) are never dropped: when they alone fill the queue the owner is
/// told (<see cref="Overflowed"/>) and asks the client to reconnect, and it resumes from its last seq.
/// </para>
/// Waiting allocates nothing (the queue is its own awaitable), and an idle queue holds no buffer.
/// </summary>
public sealed class SendQueue(int capacity, int maxBatch) : IValueTaskSource<bool>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Lock _lock = new();
    private Outgoing[] _ring = [];
    private int _head;
    private int _count;
    private int _pending;
    private HashSet<string>? _shedRooms;
    private bool _completed;
    private bool _waiting;
    private ManualResetValueTaskSourceCore<bool> _signal = new() { RunContinuationsAsynchronously = true };

    /// <summary>Raised once when reliable items alone fill the queue: the owner tells the client to reconnect.</summary>
    public event Action? Overflowed;

    /// <summary>Raised (outside the lock) with the number of envelopes dropped whenever droppable items are shed.</summary>
    public event Action<int>? Shed;

    /// <summary>Queues one envelope (a gap marker, a typing hint). False once the queue is closed.</summary>
    public bool Enqueue(EventEnvelope envelope) => Enqueue(new Outgoing(null, envelope));

    /// <summary>
    /// Queues a replayed envelope (a resume or catch-up reading the hot window) whatever the capacity: a replay is
    /// bounded by the hot window and is what the client asked for, so it must fit, or a client resuming a busy room
    /// would be shed, resume and be shed again. Live events after it count as usual.
    /// </summary>
    public bool EnqueueReplayed(EventEnvelope envelope) => Enqueue(new Outgoing(null, envelope), replay: true);

    /// <summary>Testing only (fault hook <c>send-queue-hold</c>): the pump writes nothing until <paramref name="release"/>
    /// completes, as a client that stopped reading would make it.</summary>
    public void HoldUntil(Task release) => Hold = release;

    /// <summary>The pump waits for this first (see <see cref="HoldUntil"/>); null almost always.</summary>
    public Task? Hold { get; private set; }

    /// <summary>Forgets a hold that is over.</summary>
    public void ReleaseHold() => Hold = null;

    /// <summary>Queues a shared frame. False once the queue is closed.</summary>
    public bool Enqueue(EventFrame frame) => Enqueue(new Outgoing(frame, null));

    /// <summary>The client is resuming <paramref name="room"/> (a new membership replaces the old one): its droppable
    /// items are accepted again.</summary>
    public void Unshed(string room)
    {
        lock (_lock)
        {
            _shedRooms?.Remove(room);
        }
    }

    /// <summary>Closes the queue: what is queued is still sent, then <see cref="WaitAsync"/> answers false.</summary>
    public void Complete()
    {
        bool wake;
        lock (_lock)
        {
            _completed = true;
            wake = TakeWaiter();
        }
        if (wake)
        {
            _signal.SetResult(true);
        }
    }

    /// <summary>Waits until something is queued (true) or the queue is closed and empty (false). One caller at a time.</summary>
    public ValueTask<bool> WaitAsync()
    {
        lock (_lock)
        {
            if (_count > 0)
            {
                return new ValueTask<bool>(true);
            }
            if (_completed)
            {
                return new ValueTask<bool>(false);
            }
            _signal.Reset();
            _waiting = true;
            return new ValueTask<bool>(this, _signal.Version);
        }
    }

    /// <summary>
    /// Takes the next thing to send: a shared frame (<paramref name="frame"/>), or a run of up to <c>maxBatch</c>
    /// single envelopes appended to <paramref name="envelopes"/>. False when nothing is queued.
    /// </summary>
    public bool TryTake(List<EventEnvelope> envelopes, out EventFrame? frame)
    {
        lock (_lock)
        {
            frame = null;
            if (_count == 0)
            {
                return false;
            }
            if (_ring[_head].Frame is { } first)
            {
                frame = first;
                Dequeue();
            }
            else
            {
                while (_count > 0 && envelopes.Count < maxBatch && _ring[_head].Envelope is { } envelope)
                {
                    envelopes.Add(envelope);
                    Dequeue();
                }
            }
            if (_count == 0 && _ring.Length > 64)
            {
                _ring = []; // a burst is over: an idle connection keeps no buffer
                _head = 0;
            }
            return true;
        }
    }

    private bool Enqueue(Outgoing item, bool replay = false)
    {
        bool wake;
        var overflowed = false;
        var shed = 0;
        lock (_lock)
        {
            if (_completed)
            {
                return false;
            }
            var itemClass = item.Class;
            if (itemClass == EventClass.Droppable && _shedRooms?.Contains(item.Room) == true)
            {
                shed = item.Count; // the client resumes this room and gets it by replay
                item = default;
            }
            else if (itemClass == EventClass.Latest && TryReplaceLatest(item))
            {
                item = default;
            }
            else if (!replay && _pending + item.Count > capacity)
            {
                shed += ShedDroppable();
                if (itemClass == EventClass.Droppable && _shedRooms?.Contains(item.Room) == true)
                {
                    shed += item.Count; // its room was just shed: the client gets it by replay
                    item = default;
                }
                else if (_pending + item.Count > capacity)
                {
                    switch (itemClass)
                    {
                        case EventClass.Latest:
                            item = default; // only the latest value matters, and a newer one will come
                            break;
                        case EventClass.Droppable:
                            AddGapMarker(item.Room, item.Epoch, item.FirstSeq, item.LastSeq);
                            shed += item.Count;
                            item = default;
                            break;
                        default:
                            _completed = true;
                            overflowed = true;
                            item = default;
                            break;
                    }
                }
            }
            if (item.Count > 0)
            {
                Add(item);
            }
            wake = TakeWaiter();
        }
        if (wake)
        {
            _signal.SetResult(true);
        }
        if (shed > 0)
        {
            Shed?.Invoke(shed);
        }
        if (overflowed)
        {
            Overflowed?.Invoke();
            return false;
        }
        return true;
    }

    // Caller holds the lock. Drops every waiting droppable envelope and latest item, keeping every reliable envelope:
    // a shared frame that mixes chat with a tip is split, its reliable envelopes kept as single envelopes (serialized
    // for this connection when sent). Each room that lost numbered events gets a gap marker where its first dropped
    // event was, and is marked shed. Returns the number of envelopes dropped.
    private int ShedDroppable()
    {
        Dictionary<string, (long From, long To)>? ranges = null;
        void Note(string room, long from, long to)
        {
            ranges ??= new Dictionary<string, (long, long)>(StringComparer.Ordinal);
            ranges[room] = ranges.TryGetValue(room, out var r) ? (Math.Min(r.From, from), Math.Max(r.To, to)) : (from, to);
        }
        for (var i = 0; i < _count; i++)
        {
            var item = _ring[(_head + i) % _ring.Length];
            if (item.Class == EventClass.Droppable)
            {
                Note(item.Room, item.FirstSeq, item.LastSeq);
            }
            else if (item.Frame is { HasDroppable: true } mixed)
            {
                foreach (var envelope in mixed.Envelopes)
                {
                    if (IsDroppable(envelope))
                    {
                        Note(envelope.Room, envelope.Seq, envelope.Seq);
                    }
                }
            }
        }
        var kept = new List<Outgoing>(_count);
        var dropped = 0;
        void Drop(string room, string epoch, int count)
        {
            dropped += count;
            _pending -= count;
            if (ranges is not null && ranges.Remove(room, out var range) && MarkShed(room))
            {
                kept.Add(new Outgoing(null, GapMarker(room, epoch, range.From, range.To)));
                _pending++;
            }
        }
        for (var i = 0; i < _count; i++)
        {
            var item = _ring[(_head + i) % _ring.Length];
            switch (item.Class)
            {
                case EventClass.Reliable when item.Frame is { HasDroppable: true } mixed:
                    _pending -= mixed.Count;
                    foreach (var envelope in mixed.Envelopes)
                    {
                        _pending++;
                        if (IsDroppable(envelope))
                        {
                            Drop(envelope.Room, envelope.Epoch, 1);
                        }
                        else
                        {
                            kept.Add(new Outgoing(null, envelope));
                        }
                    }
                    break;
                case EventClass.Reliable:
                    kept.Add(item);
                    break;
                case EventClass.Droppable:
                    Drop(item.Room, item.Epoch, item.Count);
                    break;
                default:
                    dropped += item.Count;
                    _pending -= item.Count;
                    break;
            }
        }
        _ring = new Outgoing[Math.Max(4, kept.Count)];
        kept.CopyTo(_ring);
        _head = 0;
        _count = kept.Count;
        return dropped;
    }

    private static bool IsDroppable(EventEnvelope envelope) => EventClasses.Of(envelope) == EventClass.Droppable;

    // Caller holds the lock.
    private void AddGapMarker(string room, string epoch, long from, long to)
    {
        if (MarkShed(room))
        {
            Add(new Outgoing(null, GapMarker(room, epoch, from, to)));
        }
    }

    // Caller holds the lock. True when the room was not shed yet: its gap marker is due now.
    private bool MarkShed(string room) => (_shedRooms ??= new HashSet<string>(StringComparer.Ordinal)).Add(room);

    /// <summary>The marker telling a client it misses <paramref name="from"/>..<paramref name="to"/> of a room: its seq is
    /// the last one before the gap, so the client resumes from there.</summary>
    public static EventEnvelope GapMarker(string room, string epoch, long from, long to) =>
        new($"gap:{room}:{epoch}:{from}", LiveHubContract.GapEventType, room, from - 1, epoch,
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), JsonSerializer.SerializeToElement(new GapRange(from, to), Json));

    // Caller holds the lock.
    private bool TryReplaceLatest(Outgoing item)
    {
        var type = item.LatestType;
        for (var i = 0; i < _count; i++)
        {
            var index = (_head + i) % _ring.Length;
            var waiting = _ring[index];
            if (waiting.Class == EventClass.Latest && waiting.LatestType == type && waiting.Room == item.Room)
            {
                _ring[index] = item;
                return true;
            }
        }
        return false;
    }

    // Caller holds the lock.
    private void Add(Outgoing item)
    {
        if (_count == _ring.Length)
        {
            var grown = new Outgoing[Math.Max(4, _ring.Length * 2)];
            for (var i = 0; i < _count; i++)
            {
                grown[i] = _ring[(_head + i) % _ring.Length];
            }
            _ring = grown;
            _head = 0;
        }
        _ring[(_head + _count) % _ring.Length] = item;
        _count++;
        _pending += item.Count;
    }

    // Caller holds the lock.
    private void Dequeue()
    {
        _pending -= _ring[_head].Count;
        _ring[_head] = default;
        _head = (_head + 1) % _ring.Length;
        _count--;
    }

    // Caller holds the lock.
    private bool TakeWaiter()
    {
        if (!_waiting)
        {
            return false;
        }
        _waiting = false;
        return true;
    }

    bool IValueTaskSource<bool>.GetResult(short token) => _signal.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _signal.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token,
        ValueTaskSourceOnCompletedFlags flags) => _signal.OnCompleted(continuation, state, token, flags);

    private sealed record GapRange(long From, long To);

    /// <summary>One queued item: a shared frame or a single envelope.</summary>
    private readonly record struct Outgoing(EventFrame? Frame, EventEnvelope? Envelope)
    {
        public int Count => Frame?.Count ?? (Envelope is null ? 0 : 1);

        public EventClass Class => Frame?.Class ?? EventClasses.Of(Envelope!);

        public string Room => Frame?.Room ?? Envelope!.Room;
        public string Epoch => Frame?.Epoch ?? Envelope!.Epoch;
        public long FirstSeq => Frame?.FirstSeq ?? Envelope!.Seq;
        public long LastSeq => Frame?.LastSeq ?? Envelope!.Seq;
        public string? LatestType => Frame is not null ? Frame.LatestType : Envelope!.Type;
    }
}
