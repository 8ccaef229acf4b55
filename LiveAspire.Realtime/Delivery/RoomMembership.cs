namespace LiveAspire.Realtime.Delivery;

/// <summary>
/// One connection's place in one room: the epoch and last seq it has been sent, and whether it is live.
/// While not live (joining, or catching up after a gap) events from the room's channel are buffered; going live
/// replays the buffer in seq order, dropping what was already sent. This is what makes "subscribe, replay, go live"
/// free of gaps and duplicates. All state changes happen under one lock; sending is only an enqueue.
/// <para>Until its join answers, the membership belongs to the join: a catch-up asked for meanwhile (a seq jump, or
/// Redis coming back) is owed to the join, which runs it before it answers (<see cref="TryEndJoin"/>). A catch-up of
/// its own would read from a position the join has not set yet, find it "lost", close the membership with a
/// <c>room.gap</c> and leave the room while the join goes on to answer that it holds it; the client, which keeps one
/// resume per room in flight, drops a gap that arrives before that answer, and the room would stay silent for good.</para>
/// </summary>
public sealed class RoomMembership(LiveConnection connection, string room)
{
    private readonly Lock _lock = new();
    private readonly List<EventEnvelope> _buffer = [];
    private bool _live;
    private bool _joining = true;
    private bool _catchUpOwed;

    public LiveConnection Connection { get; } = connection;
    public string Room { get; } = room;
    public string? Epoch { get; private set; }
    public long LastSeq { get; private set; }
    public bool IsClosed { get; private set; }

    /// <summary>Where the client stands before any replay: its own position, or the room's head for "live only".</summary>
    public void SetPosition(string epoch, long seq)
    {
        lock (_lock)
        {
            Epoch = epoch;
            LastSeq = seq;
        }
    }

    /// <summary>A join whose position the room's window no longer continues (its history was lost or trimmed past it
    /// while the join ran) starts over at the head it read: buffered events of another epoch are older than that read
    /// and are dropped, so going live cannot take the membership back to the lost epoch.</summary>
    public void RestartAt(string epoch, long seq)
    {
        lock (_lock)
        {
            Epoch = epoch;
            LastSeq = seq;
            _buffer.RemoveAll(e => e.Epoch != epoch);
        }
    }

    /// <summary>Sends replayed events after the current position (the overlap with what was sent is dropped).</summary>
    public void Replay(IEnumerable<EventEnvelope> envelopes)
    {
        lock (_lock)
        {
            if (IsClosed)
            {
                return;
            }
            foreach (var envelope in envelopes)
            {
                if (envelope.Epoch == Epoch && envelope.Seq == LastSeq + 1)
                {
                    LastSeq = envelope.Seq;
                    Connection.SendQueue.EnqueueReplayed(envelope);
                }
            }
        }
    }

    /// <summary>
    /// An event from the room's channel. Returns true when it revealed a gap (a seq was skipped, say while Redis
    /// reconnected): the membership stops being live and the caller must catch it up from the hot window (false while
    /// the join still runs: the catch-up is owed to it).
    /// </summary>
    public bool OnPublished(EventEnvelope envelope)
    {
        lock (_lock)
        {
            if (IsClosed)
            {
                return false;
            }
            if (!_live)
            {
                _buffer.Add(envelope);
                return false;
            }
            if (Apply(envelope))
            {
                return false;
            }
            _live = false;
            _buffer.Add(envelope);
            return CatchUpNowOrOwe();
        }
    }

    /// <summary>
    /// A run of events from the room's channel. The common case, a live member that is exactly at the run's start,
    /// takes the run's shared frame (serialized once for every member); anything else goes event by event through
    /// <see cref="OnPublished(EventEnvelope)"/>. Returns true when a gap was revealed (see there).
    /// </summary>
    public bool OnPublished(RoomRun run)
    {
        lock (_lock)
        {
            if (IsClosed)
            {
                return false;
            }
            if (_live && run.Epoch == Epoch && run.FirstSeq == LastSeq + 1)
            {
                LastSeq = run.LastSeq;
                Connection.SendQueue.Enqueue(run.Frame);
                return false;
            }
            var gap = false;
            foreach (var envelope in run.Envelopes)
            {
                gap |= OnPublished(envelope);
            }
            return gap;
        }
    }

    /// <summary>An ephemeral frame (a counter or hint, not numbered): sent whatever the member's position.</summary>
    public void OnEphemeral(EventFrame frame)
    {
        if (!IsClosed)
        {
            Connection.SendQueue.Enqueue(frame);
        }
    }

    /// <summary>Stops being live (events buffer from now on) so a catch-up can run. True when the caller must run it
    /// now; false when the membership is closed or its join still runs (then the join runs it before answering).</summary>
    public bool PauseForCatchUp()
    {
        lock (_lock)
        {
            if (IsClosed)
            {
                return false;
            }
            _live = false;
            return CatchUpNowOrOwe();
        }
    }

    /// <summary>
    /// The join is about to answer: true (and the membership is the room's like any other from now on) unless a
    /// catch-up was asked for since the join's own read; then false, the membership is paused, and the join must catch
    /// it up (read after its position, go live) and ask again.
    /// </summary>
    public bool TryEndJoin()
    {
        lock (_lock)
        {
            if (_catchUpOwed && !IsClosed)
            {
                _catchUpOwed = false;
                return false;
            }
            _joining = false;
            return true;
        }
    }

    /// <summary>Applies the buffer and goes live; false (still buffering) if the buffer itself has a gap.</summary>
    public bool TryGoLive()
    {
        lock (_lock)
        {
            _buffer.Sort((a, b) => a.Seq.CompareTo(b.Seq));
            for (var i = 0; i < _buffer.Count; i++)
            {
                if (!Apply(_buffer[i]))
                {
                    _buffer.RemoveRange(0, i);
                    return false;
                }
            }
            _buffer.Clear();
            _live = true;
            return true;
        }
    }

    /// <summary>The client must resume this room itself: tell it which range it misses, then stop sending.</summary>
    public void CloseWithGap(long missingTo)
    {
        lock (_lock)
        {
            if (IsClosed)
            {
                return;
            }
            IsClosed = true;
            _buffer.Clear();
            Connection.SendQueue.Enqueue(SendQueue.GapMarker(Room, Epoch ?? "", LastSeq + 1, missingTo));
        }
    }

    public void Close()
    {
        lock (_lock)
        {
            IsClosed = true;
            _buffer.Clear();
        }
    }

    // True: the caller catches up now. While joining the catch-up is owed to the join instead. Caller holds the lock.
    private bool CatchUpNowOrOwe()
    {
        if (_joining)
        {
            _catchUpOwed = true;
            return false;
        }
        return true;
    }

    // Returns false on a gap (the event is ahead of the next expected seq). Caller holds the lock.
    private bool Apply(EventEnvelope envelope)
    {
        if (envelope.Epoch != Epoch)
        {
            // The room's history was lost and restarted under a new epoch: the client sees the new epoch on this
            // event and resets the room; numbering continues from here.
            Epoch = envelope.Epoch;
            LastSeq = envelope.Seq - 1;
        }
        if (envelope.Seq <= LastSeq)
        {
            return true; // already sent (replay and live overlap)
        }
        if (envelope.Seq != LastSeq + 1)
        {
            return false;
        }
        Send(envelope);
        return true;
    }

    private void Send(EventEnvelope envelope)
    {
        LastSeq = envelope.Seq;
        Connection.SendQueue.Enqueue(envelope);
    }
}
