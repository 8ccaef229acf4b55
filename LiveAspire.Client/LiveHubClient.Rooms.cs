namespace LiveAspire.Client;

/// <summary>Joining, leaving and resuming rooms, and what each received envelope does to its room.</summary>
public sealed partial class LiveHubClient
{
    /// <summary>Joins (or rejoins) rooms through <c>Resume</c>, each from its tracked position (live only for a room
    /// never seen). Joined rooms are resumed after every reconnect.</summary>
    public Task<IReadOnlyDictionary<string, ResumeResult>> JoinAsync(IEnumerable<string> rooms, CancellationToken cancellationToken = default)
    {
        Dictionary<string, RoomPosition?> request;
        lock (_gate)
        {
            request = _rooms.Join(rooms.Select(r => KeyValuePair.Create(r, (RoomPosition?)null)), explicitPositions: false);
        }
        return ResumeAsync(request, cancellationToken);
    }

    /// <summary>Joins rooms from given positions (e.g. kept from an earlier session): <c>Resume</c> with exactly these.</summary>
    public Task<IReadOnlyDictionary<string, ResumeResult>> JoinAsync(IReadOnlyDictionary<string, RoomPosition?> positions,
        CancellationToken cancellationToken = default)
    {
        Dictionary<string, RoomPosition?> request;
        lock (_gate)
        {
            request = _rooms.Join(positions, explicitPositions: true);
        }
        return ResumeAsync(request, cancellationToken);
    }

    /// <summary>Joins a stream's room (<c>stream:{streamId}</c>) through <c>JoinStream</c>, from its tracked position.</summary>
    public async Task<ResumeResult> JoinStreamAsync(string streamId, CancellationToken cancellationToken = default)
    {
        var room = StreamRoom(streamId);
        RoomPosition? position;
        lock (_gate)
        {
            position = _rooms.Join([KeyValuePair.Create(room, (RoomPosition?)null)], explicitPositions: false)[room];
        }
        ResumeResult result;
        try
        {
            result = await InvokeAsync<ResumeResult>(LiveHubContract.JoinStream,
                [streamId, position?.Seq, position?.Epoch], cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            lock (_gate)
            {
                _rooms.ResumeFailed([room]);
            }
            throw;
        }
        ApplyResults(new Dictionary<string, ResumeResult> { [room] = result });
        return result;
    }

    /// <summary>The room name of a stream, as the hub builds it (docs/architecture.md section 3).</summary>
    public static string StreamRoom(string streamId) => "stream:" + streamId;

    /// <summary>Leaves a room: the server stops sending it and it is not resumed after reconnects.</summary>
    public async Task LeaveAsync(string room, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _rooms.Leave(room);
        }
        await InvokeAsync(LiveHubContract.Leave, [room], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Calls the hub's <c>Ping()</c>: which replica answers, and its clock.</summary>
    public Task<PingReply> PingAsync(CancellationToken cancellationToken = default)
        => InvokeAsync<PingReply>(LiveHubContract.Ping, [], cancellationToken);

    private async Task<IReadOnlyDictionary<string, ResumeResult>> ResumeAsync(Dictionary<string, RoomPosition?> request,
        CancellationToken cancellationToken)
    {
        Dictionary<string, ResumeResult> results;
        try
        {
            results = await InvokeAsync<Dictionary<string, ResumeResult>>(LiveHubContract.Resume, [request], cancellationToken)
                .ConfigureAwait(false);
        }
        catch
        {
            lock (_gate)
            {
                _rooms.ResumeFailed(request.Keys);
            }
            throw;
        }
        ApplyResults(results);
        lock (_gate)
        {
            // A room the server did not answer for stays joined; the next gap or reconnect asks again.
            _rooms.ResumeFailed(request.Keys.Where(r => !results.ContainsKey(r)));
        }
        return results;
    }

    private void ApplyResults(IReadOnlyDictionary<string, ResumeResult> results)
    {
        var resets = new List<RoomReset>();
        var retries = new List<string>();
        lock (_gate)
        {
            foreach (var (room, result) in results)
            {
                if (_rooms.Apply(room, result, out var retry) is { } reset)
                {
                    resets.Add(reset);
                }
                if (retry)
                {
                    retries.Add(room);
                }
            }
        }
        foreach (var room in retries)
        {
            Log.RoomRetry(_logger, room, results[room].Error!, (int)_options.RoomRetryDelay.TotalMilliseconds);
            _ = ResumeLaterAsync(room);
        }
        foreach (var (room, result) in results)
        {
            if (result.Error is { } code && !retries.Contains(room))
            {
                Log.RoomRefused(_logger, room, code);
                Raise(RoomRefused, h => h(room, code), nameof(RoomRefused));
            }
        }
        foreach (var reset in resets)
        {
            Counters.Increment(ref Counters.RoomResetsField);
            Log.RoomReset(_logger, reset.Room, reset.Epoch, reset.Seq);
            Raise(RoomReset, h => h(reset), nameof(RoomReset));
        }
    }

    /// <summary>Asks again, after <see cref="LiveHubClientOptions.RoomRetryDelay"/>, for a room the server could not join
    /// for now, until it answers for the room (another <c>redis_unavailable</c> schedules the next try itself), the room
    /// is left, the connection is lost (the reconnect resumes every joined room) or the client stops.</summary>
    private async Task ResumeLaterAsync(string room)
    {
        while (true)
        {
            RoomPosition? position;
            try
            {
                await Task.Delay(_options.RoomRetryDelay, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            lock (_gate)
            {
                if (!_rooms.IsJoined(room))
                {
                    return;
                }
                position = _rooms.PositionOf(room);
            }
            try
            {
                await ResumeAsync(new Dictionary<string, RoomPosition?> { [room] = position }, _stopping.Token).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is LiveHubConnectionException or OperationCanceledException)
            {
                Log.ResumeFailed(_logger, e.Message);
                return;
            }
            catch (Exception e) when (e is LiveHubInvocationException or TimeoutException)
            {
                Log.ResumeFailed(_logger, e.Message); // the server failed the call itself: ask again
            }
        }
    }

    /// <summary>Resumes one room that fell behind (a gap marker or an envelope that skipped ahead).</summary>
    private async Task ResumeRoomAsync(string room)
    {
        RoomPosition? position;
        lock (_gate)
        {
            position = _rooms.PositionOf(room);
        }
        try
        {
            await ResumeAsync(new Dictionary<string, RoomPosition?> { [room] = position }, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is LiveHubConnectionException or LiveHubInvocationException or TimeoutException or OperationCanceledException)
        {
            Log.ResumeFailed(_logger, e.Message);
        }
    }

    private void OnEnvelope(EventEnvelope envelope)
    {
        EnvelopeVerdict verdict;
        bool startResume;
        RoomPosition? position;
        lock (_gate)
        {
            verdict = _rooms.Accept(envelope, out startResume);
            position = _rooms.PositionOf(envelope.Room);
        }
        switch (verdict)
        {
            case EnvelopeVerdict.Deliver:
                Counters.Increment(ref Counters.EventsDeliveredField);
                _events.Writer.TryWrite(envelope);
                break;
            case EnvelopeVerdict.Duplicate:
                Counters.Increment(ref Counters.DuplicatesDroppedField);
                break;
            case EnvelopeVerdict.Stale:
                Counters.Increment(ref Counters.StaleDroppedField);
                break;
            case EnvelopeVerdict.OutOfOrder:
                Counters.Increment(ref Counters.OutOfOrderDroppedField);
                break;
        }
        if (startResume)
        {
            Counters.Increment(ref Counters.GapResumesField);
            Log.RoomBehind(_logger, envelope.Room, position?.Seq,
                verdict == EnvelopeVerdict.Gap ? "gap marker" : $"got seq {envelope.Seq} of epoch {envelope.Epoch}");
            _ = Task.Run(() => ResumeRoomAsync(envelope.Room));
        }
    }
}
