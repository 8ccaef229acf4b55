namespace LiveAspire.Client;

/// <summary>What to do with one received envelope.</summary>
internal enum EnvelopeVerdict
{
    Deliver,
    Duplicate,
    Stale,
    OutOfOrder,
    Gap,
    LeftRoom,
}

/// <summary>
/// Per-room position ({epoch, lastSeq}) and dedupe: the rules of docs/architecture.md section 3 from the client's side.
/// Not thread-safe: <see cref="LiveHubClient"/> calls it under its lock.
/// <para>A room's position only moves by delivered envelopes, one seq at a time, so the consumer sees each room's
/// seqs contiguous and in order. An envelope that skips ahead or carries another epoch is dropped and the room is
/// resumed from its last seq instead: the server's replay brings the missing events, then that one again, in order.
/// Resume answers do not move a position forward when they say <c>recovered</c> (the replay may still be on its way
/// after the answer); <c>recovered:false</c> sets it (the app reloads the room).</para>
/// </summary>
internal sealed class RoomTracker(int dedupeCapacity)
{
    private sealed class Room
    {
        public RoomPosition? Position;
        public bool Left;
        public bool ResumeInFlight;
    }

    private readonly Dictionary<string, Room> _rooms = new(StringComparer.Ordinal);
    private readonly RecentIds _delivered = new(dedupeCapacity);

    /// <summary>Judges an envelope; <paramref name="startResume"/> is true when the caller must now resume the
    /// envelope's room from <see cref="PositionOf"/> (at most one resume per room is in flight).</summary>
    public EnvelopeVerdict Accept(EventEnvelope envelope, out bool startResume)
    {
        startResume = false;
        if (_delivered.Contains(envelope.Id))
        {
            return EnvelopeVerdict.Duplicate;
        }
        // Rooms the server put the client in without asking (its own user room) are tracked from their first event.
        if (!_rooms.TryGetValue(envelope.Room, out var room))
        {
            _rooms[envelope.Room] = room = new Room();
        }
        if (room.Left)
        {
            return EnvelopeVerdict.LeftRoom;
        }
        if (envelope.Type == LiveHubContract.GapEventType)
        {
            _delivered.Add(envelope.Id);
            startResume = TryStartResume(room);
            return EnvelopeVerdict.Gap;
        }
        if (envelope.Seq == LiveHubContract.EphemeralSeq)
        {
            // Ephemeral (dm.typing): not part of the room's order; delivered once, the position untouched.
            _delivered.Add(envelope.Id);
            return EnvelopeVerdict.Deliver;
        }
        if (room.Position is { } position)
        {
            if (envelope.Epoch == position.Epoch && envelope.Seq <= position.Seq)
            {
                return EnvelopeVerdict.Stale;
            }
            if (envelope.Epoch != position.Epoch || envelope.Seq != position.Seq + 1)
            {
                startResume = TryStartResume(room);
                return EnvelopeVerdict.OutOfOrder;
            }
        }
        room.Position = new RoomPosition(envelope.Seq, envelope.Epoch);
        _delivered.Add(envelope.Id);
        return EnvelopeVerdict.Deliver;
    }

    private static bool TryStartResume(Room room)
    {
        if (room.ResumeInFlight)
        {
            return false;
        }
        room.ResumeInFlight = true;
        return true;
    }

    /// <summary>True while the room is joined (not left).</summary>
    public bool IsJoined(string room) => _rooms.TryGetValue(room, out var state) && !state.Left;

    public RoomPosition? PositionOf(string room) => _rooms.TryGetValue(room, out var state) ? state.Position : null;

    /// <summary>Marks rooms as joined (again); an explicit position replaces the tracked one.</summary>
    public Dictionary<string, RoomPosition?> Join(IEnumerable<KeyValuePair<string, RoomPosition?>> rooms, bool explicitPositions)
    {
        var request = new Dictionary<string, RoomPosition?>(StringComparer.Ordinal);
        foreach (var (name, position) in rooms)
        {
            if (!_rooms.TryGetValue(name, out var room))
            {
                _rooms[name] = room = new Room();
            }
            room.Left = false;
            if (explicitPositions)
            {
                room.Position = position;
            }
            room.ResumeInFlight = true;
            request[name] = room.Position;
        }
        return request;
    }

    /// <summary>Every joined room with its position, for the resume after a reconnect; marks them in flight.</summary>
    public Dictionary<string, RoomPosition?> JoinedRooms()
        => Join(_rooms.Where(r => !r.Value.Left).Select(r => KeyValuePair.Create(r.Key, r.Value.Position)).ToList(), explicitPositions: false);

    public void Leave(string name)
    {
        if (_rooms.TryGetValue(name, out var room))
        {
            room.Left = true;
            room.ResumeInFlight = false;
        }
    }

    /// <summary>A resume of these rooms failed (connection lost, timeout): the next envelope or reconnect retries.</summary>
    public void ResumeFailed(IEnumerable<string> rooms)
    {
        foreach (var name in rooms)
        {
            if (_rooms.TryGetValue(name, out var room))
            {
                room.ResumeInFlight = false;
            }
        }
    }

    /// <summary>
    /// Applies a room's resume answer; returns the reset to announce when the room was not recovered.
    /// <paramref name="retry"/> is true when the server could not join the room for now (<c>redis_unavailable</c>):
    /// the room stays joined, at its position and in flight, and the caller asks again after a back-off. Any other
    /// error is a refusal and the room is left.
    /// </summary>
    public RoomReset? Apply(string name, ResumeResult result, out bool retry)
    {
        retry = false;
        if (!_rooms.TryGetValue(name, out var room))
        {
            return null;
        }
        room.ResumeInFlight = false;
        if (result.Error is { } error)
        {
            if (error == HubErrorCodes.RedisUnavailable && !room.Left)
            {
                room.ResumeInFlight = true;
                retry = true;
                return null;
            }
            room.Left = true;
            return null;
        }
        var epoch = result.Epoch ?? "";
        var current = room.Position;
        var aheadInSameEpoch = current is not null && current.Epoch == epoch && current.Seq >= result.Seq;
        if (result.Recovered)
        {
            // The replay (if any) moves the position; only a room without one starts from the answer.
            if (current is null || current.Epoch != epoch)
            {
                room.Position = new RoomPosition(result.Seq, epoch);
            }
            return null;
        }
        if (!aheadInSameEpoch)
        {
            room.Position = new RoomPosition(result.Seq, epoch);
        }
        return new RoomReset(name, epoch, room.Position!.Seq);
    }

    public IReadOnlyDictionary<string, RoomPosition?> Snapshot()
        => _rooms.Where(r => !r.Value.Left).ToDictionary(r => r.Key, r => r.Value.Position, StringComparer.Ordinal);
}

/// <summary>The last N delivered ids: bounded memory, oldest forgotten first.</summary>
internal sealed class RecentIds(int capacity)
{
    private readonly HashSet<string> _set = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public bool Contains(string id) => _set.Contains(id);

    public void Add(string id)
    {
        if (!_set.Add(id))
        {
            return;
        }
        _order.Enqueue(id);
        if (_order.Count > capacity)
        {
            _set.Remove(_order.Dequeue());
        }
    }
}
